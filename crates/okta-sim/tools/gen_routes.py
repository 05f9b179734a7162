#!/usr/bin/env python3
"""Derive okta-sim's compact route table (data/routes.tsv) from the Okta API facts files.

Usage: python3 tools/gen_routes.py [FACTS_DIR]   (default: ../../../shared/okta-api relative to the crate)

One line per operation, tab separated:
  source  method  path  scopes(comma or -)  security  success_status  body_kind  paginated  limit_default  limit_max  operation_id
security:  both = SSWS or OAuth, oauth = OAuth only, ssws = SSWS only, none = no auth
body_kind: array | object | string | none   (of the first 2xx response)
limit_default/limit_max: integer or - (from the facts' pagination block; -1 in the facts means "not stated")
"""
import json, os, sys

here = os.path.dirname(os.path.abspath(__file__))
crate = os.path.dirname(here)
facts_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(crate, "..", "..", "..", "shared", "okta-api")

def body_kind(op):
    for r in op.get("responses", []):
        if r["status"].startswith("2"):
            c = r.get("content") or []
            if not c:
                return r["status"], "none"
            s = c[0].get("schema") or {}
            if s.get("type") == "array":
                return r["status"], "array"
            if s.get("type") == "string":
                return r["status"], "string"
            return r["status"], "object"
    return "200", "none"

def security(op):
    s = set(op.get("securitySchemes") or [])
    if not s:
        return "none"
    if s == {"oauth2"}:
        return "oauth"
    if s == {"apiToken"}:
        return "ssws"
    return "both"

lines = []
for source, fname in (("mgmt", "okta-management.facts.json"), ("oauth", "okta-oauth.facts.json")):
    facts = json.load(open(os.path.join(facts_dir, fname)))
    for op in facts["operations"]:
        status, kind = body_kind(op)
        pg = op.get("pagination") or {}
        ld = pg.get("limitDefault")
        lm = pg.get("limitMaximum")
        ld = "-" if ld is None or ld == -1 else str(ld)
        lm = "-" if lm is None or lm == -1 else str(lm)
        scopes = ",".join(op.get("oauth2Scopes") or []) or "-"
        lines.append("\t".join([source, op["method"], op["path"], scopes, security(op), status, kind,
                                "1" if op.get("paginated") else "0", ld, lm, op["operationId"]]))

out = os.path.join(crate, "data", "routes.tsv")
with open(out, "w") as f:
    f.write("# Derived from okta/okta-management-openapi-spec (Apache-2.0), release 2026.06.3, by tools/gen_routes.py.\n")
    f.write("# source\tmethod\tpath\tscopes\tsecurity\tstatus\tbody\tpaginated\tlimit_default\tlimit_max\toperation_id\n")
    for l in lines:
        f.write(l + "\n")
print(f"wrote {len(lines)} routes to {out}")
