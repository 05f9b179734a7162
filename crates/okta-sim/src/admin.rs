//! The simulator's own endpoints under `/__sim/` (no auth, no faults, no rate limits):
//!
//! | method | path | what |
//! |---|---|---|
//! | GET | /__sim/health | `{"ok":true}` |
//! | GET | /__sim/stats | requests served, in flight, users/groups/apps/events counts, state saves |
//! | GET | /__sim/state | the whole org as stored in the state file |
//! | POST | /__sim/save | save the state file now |
//! | POST | /__sim/reset | empty org (built-ins only); `?seed=N` re-seeds N demo users |
//! | GET / PUT / DELETE | /__sim/faults | the fault config (JSON, camelCase keys as in `FaultConfig`); DELETE clears |
//! | GET / PUT | /__sim/rate-limits | `{"default":"600/60s","buckets":{"users":"5/1s"},"concurrency":75}`; PUT also resets windows |
//! | POST | /__sim/rate-limits/reset | start every window afresh |
//! | POST | /__sim/users/{idOrLogin}/status | force a status: `{"status":"LOCKED_OUT"}` (to test unlock etc.) |
//! | GET / POST | /__sim/oauth/settings | OAuth knobs (POST merges the fields given): `{"access_token_ttl_s":3600, "device_interval_s":5, "device_expires_in_s":600, "device_pending_polls":1 (null: only approve approves), "device_silent_expiry":false, "device_enforce_interval":false, "dpop_nonce":true, "dpop_api_nonce":false, "auth_code_ttl_s":300}` |
//! | POST | /__sim/oauth/device/approve | approve a device authorization: `{"user_code":"ABCD-EFGH"}` → next poll issues tokens |
//! | POST | /__sim/oauth/device/deny | `{"user_code"}` → next polls answer `access_denied` |
//! | POST | /__sim/oauth/device/slow-down | `{"user_code"}` → next poll answers `slow_down`, the grant's interval + 5 s (repeat to queue more) |
//! | POST | /__sim/oauth/device/expire | `{"user_code"}` → the code expires now: `expired_token` (or `authorization_pending` with `device_silent_expiry`) |
//! | POST | /__sim/oauth/device/script | `{"polls":["authorization_pending","slow_down","issued"]}`: the next device authorization answers its polls in this order (`access_denied`, `expired_token` too), then the usual rules; `[]` clears |
//! | GET | /__sim/oauth/device | the device authorizations: `[{"user_code","client_id","scope","status","interval","expires_in","polls"}]`, newest last |
//! | GET | /__sim/oauth/device/polls?user_code=… | each token-endpoint poll of that code: `[{"at_ms","unix_ms","answer","interval"}]`; `at_ms` from the authorization; `answer` is `issued` or the error |
//! | GET | /__sim/oauth/log | every OAuth endpoint call: `[{"unix_ms","endpoint","issuer","grant_type","client_id","dpop","outcome"}]` (`outcome`: HTTP status or OAuth error) |
//! | GET | /__sim/oauth/tokens | live tokens without their values: `[{"kind","client_id","scope","token_type","expires_in"}]` |
//! | POST | /__sim/oauth/tokens/expire | every access token expires now (refresh tokens stay): the next API call gets 401 |
//! | GET | /__sim/requests/last | the last API request: `{"method","path","query":[[name,value],...]}` (404 before any) |

use std::collections::BTreeMap;
use std::sync::atomic::Ordering;

use bytes::Bytes;
use http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::config::{FaultConfig, RateLimitConfig, RateSpec};
use crate::errors::ApiError;
use crate::oauth::DeviceScenario;
use crate::reply::Reply;
use crate::resources::users;
use crate::server::AppState;

