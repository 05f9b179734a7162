//! Options of a simulator and the parsers for the CLI's value syntaxes (`users=600/60s`, `20-200ms`).

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use serde::{Deserialize, Serialize};

/// Everything a simulator can be started with. `Default` gives an ephemeral port, a random token, an empty org.
#[derive(Debug, Clone)]
pub struct SimOptions {
    /// TCP port on 127.0.0.1; 0 picks a free one.
    pub port: u16,
    /// Seed for deterministic ids and demo data. With `seed_users > 0`, creates that many demo users plus groups and apps.
    pub seed: Option<u64>,
    /// Number of demo users to create (the CLI's `--seed N` sets both `seed` and `seed_users`).
    pub seed_users: usize,
    /// The SSWS API token; random when `None`.
    pub token: Option<String>,
    /// Load the org from this JSON file (if it exists) and save it back atomically on change and on shutdown.
    pub state_file: Option<PathBuf>,
    pub rate_limits: RateLimitConfig,
    pub faults: FaultConfig,
    /// Serve HTTPS with a freshly generated CA; the CA's PEM is written to `tls_dir` (or a temp dir).
    pub https: bool,
    pub tls_dir: Option<PathBuf>,
    /// The device-code grant answers `authorization_pending` this many times before issuing tokens
    /// (unless approved earlier through `POST /__sim/oauth/device/approve`).
    pub device_pending_polls: u32,
    /// The `interval` the device authorization answers (Okta: 5 seconds).
    pub device_interval_secs: u64,
    /// Require a DPoP nonce on the token endpoint when a DPoP proof is sent (Okta does).
    pub dpop_nonce: bool,
    /// Lifetime of issued access tokens.
    pub token_lifetime: Duration,
}

impl Default for SimOptions {
    fn default() -> Self {
        SimOptions {
            port: 0,
            seed: None,
            seed_users: 0,
            token: None,
            state_file: None,
            rate_limits: RateLimitConfig::default(),
            faults: FaultConfig::default(),
            https: false,
            tls_dir: None,
            device_pending_polls: 1,
            device_interval_secs: 5,
            dpop_nonce: true,
            token_lifetime: Duration::from_secs(3600),
        }
    }
}

/// A fixed window: `limit` requests per `window`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RateSpec {
    pub limit: u32,
    pub window: Duration,
}

impl RateSpec {
    /// Parses `600/60s`, `5/1s`, `100/500ms`, `1000/1m`, or a bare `600` (per 60 s).
    pub fn parse(s: &str) -> Result<RateSpec, String> {
        let s = s.trim();
        let (n, w) = match s.split_once('/') {
            Some((n, w)) => (n, Some(w)),
            None => (s, None),
        };
        let limit: u32 = n
            .trim()
            .parse()
            .map_err(|_| format!("bad rate limit count in {s:?}"))?;
        let window = match w {
            Some(w) => parse_duration(w)?,
            None => Duration::from_secs(60),
        };
        if window.is_zero() {
            return Err(format!("zero window in {s:?}"));
        }
        Ok(RateSpec { limit, window })
    }
}

impl std::fmt::Display for RateSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}ms", self.limit, self.window.as_millis())
    }
}

/// Rate limits per bucket. A bucket is the first path segment after `/api/v1/` (`users`, `groups`, `apps`,
/// `logs`, `eventHooks`, ...), `oauth2` for `/oauth2/...`, or `other`. A key may add a method:
/// `users:GET`. Lookup order: `family:METHOD`, `family`, `default`. Buckets without a key of their own
/// each get their own window with the `default` spec.
#[derive(Debug, Clone)]
pub struct RateLimitConfig {
    pub buckets: BTreeMap<String, RateSpec>,
    pub default: RateSpec,
    /// Maximum requests in flight at once (Okta's org concurrency limit); beyond it → 429.
    pub concurrency: usize,
}

impl Default for RateLimitConfig {
    fn default() -> Self {
        RateLimitConfig {
            buckets: BTreeMap::new(),
            default: RateSpec {
                limit: 10_000,
                window: Duration::from_secs(60),
            },
            concurrency: 75,
        }
    }
}

impl RateLimitConfig {
    /// Applies one `name=SPEC` assignment (`default=...` sets the default).
    pub fn set(&mut self, assignment: &str) -> Result<(), String> {
        let (name, spec) = assignment
            .split_once('=')
            .ok_or_else(|| format!("expected BUCKET=COUNT/WINDOW, got {assignment:?}"))?;
        let spec = RateSpec::parse(spec)?;
        let name = name.trim();
        if name == "default" || name == "*" {
            self.default = spec;
        } else {
            self.buckets.insert(name.to_string(), spec);
        }
        Ok(())
    }
}

