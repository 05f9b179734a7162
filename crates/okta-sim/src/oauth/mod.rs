//! The OAuth 2.0 endpoints a Management API client needs, on the org authorization server (`/oauth2/v1/…`) and
//! on custom ones (`/oauth2/{id}/v1/…`): token (client credentials, device code, refresh token, authorization
//! code), device authorization, authorize (code + PKCE), revoke, introspect, keys and the discovery documents.
//! Errors are `{error, error_description}`.
//!
//! What is verified, as a real org verifies it:
//! - clients are OIDC apps of the org (`clients.rs`): private_key_jwt assertions (signature against the app's
//!   JWKS, iss/sub/aud/exp/jti), client secrets, grant types, `dpop_bound_access_tokens`;
//! - DPoP proofs (`dpop.rs`): signature with the embedded key, htm/htu/iat/jti/ath, the `use_dpop_nonce` round
//!   trip on the token endpoint, and the token's `cnf.jkt` binding on every API call;
//! - device codes (`device.rs`): pending / slow_down / access_denied / expired_token, scriptable through
//!   `/__sim/oauth/device/…`;
//! - authorization codes (`code.rs`): single use, short-lived, redirect_uri equality, PKCE S256.
//!
//! Access tokens are opaque to clients here: JWT-shaped, but not signed (`/keys` is empty).

mod clients;
mod code;
mod device;
pub mod dpop;
pub mod jose;

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::config::SimOptions;
use crate::errors::{ApiError, ApiResult};
use crate::reply::Reply;
use crate::resources::Ctx;

pub use device::{Scenario as DeviceScenario, Scripted as DeviceScripted};

pub const ASSERTION_TYPE: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
pub const DEVICE_GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";

pub fn now_secs() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs() as i64
}

pub fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_millis() as u64
}

/// What tests may change at run time (`GET/POST /__sim/oauth/settings`); starts from the CLI options.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct OAuthSettings {
    /// Lifetime of issued access tokens (`expires_in`).
    pub access_token_ttl_s: u64,
    /// The `interval` a device authorization answers.
    pub device_interval_s: u64,
    /// The `expires_in` a device authorization answers (and when its code really expires).
    pub device_expires_in_s: u64,
    /// Polls answered `authorization_pending` before a device code is approved by itself; `null`: never (only
    /// `/__sim/oauth/device/approve` approves).
    pub device_pending_polls: Option<u32>,
    /// Never answer `expired_token`: an expired device code stays `authorization_pending` forever, so a client
    /// must honour `expires_in` itself.
    pub device_silent_expiry: bool,
    /// Answer `slow_down` (interval + 5 s) to a poll that comes sooner than the interval after the previous one.
    pub device_enforce_interval: bool,
    /// The token endpoint requires a DPoP nonce (`use_dpop_nonce` round trip), as Okta does.
    pub dpop_nonce: bool,
    /// API calls with a DPoP token also require a nonce (401 `WWW-Authenticate: DPoP error="use_dpop_nonce"`).
    pub dpop_api_nonce: bool,
    /// Lifetime of authorization codes.
    pub auth_code_ttl_s: u64,
}

impl OAuthSettings {
    fn from_opts(o: &SimOptions) -> Self {
        OAuthSettings {
            access_token_ttl_s: o.token_lifetime.as_secs(),
            device_interval_s: o.device_interval_secs,
            device_expires_in_s: 600,
            device_pending_polls: Some(o.device_pending_polls),
            device_silent_expiry: false,
            device_enforce_interval: false,
            dpop_nonce: o.dpop_nonce,
            dpop_api_nonce: false,
            auth_code_ttl_s: 300,
        }
    }
}

#[derive(Clone, Debug)]
pub struct IssuedToken {
    pub client_id: String,
    pub scopes: Vec<String>,
    pub expires: Instant,
    /// JWK thumbprint of the DPoP key the token is bound to.
    pub jkt: Option<String>,
}

