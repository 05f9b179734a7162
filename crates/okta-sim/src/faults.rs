//! Faults on demand: latency (fixed or random), 5xx and 429 answers, dropped connections, slow and truncated
//! bodies. Decisions come from an RNG seeded with the config's seed, drawn in a fixed order per request, so the
//! same request sequence meets the same faults. Configured by CLI flags or `PUT /__sim/faults`.

use std::sync::Mutex;
use std::time::Duration;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::config::FaultConfig;

#[derive(Debug, Default)]
pub struct Decision {
    pub latency: Duration,
    pub drop: bool,
    pub throttle: bool,
    pub error: Option<u16>,
    pub truncate: bool,
    pub slow: Option<(Duration, u32)>,
}

pub struct Faults {
    inner: Mutex<(FaultConfig, StdRng)>,
}

impl Faults {
    pub fn new(cfg: FaultConfig) -> Self {
        let rng = StdRng::seed_from_u64(cfg.seed.unwrap_or(0));
        Faults {
            inner: Mutex::new((cfg, rng)),
        }
    }

    pub fn config(&self) -> FaultConfig {
        self.inner
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .0
            .clone()
    }

    /// Replaces the configuration and reseeds the RNG.
    pub fn set(&self, cfg: FaultConfig) {
        let rng = StdRng::seed_from_u64(cfg.seed.unwrap_or(0));
        *self.inner.lock().unwrap_or_else(|p| p.into_inner()) = (cfg, rng);
    }

    pub fn decide(&self, path: &str) -> Decision {
        let mut g = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        let (cfg, rng) = &mut *g;
        if cfg
            .path_prefix
            .as_deref()
            .is_some_and(|p| !path.starts_with(p))
        {
            return Decision::default();
        }
        let mut d = Decision::default();
        let hit = |rate: f64, rng: &mut StdRng| rate > 0.0 && rng.random::<f64>() < rate;
        let jitter = if cfg.latency_jitter_ms > 0 {
            rng.random_range(0..=cfg.latency_jitter_ms)
        } else {
            0
        };
        d.latency = Duration::from_millis(cfg.latency_ms + jitter);
        let status = cfg.error_status.unwrap_or(500);
        if cfg.fail_next > 0 {
            cfg.fail_next -= 1;
            d.error = Some(status);
            return d;
        }
        d.drop = hit(cfg.drop_rate, rng);
        d.throttle = hit(cfg.rate_limit_rate, rng);
        if hit(cfg.error_rate, rng) {
            d.error = Some(status);
        }
        d.truncate = hit(cfg.truncate_rate, rng);
        if cfg.slow_body_ms > 0 && hit(cfg.slow_body_rate.unwrap_or(1.0), rng) {
            d.slow = Some((
                Duration::from_millis(cfg.slow_body_ms),
                cfg.slow_body_chunks.unwrap_or(4),
            ));
        }
        d
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pattern(f: &Faults, n: usize) -> Vec<(bool, Option<u16>, u128)> {
        (0..n)
            .map(|_| f.decide("/api/v1/users"))
            .map(|d| (d.throttle, d.error, d.latency.as_millis()))
            .collect()
    }

    #[test]
    fn deterministic_with_seed() {
        let cfg = FaultConfig {
            error_rate: 0.3,
            rate_limit_rate: 0.2,
            latency_ms: 5,
            latency_jitter_ms: 10,
            seed: Some(7),
            ..Default::default()
        };
        let a = pattern(&Faults::new(cfg.clone()), 50);
        let b = pattern(&Faults::new(cfg), 50);
        assert_eq!(a, b);
        let errors = a.iter().filter(|x| x.1.is_some()).count();
        assert!(errors > 5 && errors < 30, "{errors}");
        assert!(a.iter().all(|x| x.2 >= 5 && x.2 <= 15));
    }

    #[test]
    fn fail_next_and_prefix() {
        let f = Faults::new(FaultConfig {
            fail_next: 2,
            error_status: Some(503),
            path_prefix: Some("/api/v1/users".into()),
            ..Default::default()
        });
        assert_eq!(f.decide("/api/v1/groups").error, None);
        assert_eq!(f.decide("/api/v1/users").error, Some(503));
        assert_eq!(f.decide("/api/v1/users/x").error, Some(503));
        assert_eq!(f.decide("/api/v1/users").error, None);
    }
}
