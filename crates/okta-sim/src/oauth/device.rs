//! The device authorization grant (RFC 8628), with the scenarios a client must survive, scriptable by tests:
//! approve, deny (`access_denied`), slow down (`slow_down`, interval + 5 s for that grant), expire
//! (`expired_token`, or `authorization_pending` forever with `device_silent_expiry`); with
//! `device_enforce_interval`, a poll sooner than the interval after the last one gets `slow_down` too. Every token-endpoint poll
//! is recorded per device code with its time, so a test can measure a client's polling cadence. A test that
//! cannot act while a client polls (a blocking command) scripts the answers in advance instead:
//! `/__sim/oauth/device/script {"polls":["authorization_pending","slow_down","issued"]}` applies to the next
//! device authorization, one answer per poll, then the usual rules.

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::{DEVICE_GRANT, OAuthState, clients, lock, now_ms, oauth_err, parse_scopes};
use crate::errors::ApiResult;
use crate::reply::Reply;
use crate::resources::Ctx;

#[derive(Clone, Copy, PartialEq, Debug)]
enum Status {
    Pending,
    Approved,
    Denied,
    /// Tokens were issued: the code is spent.
    Redeemed,
}

pub struct DeviceGrant {
    client_id: String,
    scopes: Vec<String>,
    user_code: String,
    issued: Instant,
    expires: Instant,
    /// Current polling interval (grows by 5 s with each `slow_down`).
    interval: u64,
    /// Polls answered so far (for automatic approval after `device_pending_polls`).
    polls: u32,
    status: Status,
    /// `slow_down` answers still to give.
    slow_downs: u32,
    last_poll: Option<Instant>,
    script: VecDeque<Scripted>,
    poll_log: Vec<Value>,
}

/// One scripted poll answer.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Scripted {
    Pending,
    SlowDown,
    Denied,
    Expired,
    Issued,
}

impl Scripted {
    pub fn parse(s: &str) -> Option<Scripted> {
        Some(match s {
            "authorization_pending" | "pending" => Scripted::Pending,
            "slow_down" => Scripted::SlowDown,
            "access_denied" | "deny" => Scripted::Denied,
            "expired_token" | "expire" => Scripted::Expired,
            "issued" | "approve" => Scripted::Issued,
            _ => return None,
        })
    }
}

/// What `/__sim/oauth/device/{approve,deny,slow-down,expire}` does to a grant.
#[derive(Clone, Copy, Debug)]
pub enum Scenario {
    Approve,
    Deny,
    SlowDown,
    Expire,
}

impl OAuthState {
    /// Applies a scenario to the grant with this user code; false when there is none.
    pub fn device_scenario(&self, user_code: &str, scenario: Scenario) -> bool {
        let mut d = lock(&self.devices);
        let Some(g) = d
            .values_mut()
            .find(|g| g.user_code.eq_ignore_ascii_case(user_code))
        else {
            return false;
        };
        match scenario {
            Scenario::Approve => g.status = Status::Approved,
            Scenario::Deny => g.status = Status::Denied,
            Scenario::SlowDown => g.slow_downs += 1,
            Scenario::Expire => g.expires = Instant::now(),
        }
        true
    }

    /// Scripts the poll answers of the next device authorization (an empty list clears the script).
    pub fn script_next_device(&self, answers: Vec<Scripted>) {
        *lock(&self.device_script) = (!answers.is_empty()).then(|| answers.into());
    }

    /// The polls of one grant: `[{"at_ms","unix_ms","answer"}]`, `at_ms` counted from the authorization.
    pub fn device_polls(&self, user_code: &str) -> Option<Value> {
        lock(&self.devices)
            .values()
            .find(|g| g.user_code.eq_ignore_ascii_case(user_code))
            .map(|g| Value::Array(g.poll_log.clone()))
    }

    /// The device authorizations, newest last, without their device codes.
    pub fn device_grants(&self) -> Value {
        let d = lock(&self.devices);
        let mut rows: Vec<(Instant, Value)> = d
            .values()
            .map(|g| {
                (
                    g.issued,
                    json!({
                        "user_code": g.user_code, "client_id": g.client_id, "scope": g.scopes.join(" "),
                        "status": format!("{:?}", g.status).to_lowercase(), "interval": g.interval,
                        "expires_in": g.expires.saturating_duration_since(Instant::now()).as_secs(),
                        "polls": g.poll_log.len(),
                    }),
                )
            })
            .collect();
        rows.sort_by_key(|(t, _)| *t);
        Value::Array(rows.into_iter().map(|(_, v)| v).collect())
    }
}