pub fn handle(
    state: &AppState,
    method: &Method,
    path: &str,
    query: Option<&str>,
    body: &Bytes,
) -> Result<Reply, ApiError> {
    let segs: Vec<&str> = path.trim_matches('/').split('/').skip(1).collect();
    let json_body = || -> Result<Value, ApiError> {
        if body.is_empty() {
            Ok(json!({}))
        } else {
            serde_json::from_slice(body).map_err(|_| ApiError::malformed_body())
        }
    };
    match (method.as_str(), segs.as_slice()) {
        ("GET", ["health"]) | ("GET", []) => Ok(Reply::json(json!({"ok": true}))),
        ("GET", ["requests", "last"]) => match state.last_request.lock().unwrap_or_else(|p| p.into_inner()).clone() {
            Some(last) => Ok(Reply::json(last)),
            None => Err(ApiError::not_found("last", "Request")),
        },
        ("GET", ["stats"]) => {
            let (u, g, a, l) = state
                .store
                .read(|o| (o.users.len(), o.groups.len(), o.apps.len(), o.logs.len()));
            Ok(Reply::json(json!({
                "requests": state.requests.load(Ordering::Relaxed),
                "inFlight": state.inflight.load(Ordering::SeqCst),
                "users": u, "groups": g, "apps": a, "logEvents": l,
                "stateSaves": state.store.save_count(),
            })))
        }
        ("GET", ["state"]) => Ok(Reply::json(
            state
                .store
                .read(|o| serde_json::to_value(o).unwrap_or(Value::Null)),
        )),
        ("POST", ["save"]) => {
            state.store.mark_dirty();
            state.store.save_if_dirty().map_err(|e| {
                ApiError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "E0000009",
                    format!("Saving failed: {e}"),
                )
            })?;
            Ok(Reply::json(json!({"saved": true})))
        }
        ("POST", ["reset"]) => {
            let q = crate::util::Query::parse(query);
            let n: usize = q.get("seed").and_then(|s| s.parse().ok()).unwrap_or(0);
            state.store.write(|org| {
                *org = crate::store::Org::default();
                if let Some(seed) = state.opts.seed {
                    org.seed_rng(seed);
                }
                crate::seed::init_org(org);
                if n > 0 {
                    crate::seed::seed_demo(org, n);
                }
            });
            Ok(Reply::json(json!({"reset": true, "users": n})))
        }
        ("GET", ["faults"]) => Ok(Reply::json(
            serde_json::to_value(state.faults.config()).unwrap_or(Value::Null),
        )),
        ("PUT", ["faults"]) | ("POST", ["faults"]) => {
            let cfg: FaultConfig = serde_json::from_value(json_body()?)
                .map_err(|e| ApiError::bad_request(format!("fault config: {e}")))?;
            state.faults.set(cfg.clone());
            Ok(Reply::json(
                serde_json::to_value(cfg).unwrap_or(Value::Null),
            ))
        }
        ("DELETE", ["faults"]) => {
            state.faults.set(FaultConfig::default());
            Ok(Reply::no_content())
        }
        ("GET", ["rate-limits"]) => Ok(Reply::json(rate_json(&state.limiter.config()))),
        ("PUT", ["rate-limits"]) | ("POST", ["rate-limits"]) => {
            let v = json_body()?;
            let mut cfg = state.limiter.config();
            if let Some(d) = v.get("default").and_then(Value::as_str) {
                cfg.default = RateSpec::parse(d).map_err(ApiError::bad_request)?;
            }
            if let Some(b) = v.get("buckets").and_then(Value::as_object) {
                let mut buckets = BTreeMap::new();
                for (k, s) in b {
                    let s = s.as_str().ok_or_else(|| {
                        ApiError::bad_request(format!("bucket {k}: expected \"COUNT/WINDOW\""))
                    })?;
                    buckets.insert(
                        k.clone(),
                        RateSpec::parse(s).map_err(ApiError::bad_request)?,
                    );
                }
                cfg.buckets = buckets;
            }
            if let Some(c) = v.get("concurrency").and_then(Value::as_u64) {
                cfg.concurrency = c as usize;
            }
            state.limiter.set_config(cfg.clone());
            Ok(Reply::json(rate_json(&cfg)))
        }
        ("POST", ["rate-limits", "reset"]) => {
            state.limiter.reset();
            Ok(Reply::no_content())
        }
        ("POST", ["users", key, "status"]) => {
            let v = json_body()?;
            let status = v
                .get("status")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            if !users::ALL_STATUSES.contains(&status.as_str()) {
                return Err(ApiError::validation(
                    "status",
                    &format!("must be one of {}", users::ALL_STATUSES.join(", ")),
                ));
            }
            let key = percent_encoding::percent_decode_str(key)
                .decode_utf8_lossy()
                .into_owned();
            state.store.write(|org| {
                let id =
                    users::resolve(org, &key).ok_or_else(|| ApiError::not_found(&key, "User"))?;
                let u = org.users.get_mut(&id).expect("resolved");
                u.status = status;
                u.status_changed = Some(chrono::Utc::now());
                u.last_updated = chrono::Utc::now();
                Ok(Reply::json(users::render(u, &state.base_url)))
            })
        }
        ("GET", ["oauth", "settings"]) => Ok(Reply::json(
            serde_json::to_value(state.oauth.settings()).unwrap_or(Value::Null),
        )),
        ("POST", ["oauth", "settings"]) | ("PUT", ["oauth", "settings"]) => {
            let s = state
                .oauth
                .update_settings(&json_body()?)
                .map_err(|e| ApiError::bad_request(format!("oauth settings: {e}")))?;
            Ok(Reply::json(serde_json::to_value(s).unwrap_or(Value::Null)))
        }
        ("POST", ["oauth", "device", "script"]) => {
            let v = json_body()?;
            let polls = v.get("polls").and_then(Value::as_array).ok_or_else(|| {
                ApiError::validation("polls", "expected a list of poll answers")
            })?;
            let mut answers = Vec::new();
            for p in polls {
                let a = p.as_str().and_then(crate::oauth::DeviceScripted::parse).ok_or_else(|| {
                    ApiError::validation(
                        "polls",
                        "each answer is authorization_pending, slow_down, access_denied, expired_token or issued",
                    )
                })?;
                answers.push(a);
            }
            let n = answers.len();
            state.oauth.script_next_device(answers);
            Ok(Reply::json(json!({"scripted": n})))
        }
        ("POST", ["oauth", "device", action]) => {
            let scenario = match *action {
                "approve" => DeviceScenario::Approve,
                "deny" => DeviceScenario::Deny,
                "slow-down" => DeviceScenario::SlowDown,
                "expire" => DeviceScenario::Expire,
                _ => return Err(ApiError::unknown_path(path)),
            };
            let v = json_body()?;
            let code = v.get("user_code").and_then(Value::as_str).unwrap_or("");
            if state.oauth.device_scenario(code, scenario) {
                Ok(Reply::json(json!({"user_code": code, "done": action, "approved": matches!(scenario, DeviceScenario::Approve)})))
            } else {
                Err(ApiError::not_found(code, "DeviceAuthorization"))
            }
        }
        ("GET", ["oauth", "device"]) => Ok(Reply::json(state.oauth.device_grants())),
        ("GET", ["oauth", "device", "polls"]) => {
            let q = crate::util::Query::parse(query);
            let code = q.get("user_code").unwrap_or("");
            state
                .oauth
                .device_polls(code)
                .map(Reply::json)
                .ok_or_else(|| ApiError::not_found(code, "DeviceAuthorization"))
        }
        ("GET", ["oauth", "log"]) => Ok(Reply::json(state.oauth.log())),
        ("GET", ["oauth", "tokens"]) => Ok(Reply::json(state.oauth.token_summary())),
        ("POST", ["oauth", "tokens", "expire"]) => Ok(Reply::json(
            json!({"expired": state.oauth.expire_access_tokens()}),
        )),
        _ => Err(ApiError::unknown_path(path)),
    }
}

fn rate_json(cfg: &RateLimitConfig) -> Value {
    let fmt = |s: &RateSpec| format!("{}/{}ms", s.limit, s.window.as_millis());
    let buckets: serde_json::Map<String, Value> = cfg
        .buckets
        .iter()
        .map(|(k, v)| (k.clone(), json!(fmt(v))))
        .collect();
    json!({"default": fmt(&cfg.default), "buckets": buckets, "concurrency": cfg.concurrency})
}
