//! Rate limits: fixed windows per bucket, and the org's concurrency limit.
//!
//! A bucket is named by the endpoint family (see [`family`]); its spec comes from `family:METHOD`, `family`,
//! or `default` (in that order). A window starts at a bucket's first request and lasts the spec's length;
//! `X-Rate-Limit-Reset` is its end in UTC epoch seconds (rounded up).

use std::collections::HashMap;
use std::sync::{Mutex, RwLock};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use crate::config::{RateLimitConfig, RateSpec};

#[derive(Debug, Clone, Copy)]
pub struct RateDecision {
    pub allowed: bool,
    pub limit: u32,
    pub remaining: u32,
    pub reset_epoch: u64,
}

struct Window {
    start: Instant,
    start_wall: SystemTime,
    spec: RateSpec,
    count: u32,
}

pub struct RateLimiter {
    cfg: RwLock<RateLimitConfig>,
    windows: Mutex<HashMap<String, Window>>,
}

/// The bucket family of a path: `users`, `groups`, `apps`, `logs`, `eventHooks`, ... for `/api/v1/<family>/…`;
/// `oauth2` for the OAuth endpoints; `other` for the rest.
pub fn family(segs: &[&str]) -> String {
    match segs {
        ["api", "v1", fam, ..] => fam.to_string(),
        ["oauth2", ..] | [".well-known", ..] => "oauth2".to_string(),
        _ => "other".to_string(),
    }
}

impl RateLimiter {
    pub fn new(cfg: RateLimitConfig) -> Self {
        RateLimiter {
            cfg: RwLock::new(cfg),
            windows: Mutex::new(HashMap::new()),
        }
    }

    pub fn config(&self) -> RateLimitConfig {
        self.cfg.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Replaces the configuration and starts every window afresh.
    pub fn set_config(&self, cfg: RateLimitConfig) {
        *self.cfg.write().unwrap_or_else(|p| p.into_inner()) = cfg;
        self.reset();
    }

    pub fn reset(&self) {
        self.windows
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clear();
    }

    pub fn concurrency(&self) -> usize {
        self.cfg
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .concurrency
    }

    /// Counts a request against its bucket.
    pub fn check(&self, family: &str, method: &str) -> RateDecision {
        let (key, spec) = {
            let cfg = self.cfg.read().unwrap_or_else(|p| p.into_inner());
            let with_method = format!("{family}:{method}");
            if let Some(s) = cfg.buckets.get(&with_method) {
                (with_method, *s)
            } else if let Some(s) = cfg.buckets.get(family) {
                (family.to_string(), *s)
            } else {
                (family.to_string(), cfg.default)
            }
        };
        let now = Instant::now();
        let mut windows = self.windows.lock().unwrap_or_else(|p| p.into_inner());
        let w = windows.entry(key).or_insert_with(|| Window {
            start: now,
            start_wall: SystemTime::now(),
            spec,
            count: 0,
        });
        if w.spec != spec || now.duration_since(w.start) >= w.spec.window {
            *w = Window {
                start: now,
                start_wall: SystemTime::now(),
                spec,
                count: 0,
            };
        }
        let end = (w.start_wall + spec.window)
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default();
        let reset_epoch = end.as_secs() + u64::from(end.subsec_nanos() > 0);
        if w.count < spec.limit {
            w.count += 1;
            RateDecision {
                allowed: true,
                limit: spec.limit,
                remaining: spec.limit - w.count,
                reset_epoch,
            }
        } else {
            RateDecision {
                allowed: false,
                limit: spec.limit,
                remaining: 0,
                reset_epoch,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn windows_fill_and_reset() {
        let mut cfg = RateLimitConfig::default();
        cfg.set("users=3/200ms").unwrap();
        cfg.set("users:POST=1/200ms").unwrap();
        let rl = RateLimiter::new(cfg);
        let d: Vec<bool> = (0..4).map(|_| rl.check("users", "GET").allowed).collect();
        assert_eq!(d, vec![true, true, true, false]);
        assert!(rl.check("users", "POST").allowed);
        assert!(!rl.check("users", "POST").allowed);
        // Other families get their own default window.
        assert!(rl.check("groups", "GET").allowed);
        std::thread::sleep(Duration::from_millis(220));
        let r = rl.check("users", "GET");
        assert!(r.allowed);
        assert_eq!(r.remaining, 2);
        assert_eq!(r.limit, 3);
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs();
        // The new window ends ≤ 200 ms ahead, rounded up to a second: now + 2 late in a second.
        assert!(r.reset_epoch >= now && r.reset_epoch <= now + 2);
    }

    #[test]
    fn families() {
        assert_eq!(family(&["api", "v1", "users", "x"]), "users");
        assert_eq!(family(&["oauth2", "v1", "token"]), "oauth2");
        assert_eq!(family(&["foo"]), "other");
    }
}
