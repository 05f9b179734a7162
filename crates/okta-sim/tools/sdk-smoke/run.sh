#!/usr/bin/env bash
# Smoke-tests okta-sim with Okta's official SDKs (not part of `cargo test`: needs npm and the Python wheels).
#   bash crates/okta-sim/tools/sdk-smoke/run.sh            # Node SDK (npm install on first run)
#   PYTHON=/path/to/venv/bin/python bash …/run.sh python   # Python SDK (pip install okta from shared/peers wheels)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../../.." && pwd)"
cargo build -q -p okta-sim --manifest-path "$root/Cargo.toml"
coproc SIM { "$root/target/debug/okta-sim" --port 0 --seed 120 --exit-on-stdin-close; }
read -r line <&"${SIM[0]}"
url=$(sed -E 's/.*"url":"([^"]+)".*/\1/' <<<"$line")
token=$(sed -E 's/.*"token":"([^"]+)".*/\1/' <<<"$line")
if [[ "${1:-node}" == python ]]; then
  "${PYTHON:-python3}" "$here/python-smoke.py" "$url" "$token"
else
  (cd "$here" && [[ -d node_modules ]] || npm install --no-audit --no-fund >/dev/null)
  node "$here/node-smoke.js" "$url" "$token"
fi