/// `POST /oauth2/v1/device/authorize`: client_id (a registered app must allow the device grant) and scope.
pub fn authorize(ctx: &Ctx, f: &HashMap<String, String>, called: &str) -> ApiResult<Reply> {
    let client = clients::authenticate(ctx, f, &[called.to_string()], true)?;
    if let Some(app) = &client.app
        && !app.allows(DEVICE_GRANT)
    {
        return Err(super::unauthorized_client(app));
    }
    let scopes = parse_scopes(f.get("scope").map(String::as_str))?;
    let settings = ctx.state.oauth.settings();
    let mut r = rand::rng();
    let device_code = crate::util::random_alnum(&mut r, 36);
    // Okta's user codes: 8 letters without vowels look-alikes; any 8 upper-case alphanumerics do here.
    let uc = crate::util::random_alnum(&mut r, 8).to_uppercase();
    let user_code = format!("{}-{}", &uc[..4], &uc[4..]);
    let now = Instant::now();
    lock(&ctx.state.oauth.devices).insert(
        device_code.clone(),
        DeviceGrant {
            client_id: client.client_id,
            scopes,
            user_code: user_code.clone(),
            issued: now,
            expires: now + Duration::from_secs(settings.device_expires_in_s),
            interval: settings.device_interval_s,
            polls: 0,
            status: Status::Pending,
            slow_downs: 0,
            last_poll: None,
            script: lock(&ctx.state.oauth.device_script)
                .take()
                .unwrap_or_default(),
            poll_log: Vec::new(),
        },
    );
    Ok(Reply::json(json!({
        "device_code": device_code,
        "user_code": user_code,
        "verification_uri": format!("{}/activate", ctx.base()),
        "verification_uri_complete": format!("{}/activate?user_code={user_code}", ctx.base()),
        "expires_in": settings.device_expires_in_s,
        "interval": settings.device_interval_s,
    })))
}

/// A token-endpoint poll with a device code: the grant's scopes when the user approved, else the RFC 8628 error.
pub fn redeem(ctx: &Ctx, f: &HashMap<String, String>, client_id: &str) -> ApiResult<Vec<String>> {
    let settings = ctx.state.oauth.settings();
    let code = f.get("device_code").map(String::as_str).unwrap_or("");
    let mut d = lock(&ctx.state.oauth.devices);
    let invalid = || {
        oauth_err(
            400,
            "invalid_grant",
            "The device code is invalid or has expired.",
        )
    };
    let g = d.get_mut(code).ok_or_else(invalid)?;
    if g.client_id != client_id || g.status == Status::Redeemed {
        return Err(invalid());
    }
    g.polls += 1;
    let pending = || {
        oauth_err(
            400,
            "authorization_pending",
            "The device authorization is pending. Please try again later.",
        )
    };
    match g.script.pop_front() {
        Some(Scripted::Pending) => return Err(pending()),
        Some(Scripted::SlowDown) => g.slow_downs += 1,
        Some(Scripted::Denied) => g.status = Status::Denied,
        Some(Scripted::Expired) => g.expires = Instant::now(),
        Some(Scripted::Issued) => g.status = Status::Approved,
        None => {}
    }
    if g.expires <= Instant::now() {
        return Err(if settings.device_silent_expiry {
            pending()
        } else {
            oauth_err(400, "expired_token", "The device code has expired.")
        });
    }
    // RFC 8628 §3.5: a client polling before its interval has passed is told to slow down (when enforced).
    let too_fast = settings.device_enforce_interval
        && g.last_poll
            .is_some_and(|t| t.elapsed() < Duration::from_secs(g.interval));
    g.last_poll = Some(Instant::now());
    if too_fast || g.slow_downs > 0 {
        g.slow_downs = g.slow_downs.saturating_sub(u32::from(!too_fast));
        g.interval += 5;
        return Err(oauth_err(
            400,
            "slow_down",
            "The client is polling too frequently. Please slow down.",
        ));
    }
    match g.status {
        Status::Denied => Err(oauth_err(
            400,
            "access_denied",
            "The resource owner or authorization server denied the request.",
        )),
        Status::Pending if settings.device_pending_polls.is_none_or(|n| g.polls <= n) => {
            Err(pending())
        }
        _ => {
            g.status = Status::Redeemed;
            Ok(g.scopes.clone())
        }
    }
}

/// Appends a poll's answer to its grant's log (`issued`, `authorization_pending`, `slow_down`, …).
pub fn record_poll(state: &OAuthState, device_code: &str, answer: &str) {
    if let Some(g) = lock(&state.devices).get_mut(device_code) {
        let entry = json!({
            "at_ms": g.issued.elapsed().as_millis() as u64,
            "unix_ms": now_ms(),
            "answer": answer,
            "interval": g.interval,
        });
        g.poll_log.push(entry);
    }
}