pub struct OAuthState {
    settings: Mutex<OAuthSettings>,
    tokens: Mutex<HashMap<String, IssuedToken>>,
    refresh: Mutex<HashMap<String, IssuedToken>>,
    devices: Mutex<HashMap<String, device::DeviceGrant>>,
    /// Poll answers scripted for the next device authorization (`/__sim/oauth/device/script`).
    device_script: Mutex<Option<VecDeque<device::Scripted>>>,
    codes: Mutex<HashMap<String, code::AuthCode>>,
    nonces: Mutex<VecDeque<String>>,
    assertion_jtis: clients::SeenJtis,
    proof_jtis: clients::SeenJtis,
    /// Every call of an OAuth endpoint: `GET /__sim/oauth/log`.
    log: Mutex<Vec<Value>>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl OAuthState {
    pub fn new(opts: &SimOptions) -> Self {
        OAuthState {
            settings: Mutex::new(OAuthSettings::from_opts(opts)),
            tokens: Mutex::default(),
            refresh: Mutex::default(),
            devices: Mutex::default(),
            device_script: Mutex::default(),
            codes: Mutex::default(),
            nonces: Mutex::default(),
            assertion_jtis: Default::default(),
            proof_jtis: Default::default(),
            log: Mutex::default(),
        }
    }

    pub fn settings(&self) -> OAuthSettings {
        lock(&self.settings).clone()
    }

    /// Merges the given settings (a JSON object of `OAuthSettings` fields) and answers the result.
    pub fn update_settings(&self, patch: &Value) -> Result<OAuthSettings, String> {
        let mut s = lock(&self.settings);
        let mut v = serde_json::to_value(&*s).map_err(|e| e.to_string())?;
        let Some(p) = patch.as_object() else {
            return Err("expected a JSON object".into());
        };
        for (k, x) in p {
            if v.get(k).is_none() {
                return Err(format!("unknown setting {k}"));
            }
            v[k] = x.clone();
        }
        *s = serde_json::from_value(v).map_err(|e| e.to_string())?;
        Ok(s.clone())
    }

    pub fn lookup(&self, token: &str) -> Option<IssuedToken> {
        let t = lock(&self.tokens).get(token).cloned()?;
        (t.expires > Instant::now()).then_some(t)
    }

    /// Ends the life of every access token now (refresh tokens stay): the next API call gets 401.
    pub fn expire_access_tokens(&self) -> usize {
        let mut t = lock(&self.tokens);
        let now = Instant::now();
        let n = t.values().filter(|x| x.expires > now).count();
        for x in t.values_mut() {
            x.expires = now;
        }
        n
    }

    /// Live tokens, without their values: `GET /__sim/oauth/tokens`.
    pub fn token_summary(&self) -> Value {
        let now = Instant::now();
        let row = |kind: &str, t: &IssuedToken| {
            json!({
                "kind": kind, "client_id": t.client_id, "scope": t.scopes.join(" "),
                "token_type": if t.jkt.is_some() { "DPoP" } else { "Bearer" },
                "expires_in": t.expires.saturating_duration_since(now).as_secs(),
            })
        };
        let mut out: Vec<Value> = lock(&self.tokens)
            .values()
            .filter(|t| t.expires > now)
            .map(|t| row("access_token", t))
            .collect();
        out.extend(
            lock(&self.refresh)
                .values()
                .filter(|t| t.expires > now)
                .map(|t| row("refresh_token", t)),
        );
        Value::Array(out)
    }

    pub fn log(&self) -> Value {
        Value::Array(lock(&self.log).clone())
    }

    fn record(&self, entry: Value) {
        let mut l = lock(&self.log);
        if l.len() >= 10_000 {
            l.remove(0);
        }
        l.push(entry);
    }

    pub fn new_nonce(&self) -> String {
        let mut r = rand::rng();
        let n = crate::util::random_alnum(&mut r, 32);
        let mut q = lock(&self.nonces);
        q.push_back(n.clone());
        while q.len() > 256 {
            q.pop_front();
        }
        n
    }

    pub fn nonce_ok(&self, n: &str) -> bool {
        lock(&self.nonces).iter().any(|x| x == n)
    }
}

pub(crate) fn oauth_err(status: u16, error: &str, description: &str) -> ApiError {
    ApiError::oauth(
        StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST),
        error,
        description,
    )
}

/// The URL the client called (scheme of the server, host as the client wrote it): what `aud` and `htu` name.
pub fn called_url(base_url: &str, headers: &http::HeaderMap, path: &str) -> String {
    let scheme = base_url.split("://").next().unwrap_or("http");
    match headers
        .get(http::header::HOST)
        .and_then(|h| h.to_str().ok())
    {
        Some(host) => format!("{scheme}://{host}{path}"),
        None => format!("{base_url}{path}"),
    }
}