/// Faults injected on API requests (not on `/__sim/` admin requests). Rates are probabilities 0..=1,
/// drawn from an RNG seeded with `seed`, so a given request sequence gets the same faults every run.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct FaultConfig {
    /// Added latency before answering, in milliseconds.
    pub latency_ms: u64,
    /// Extra random latency, uniform in 0..=latency_jitter_ms.
    pub latency_jitter_ms: u64,
    /// Probability of a 5xx answer (status `error_status`, default 500, body E0000009).
    pub error_rate: f64,
    pub error_status: Option<u16>,
    /// Probability of a 429 E0000047 answer.
    pub rate_limit_rate: f64,
    /// Probability of closing the connection without an answer.
    pub drop_rate: f64,
    /// Delay between the chunks of a response body (the body is sent in `slow_body_chunks` pieces).
    pub slow_body_ms: u64,
    pub slow_body_chunks: Option<u32>,
    /// Probability that a slow-body delay applies when `slow_body_ms > 0` (default 1).
    pub slow_body_rate: Option<f64>,
    /// Probability of sending only the first half of a JSON body (valid HTTP, invalid JSON).
    pub truncate_rate: f64,
    /// The next N API requests fail with `error_status` (counts down), regardless of rates.
    pub fail_next: u32,
    /// Only requests whose path starts with this prefix get faults.
    pub path_prefix: Option<String>,
    /// Seed of the fault RNG (default 0).
    pub seed: Option<u64>,
}

/// Parses `250ms`, `2s`, `1m`, `1.5s`, or a bare number of seconds.
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let s = s.trim();
    let (num, unit) = match s.find(|c: char| c.is_ascii_alphabetic()) {
        Some(i) => (&s[..i], &s[i..]),
        None => (s, "s"),
    };
    let n: f64 = num
        .trim()
        .parse()
        .map_err(|_| format!("bad duration {s:?}"))?;
    if n < 0.0 || !n.is_finite() {
        return Err(format!("bad duration {s:?}"));
    }
    let secs = match unit {
        "ms" => n / 1000.0,
        "s" | "sec" => n,
        "m" | "min" => n * 60.0,
        "h" => n * 3600.0,
        _ => return Err(format!("bad duration unit in {s:?} (use ms, s, m, h)")),
    };
    Ok(Duration::from_secs_f64(secs))
}

/// Parses a latency: `100ms` (fixed) or `20-200ms` (20 fixed plus 0..180 random). Returns (fixed_ms, jitter_ms).
pub fn parse_latency(s: &str) -> Result<(u64, u64), String> {
    let s = s.trim();
    if let Some((lo, hi)) = s.split_once('-') {
        // unit taken from the upper bound when the lower has none: 20-200ms
        let unit: String = hi
            .chars()
            .skip_while(|c| c.is_ascii_digit() || *c == '.')
            .collect();
        let lo = if lo.chars().any(|c| c.is_ascii_alphabetic()) {
            lo.to_string()
        } else {
            format!("{lo}{unit}")
        };
        let lo = parse_duration(&lo)?.as_millis() as u64;
        let hi = parse_duration(hi)?.as_millis() as u64;
        if hi < lo {
            return Err(format!("latency range {s:?} is reversed"));
        }
        Ok((lo, hi - lo))
    } else {
        Ok((parse_duration(s)?.as_millis() as u64, 0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_specs() {
        assert_eq!(
            RateSpec::parse("600/60s").unwrap(),
            RateSpec {
                limit: 600,
                window: Duration::from_secs(60)
            }
        );
        assert_eq!(
            RateSpec::parse("5/500ms").unwrap().window,
            Duration::from_millis(500)
        );
        assert_eq!(
            RateSpec::parse("7").unwrap().window,
            Duration::from_secs(60)
        );
        assert!(RateSpec::parse("x/1s").is_err());
        assert!(RateSpec::parse("5/0s").is_err());
        let mut c = RateLimitConfig::default();
        c.set("users=600/60s").unwrap();
        c.set("default=3/1s").unwrap();
        assert_eq!(c.buckets["users"].limit, 600);
        assert_eq!(c.default.limit, 3);
        assert!(c.set("users").is_err());
    }

    #[test]
    fn latencies() {
        assert_eq!(parse_latency("100ms").unwrap(), (100, 0));
        assert_eq!(parse_latency("20-200ms").unwrap(), (20, 180));
        assert_eq!(parse_latency("1s").unwrap(), (1000, 0));
        assert!(parse_latency("200-20ms").is_err());
    }
}