fn form(ctx: &Ctx) -> HashMap<String, String> {
    form_urlencoded::parse(&ctx.body)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

fn known_scope(s: &str) -> bool {
    matches!(
        s,
        "openid" | "profile" | "email" | "address" | "phone" | "offline_access" | "device_sso"
    ) || crate::routes::RouteTable::global()
        .routes
        .iter()
        .any(|r| r.scopes.iter().any(|x| x == s))
}

fn parse_scopes(scope: Option<&str>) -> ApiResult<Vec<String>> {
    let scopes: Vec<String> = scope
        .map(|s| s.split_whitespace().map(str::to_string).collect())
        .unwrap_or_default();
    if scopes.is_empty() {
        return Err(oauth_err(
            400,
            "invalid_scope",
            "The authorization server resource does not have any configured default scopes, 'scope' must be provided.",
        ));
    }
    if let Some(bad) = scopes.iter().find(|s| !known_scope(s)) {
        return Err(oauth_err(
            400,
            "invalid_scope",
            &format!(
                "One or more scopes are not configured for the authorization server resource. ({bad})"
            ),
        ));
    }
    Ok(scopes)
}

fn unsigned_jwt(payload: Value) -> String {
    let mut r = rand::rng();
    let header = json!({"kid": "okta-sim", "alg": "RS256"});
    format!(
        "{}.{}.{}",
        B64.encode(header.to_string()),
        B64.encode(payload.to_string()),
        crate::util::random_alnum(&mut r, 86)
    )
}

struct Grant<'a> {
    issuer: &'a str,
    client_id: &'a str,
    scopes: Vec<String>,
    jkt: Option<String>,
    refresh: bool,
}

fn token_reply(ctx: &Ctx, g: Grant<'_>) -> Reply {
    let ttl = ctx.state.oauth.settings().access_token_ttl_s;
    let now = now_secs();
    let mut r = rand::rng();
    let mut payload = json!({
        "ver": 1, "jti": format!("AT.{}", crate::util::random_alnum(&mut r, 40)), "iss": g.issuer,
        "aud": g.issuer, "iat": now, "exp": now + ttl as i64, "cid": g.client_id, "scp": g.scopes, "sub": g.client_id,
    });
    if let Some(j) = &g.jkt {
        payload["cnf"] = json!({"jkt": j});
    }
    let access = unsigned_jwt(payload);
    let issued = IssuedToken {
        client_id: g.client_id.to_string(),
        scopes: g.scopes.clone(),
        expires: Instant::now() + Duration::from_secs(ttl),
        jkt: g.jkt.clone(),
    };
    lock(&ctx.state.oauth.tokens).insert(access.clone(), issued.clone());
    let mut body = json!({
        "token_type": if g.jkt.is_some() { "DPoP" } else { "Bearer" },
        "expires_in": ttl,
        "access_token": access,
        "scope": g.scopes.join(" "),
    });
    if g.refresh {
        let rt = crate::util::random_alnum(&mut r, 43);
        lock(&ctx.state.oauth.refresh).insert(
            rt.clone(),
            IssuedToken {
                expires: Instant::now() + Duration::from_secs(90 * 24 * 3600),
                ..issued
            },
        );
        body["refresh_token"] = json!(rt);
    }
    if g.scopes.iter().any(|s| s == "openid") {
        body["id_token"] = json!(unsigned_jwt(json!({
            "iss": g.issuer, "aud": g.client_id, "sub": crate::resources::logs::Actor::admin().id,
            "iat": now, "exp": now + 3600,
        })));
    }
    Reply::json(body)
        .header("cache-control", "no-store")
        .header("pragma", "no-cache")
}

/// The DPoP part of a token request: none, a bound key, or the nonce round trip. `required`: the client's app
/// has `dpop_bound_access_tokens`.
fn dpop_for_token(ctx: &Ctx, token_url: &str, required: bool) -> ApiResult<Option<String>> {
    let Some(proof) = ctx.headers.get("dpop").and_then(|v| v.to_str().ok()) else {
        if required {
            return Err(oauth_err(
                400,
                "invalid_dpop_proof",
                "The DPoP proof JWT header is missing.",
            ));
        }
        return Ok(None);
    };
    let p = dpop::check(&ctx.state.oauth, proof, "POST", token_url, None).map_err(|e| {
        oauth_err(
            400,
            "invalid_dpop_proof",
            &format!("The DPoP proof is invalid: {e}."),
        )
    })?;
    if ctx.state.oauth.settings().dpop_nonce
        && !p
            .nonce
            .as_deref()
            .is_some_and(|n| ctx.state.oauth.nonce_ok(n))
    {
        let nonce = ctx.state.oauth.new_nonce();
        return Err(oauth_err(
            400,
            "use_dpop_nonce",
            "Authorization server requires nonce in DPoP proof.",
        )
        .with_header("dpop-nonce", nonce));
    }
    Ok(Some(p.jkt))
}

fn unauthorized_client(app: &clients::Client) -> ApiError {
    oauth_err(
        400,
        "unauthorized_client",
        &format!(
            "The client is not authorized to use the provided grant type. Configured grant types: [{}].",
            app.grant_types.clone().unwrap_or_default().join(", ")
        ),
    )
}

fn token(ctx: &Ctx, f: &HashMap<String, String>, issuer: &str, called: &str) -> ApiResult<Reply> {
    let grant = f.get("grant_type").map(String::as_str).unwrap_or("");
    match grant {
        "client_credentials" | DEVICE_GRANT | "refresh_token" | "authorization_code" => {}
        "" => {
            return Err(oauth_err(
                400,
                "invalid_request",
                "The request is missing a required parameter: grant_type.",
            ));
        }
        other => {
            return Err(oauth_err(
                400,
                "unsupported_grant_type",
                &format!(
                    "The authorization grant type is not supported by the authorization server. '{other}'"
                ),
            ));
        }
    }
    // DPoP first (Okta's nonce round trip comes before the client is authenticated), so a client may resend the
    // same client authentication with the nonce.
    let dpop_required = clients::claimed_id(ctx, f)
        .and_then(|c| clients::find(ctx, &c))
        .is_some_and(|a| a.dpop_bound);
    let jkt = dpop_for_token(ctx, called, dpop_required)?;
    let public_ok = grant != "client_credentials";
    let client = clients::authenticate(ctx, f, &[called.to_string()], public_ok)?;
    if let Some(app) = &client.app
        && !app.allows(grant)
    {
        return Err(unauthorized_client(app));
    }
    let may_refresh = client
        .app
        .as_ref()
        .is_none_or(|a| a.allows("refresh_token"));
    let cid = client.client_id.as_str();
    match grant {
        "client_credentials" => {
            let scopes = parse_scopes(f.get("scope").map(String::as_str))?;
            Ok(token_reply(
                ctx,
                Grant {
                    issuer,
                    client_id: cid,
                    scopes,
                    jkt,
                    refresh: false,
                },
            ))
        }
        DEVICE_GRANT => {
            let scopes = device::redeem(ctx, f, cid)?;
            let refresh = may_refresh && scopes.iter().any(|s| s == "offline_access");
            Ok(token_reply(
                ctx,
                Grant {
                    issuer,
                    client_id: cid,
                    scopes,
                    jkt,
                    refresh,
                },
            ))
        }
        "authorization_code" => {
            let scopes = code::redeem(ctx, f, cid, issuer)?;
            let refresh = may_refresh && scopes.iter().any(|s| s == "offline_access");
            Ok(token_reply(
                ctx,
                Grant {
                    issuer,
                    client_id: cid,
                    scopes,
                    jkt,
                    refresh,
                },
            ))
        }
        _ => {
            let rt = f.get("refresh_token").cloned().unwrap_or_default();
            let t = lock(&ctx.state.oauth.refresh)
                .get(&rt)
                .filter(|t| t.expires > Instant::now() && t.client_id == cid)
                .cloned()
                .ok_or_else(|| {
                    oauth_err(
                        400,
                        "invalid_grant",
                        "The refresh token is invalid or expired.",
                    )
                })?;
            if t.jkt.is_some() && jkt != t.jkt {
                return Err(oauth_err(
                    400,
                    "invalid_dpop_proof",
                    "The DPoP proof key does not match the refresh token binding.",
                ));
            }
            Ok(token_reply(
                ctx,
                Grant {
                    issuer,
                    client_id: cid,
                    scopes: t.scopes,
                    jkt,
                    refresh: false,
                },
            )
            .header("x-okta-sim-refresh", "reused"))
        }
    }
}

/// Revoke and introspect authenticate the client like the token endpoint; an assertion may name this endpoint or
/// the token endpoint as its audience.
fn endpoint_client(
    ctx: &Ctx,
    f: &HashMap<String, String>,
    called: &str,
    token_url: &str,
) -> ApiResult<String> {
    let auds = [called.to_string(), token_url.to_string()];
    Ok(clients::authenticate(ctx, f, &auds, true)?.client_id)
}

pub async fn handle(ctx: &Ctx, s: &[&str]) -> ApiResult<Reply> {
    // /oauth2/v1/<op> (org AS) or /oauth2/<asId>/v1/<op> (custom AS).
    let (issuer, rest): (String, Vec<&str>) = match s {
        [".well-known", rest @ ..] => (ctx.base().to_string(), [&[".well-known"], rest].concat()),
        ["oauth2", "v1", rest @ ..] => (ctx.base().to_string(), rest.to_vec()),
        ["oauth2", asid, rest @ ..] => {
            let rest: Vec<&str> = if rest.first() == Some(&"v1") {
                rest[1..].to_vec()
            } else {
                rest.to_vec()
            };
            (format!("{}/oauth2/{asid}", ctx.base()), rest)
        }
        _ => return crate::generic::handle(ctx, s),
    };
    let endpoint = |op: &str| {
        if issuer == ctx.base() {
            format!("{issuer}/oauth2/v1/{op}")
        } else {
            format!("{issuer}/v1/{op}")
        }
    };
    let called = called_url(ctx.base(), &ctx.headers, &ctx.path);
    let f = form(ctx);
    let result = match (ctx.method.as_str(), rest.as_slice()) {
        ("GET", [".well-known", _]) => Ok(Reply::json(json!({
            "issuer": issuer,
            "authorization_endpoint": endpoint("authorize"),
            "token_endpoint": endpoint("token"),
            "device_authorization_endpoint": endpoint("device/authorize"),
            "revocation_endpoint": endpoint("revoke"),
            "introspection_endpoint": endpoint("introspect"),
            "jwks_uri": endpoint("keys"),
            "userinfo_endpoint": endpoint("userinfo"),
            "grant_types_supported": ["authorization_code", "client_credentials", DEVICE_GRANT, "refresh_token"],
            "response_types_supported": ["code"],
            "response_modes_supported": ["query"],
            "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post", "private_key_jwt", "none"],
            "token_endpoint_auth_signing_alg_values_supported": ["RS256", "ES256"],
            "dpop_signing_alg_values_supported": ["RS256", "ES256"],
            "scopes_supported": ["openid", "profile", "email", "offline_access", "okta.users.read", "okta.users.manage"],
        }))),
        ("GET", ["keys"]) => Ok(Reply::json(json!({"keys": []}))),
        ("GET", ["authorize"]) => code::authorize(ctx, &issuer, &ctx.query.pairs.iter().cloned().collect()),
        ("POST", ["authorize"]) => code::authorize(ctx, &issuer, &f),
        ("POST", ["device", "authorize"]) => device::authorize(ctx, &f, &called),
        ("POST", ["token"]) => token(ctx, &f, &issuer, &called),
        ("POST", ["revoke"]) => endpoint_client(ctx, &f, &called, &endpoint("token")).map(|cid| {
            let tok = f.get("token").cloned().unwrap_or_default();
            // Only the client's own tokens; RFC 7009: 200 whether or not there was such a token.
            let mine = |t: &IssuedToken| t.client_id == cid;
            let mut tokens = lock(&ctx.state.oauth.tokens);
            if tokens.get(&tok).is_some_and(mine) {
                tokens.remove(&tok);
            }
            drop(tokens);
            let mut refresh = lock(&ctx.state.oauth.refresh);
            if refresh.get(&tok).is_some_and(mine) {
                refresh.remove(&tok);
            }
            Reply::empty(200)
        }),
        ("POST", ["introspect"]) => endpoint_client(ctx, &f, &called, &endpoint("token")).map(|_| {
            let tok = f.get("token").cloned().unwrap_or_default();
            Reply::json(match ctx.state.oauth.lookup(&tok) {
                Some(t) => {
                    json!({"active": true, "scope": t.scopes.join(" "), "client_id": t.client_id, "token_type": if t.jkt.is_some() { "DPoP" } else { "Bearer" }})
                }
                None => json!({"active": false}),
            })
        }),
        _ => return crate::generic::handle(ctx, s),
    };
    let op = rest.join("/");
    let outcome = match &result {
        Ok(r) => json!(r.status.as_u16()),
        Err(e) => json!(
            e.oauth
                .as_ref()
                .map(|(err, _)| err.as_str())
                .unwrap_or("error")
        ),
    };
    if ctx.method == http::Method::POST {
        let grant = f.get("grant_type").cloned();
        if grant.as_deref() == Some(DEVICE_GRANT) {
            let answer = match &result {
                Ok(_) => "issued".to_string(),
                Err(e) => e
                    .oauth
                    .as_ref()
                    .map(|(err, _)| err.clone())
                    .unwrap_or_default(),
            };
            device::record_poll(
                &ctx.state.oauth,
                f.get("device_code").map(String::as_str).unwrap_or(""),
                &answer,
            );
        }
        ctx.state.oauth.record(json!({
            "unix_ms": now_ms(), "endpoint": op, "issuer": issuer, "grant_type": grant,
            "client_id": clients::claimed_id(ctx, &f), "dpop": ctx.headers.contains_key("dpop"),
            "outcome": outcome,
        }));
    } else if op == "authorize" {
        ctx.state.oauth.record(json!({
            "unix_ms": now_ms(), "endpoint": op, "issuer": issuer,
            "client_id": ctx.query.get("client_id"), "outcome": outcome,
        }));
    }
    result
}
