//! The OAuth 2.0 endpoints a Management API client needs: client credentials (private_key_jwt or secret),
//! the device authorization grant, refresh tokens, DPoP (with Okta's `use_dpop_nonce` round trip), revoke,
//! introspect, keys and the discovery document. Errors are `{error, error_description}`.
//!
//! Simulation limits: client assertions and DPoP proofs are decoded and their claims checked (`htm`, `htu`,
//! `ath`, `iat`, `nonce`, key thumbprint), but signatures are not verified. Any client id is accepted.
//! Device codes are approved after `device_pending_polls` polls, or at once via
//! `POST /__sim/oauth/device/approve {"user_code": …}`.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use http::StatusCode;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::errors::{ApiError, ApiResult};
use crate::reply::Reply;
use crate::resources::Ctx;

#[derive(Clone, Debug)]
pub struct IssuedToken {
    pub client_id: String,
    pub scopes: Vec<String>,
    pub expires: Instant,
    /// JWK thumbprint of the DPoP key the token is bound to.
    pub jkt: Option<String>,
}

struct DeviceGrant {
    client_id: String,
    scopes: Vec<String>,
    user_code: String,
    polls: u32,
    approved: bool,
    expires: Instant,
}

#[derive(Default)]
pub struct OAuthState {
    tokens: Mutex<HashMap<String, IssuedToken>>,
    refresh: Mutex<HashMap<String, IssuedToken>>,
    devices: Mutex<HashMap<String, DeviceGrant>>,
    nonces: Mutex<VecDeque<String>>,
}

impl OAuthState {
    pub fn lookup(&self, token: &str) -> Option<IssuedToken> {
        let t = self
            .tokens
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(token)
            .cloned()?;
        (t.expires > Instant::now()).then_some(t)
    }

    /// Approves a pending device authorization by its user code.
    pub fn approve_device(&self, user_code: &str) -> bool {
        let mut d = self.devices.lock().unwrap_or_else(|p| p.into_inner());
        match d
            .values_mut()
            .find(|g| g.user_code.eq_ignore_ascii_case(user_code))
        {
            Some(g) => {
                g.approved = true;
                true
            }
            None => false,
        }
    }

    fn new_nonce(&self) -> String {
        let mut r = rand::rng();
        let n = crate::util::random_alnum(&mut r, 32);
        let mut q = self.nonces.lock().unwrap_or_else(|p| p.into_inner());
        q.push_back(n.clone());
        while q.len() > 256 {
            q.pop_front();
        }
        n
    }

    fn nonce_ok(&self, n: &str) -> bool {
        self.nonces
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .iter()
            .any(|x| x == n)
    }
}

fn oauth_err(status: u16, error: &str, description: &str) -> ApiError {
    ApiError::oauth(
        StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST),
        error,
        description,
    )
}

/// Decodes a JWT's header and payload (no signature check).
pub fn decode_jwt(jwt: &str) -> Result<(Value, Value), String> {
    let mut parts = jwt.split('.');
    let (Some(h), Some(p), Some(_)) = (parts.next(), parts.next(), parts.next()) else {
        return Err("not a JWT".into());
    };
    let dec = |s: &str| -> Result<Value, String> {
        let bytes = B64
            .decode(s.trim_end_matches('='))
            .map_err(|_| "bad base64url in JWT".to_string())?;
        serde_json::from_slice(&bytes).map_err(|_| "bad JSON in JWT".to_string())
    };
    Ok((dec(h)?, dec(p)?))
}

/// RFC 7638 thumbprint of a public JWK.
pub fn jwk_thumbprint(jwk: &Value) -> Result<String, String> {
    let s = |k: &str| {
        jwk.get(k)
            .and_then(Value::as_str)
            .ok_or_else(|| format!("JWK lacks {k}"))
    };
    let canonical = match s("kty")? {
        "EC" => format!(
            r#"{{"crv":"{}","kty":"EC","x":"{}","y":"{}"}}"#,
            s("crv")?,
            s("x")?,
            s("y")?
        ),
        "RSA" => format!(r#"{{"e":"{}","kty":"RSA","n":"{}"}}"#, s("e")?, s("n")?),
        "OKP" => format!(r#"{{"crv":"{}","kty":"OKP","x":"{}"}}"#, s("crv")?, s("x")?),
        other => return Err(format!("unsupported JWK kty {other}")),
    };
    Ok(B64.encode(Sha256::digest(canonical.as_bytes())))
}

pub struct DpopProof {
    pub jkt: String,
    pub nonce: Option<String>,
}

/// Checks a DPoP proof's claims for a request (signature not verified).
pub fn check_dpop_proof(
    proof: &str,
    method: &str,
    url: &str,
    access_token: Option<&str>,
) -> Result<DpopProof, String> {
    let (h, p) = decode_jwt(proof)?;
    if h["typ"].as_str() != Some("dpop+jwt") {
        return Err("the proof's typ is not dpop+jwt".into());
    }
    let jwk = h.get("jwk").ok_or("the proof has no jwk header")?;
    let jkt = jwk_thumbprint(jwk)?;
    if !p["htm"]
        .as_str()
        .is_some_and(|m| m.eq_ignore_ascii_case(method))
    {
        return Err("htm does not match the request method".into());
    }
    let strip = |u: &str| {
        u.split(['?', '#'])
            .next()
            .unwrap_or("")
            .trim_end_matches('/')
            .to_string()
    };
    if p["htu"].as_str().map(strip) != Some(strip(url)) {
        return Err("htu does not match the request URL".into());
    }
    if p["jti"].as_str().is_none_or(str::is_empty) {
        return Err("the proof has no jti".into());
    }
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs() as i64;
    match p["iat"].as_i64() {
        Some(iat) if (iat - now).abs() <= 300 => {}
        _ => return Err("iat is missing or not within 5 minutes".into()),
    }
    if let Some(tok) = access_token {
        let ath = B64.encode(Sha256::digest(tok.as_bytes()));
        if p["ath"].as_str() != Some(ath.as_str()) {
            return Err("ath does not match the access token".into());
        }
    }
    Ok(DpopProof {
        jkt,
        nonce: p["nonce"].as_str().map(str::to_string),
    })
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

/// Client id from the form, HTTP Basic, or a client assertion's `sub`.
fn client_id(ctx: &Ctx, f: &HashMap<String, String>) -> ApiResult<String> {
    if let Some(a) = f.get("client_assertion") {
        if f.get("client_assertion_type").map(String::as_str)
            != Some("urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
        {
            return Err(oauth_err(
                400,
                "invalid_client",
                "client_assertion_type must be urn:ietf:params:oauth:client-assertion-type:jwt-bearer.",
            ));
        }
        let (_, p) = decode_jwt(a).map_err(|e| {
            oauth_err(
                401,
                "invalid_client",
                &format!("The client_assertion is invalid: {e}."),
            )
        })?;
        let sub = p["sub"].as_str().or(p["iss"].as_str()).unwrap_or("");
        if sub.is_empty() {
            return Err(oauth_err(
                401,
                "invalid_client",
                "The client_assertion has no sub claim.",
            ));
        }
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default()
            .as_secs() as i64;
        if p["exp"].as_i64().is_some_and(|e| e < now) {
            return Err(oauth_err(
                401,
                "invalid_client",
                "The client_assertion token is expired.",
            ));
        }
        return Ok(sub.to_string());
    }
    if let Some(c) = f.get("client_id") {
        return Ok(c.clone());
    }
    if let Some(basic) = ctx
        .headers
        .get(http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic "))
        && let Ok(dec) = base64::engine::general_purpose::STANDARD.decode(basic.trim())
        && let Some((id, _)) = String::from_utf8_lossy(&dec).split_once(':')
    {
        return Ok(id.to_string());
    }
    Err(oauth_err(
        401,
        "invalid_client",
        "Client authentication failed. Either the client or the client credentials are invalid.",
    ))
}

fn parse_scopes(f: &HashMap<String, String>) -> ApiResult<Vec<String>> {
    let scopes: Vec<String> = f
        .get("scope")
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

fn mint_access_token(ctx: &Ctx, client_id: &str, scopes: &[String], jkt: Option<&str>) -> String {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs();
    let mut r = rand::rng();
    let jti = format!("AT.{}", crate::util::random_alnum(&mut r, 40));
    let header = json!({"kid": "okta-sim", "alg": "RS256"});
    let mut payload = json!({
        "ver": 1, "jti": jti, "iss": ctx.base(), "aud": ctx.base(), "iat": now,
        "exp": now + ctx.state.opts.token_lifetime.as_secs(), "cid": client_id, "scp": scopes, "sub": client_id,
    });
    if let Some(j) = jkt {
        payload["cnf"] = json!({"jkt": j});
    }
    let sig = crate::util::random_alnum(&mut r, 86);
    format!(
        "{}.{}.{}",
        B64.encode(header.to_string()),
        B64.encode(payload.to_string()),
        sig
    )
}

fn token_reply(
    ctx: &Ctx,
    client_id: &str,
    scopes: Vec<String>,
    jkt: Option<String>,
    with_refresh: bool,
) -> Reply {
    let access = mint_access_token(ctx, client_id, &scopes, jkt.as_deref());
    let lifetime = ctx.state.opts.token_lifetime;
    let issued = IssuedToken {
        client_id: client_id.to_string(),
        scopes: scopes.clone(),
        expires: Instant::now() + lifetime,
        jkt: jkt.clone(),
    };
    ctx.state
        .oauth
        .tokens
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .insert(access.clone(), issued.clone());
    let mut body = json!({
        "token_type": if jkt.is_some() { "DPoP" } else { "Bearer" },
        "expires_in": lifetime.as_secs(),
        "access_token": access,
        "scope": scopes.join(" "),
    });
    if with_refresh {
        let mut r = rand::rng();
        let rt = crate::util::random_alnum(&mut r, 43);
        ctx.state
            .oauth
            .refresh
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(
                rt.clone(),
                IssuedToken {
                    expires: Instant::now() + Duration::from_secs(90 * 24 * 3600),
                    ..issued
                },
            );
        body["refresh_token"] = json!(rt);
    }
    Reply::json(body)
        .header("cache-control", "no-store")
        .header("pragma", "no-cache")
}

/// The DPoP part of a token request: none, a bound key, or the nonce round trip.
fn dpop_for_token(ctx: &Ctx, token_url: &str) -> ApiResult<Option<String>> {
    let Some(proof) = ctx.headers.get("dpop").and_then(|v| v.to_str().ok()) else {
        return Ok(None);
    };
    let p = check_dpop_proof(proof, "POST", token_url, None).map_err(|e| {
        oauth_err(
            400,
            "invalid_dpop_proof",
            &format!("The DPoP proof is invalid: {e}."),
        )
    })?;
    if ctx.state.opts.dpop_nonce
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
    match (ctx.method.as_str(), rest.as_slice()) {
        ("GET", [".well-known", _]) => Ok(Reply::json(json!({
            "issuer": issuer,
            "authorization_endpoint": endpoint("authorize"),
            "token_endpoint": endpoint("token"),
            "device_authorization_endpoint": endpoint("device/authorize"),
            "revocation_endpoint": endpoint("revoke"),
            "introspection_endpoint": endpoint("introspect"),
            "jwks_uri": endpoint("keys"),
            "userinfo_endpoint": endpoint("userinfo"),
            "grant_types_supported": ["client_credentials", "urn:ietf:params:oauth:grant-type:device_code", "refresh_token", "authorization_code"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post", "private_key_jwt", "none"],
            "dpop_signing_alg_values_supported": ["RS256", "ES256"],
            "response_types_supported": ["code"],
            "scopes_supported": ["openid", "profile", "email", "offline_access", "okta.users.read", "okta.users.manage"],
        }))),
        ("GET", ["keys"]) => Ok(Reply::json(json!({"keys": []}))),
        ("POST", ["device", "authorize"]) => {
            let f = form(ctx);
            let cid = f.get("client_id").cloned().ok_or_else(|| {
                oauth_err(
                    401,
                    "invalid_client",
                    "A client_id must be provided in the request.",
                )
            })?;
            let scopes = parse_scopes(&f)?;
            let mut r = rand::rng();
            let device_code = crate::util::random_alnum(&mut r, 36);
            let uc = crate::util::random_alnum(&mut r, 8).to_uppercase();
            let user_code = format!("{}-{}", &uc[..4], &uc[4..]);
            ctx.state
                .oauth
                .devices
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .insert(
                    device_code.clone(),
                    DeviceGrant {
                        client_id: cid,
                        scopes,
                        user_code: user_code.clone(),
                        polls: 0,
                        approved: false,
                        expires: Instant::now() + Duration::from_secs(600),
                    },
                );
            Ok(Reply::json(json!({
                "device_code": device_code,
                "user_code": user_code,
                "verification_uri": format!("{}/activate", ctx.base()),
                "verification_uri_complete": format!("{}/activate?user_code={user_code}", ctx.base()),
                "expires_in": 600,
                "interval": ctx.state.opts.device_interval_secs,
            })))
        }
        ("POST", ["token"]) => {
            let f = form(ctx);
            let grant = f.get("grant_type").cloned().unwrap_or_default();
            match grant.as_str() {
                "client_credentials" => {
                    let cid = client_id(ctx, &f)?;
                    let scopes = parse_scopes(&f)?;
                    let jkt = dpop_for_token(ctx, &endpoint("token"))?;
                    Ok(token_reply(ctx, &cid, scopes, jkt, false))
                }
                "urn:ietf:params:oauth:grant-type:device_code" => {
                    let code = f.get("device_code").cloned().unwrap_or_default();
                    let pending_polls = ctx.state.opts.device_pending_polls;
                    let (cid, scopes) = {
                        let mut d = ctx
                            .state
                            .oauth
                            .devices
                            .lock()
                            .unwrap_or_else(|p| p.into_inner());
                        let g = d.get_mut(&code).ok_or_else(|| {
                            oauth_err(
                                400,
                                "invalid_grant",
                                "The device code is invalid or has expired.",
                            )
                        })?;
                        if g.expires < Instant::now() {
                            return Err(oauth_err(
                                400,
                                "expired_token",
                                "The device code has expired.",
                            ));
                        }
                        g.polls += 1;
                        if !g.approved && g.polls <= pending_polls {
                            return Err(oauth_err(
                                400,
                                "authorization_pending",
                                "The device authorization is pending. Please try again later.",
                            ));
                        }
                        let g = d.remove(&code).expect("present");
                        (g.client_id, g.scopes)
                    };
                    let jkt = dpop_for_token(ctx, &endpoint("token"))?;
                    let refresh = scopes.iter().any(|s| s == "offline_access");
                    Ok(token_reply(ctx, &cid, scopes, jkt, refresh))
                }
                "refresh_token" => {
                    let rt = f.get("refresh_token").cloned().unwrap_or_default();
                    let t = ctx
                        .state
                        .oauth
                        .refresh
                        .lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .get(&rt)
                        .cloned()
                        .ok_or_else(|| {
                            oauth_err(
                                400,
                                "invalid_grant",
                                "The refresh token is invalid or expired.",
                            )
                        })?;
                    let jkt = dpop_for_token(ctx, &endpoint("token"))?;
                    if t.jkt.is_some() && jkt != t.jkt {
                        return Err(oauth_err(
                            400,
                            "invalid_dpop_proof",
                            "The DPoP proof key does not match the refresh token binding.",
                        ));
                    }
                    Ok(token_reply(ctx, &t.client_id, t.scopes, jkt, false)
                        .header("x-okta-sim-refresh", "reused"))
                }
                "" => Err(oauth_err(
                    400,
                    "invalid_request",
                    "The request is missing a required parameter: grant_type.",
                )),
                other => Err(oauth_err(
                    400,
                    "unsupported_grant_type",
                    &format!(
                        "The authorization grant type is not supported by the authorization server. '{other}'"
                    ),
                )),
            }
        }
        ("POST", ["revoke"]) => {
            let f = form(ctx);
            let tok = f.get("token").cloned().unwrap_or_default();
            ctx.state
                .oauth
                .tokens
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .remove(&tok);
            ctx.state
                .oauth
                .refresh
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .remove(&tok);
            Ok(Reply::empty(200))
        }
        ("POST", ["introspect"]) => {
            let f = form(ctx);
            let tok = f.get("token").cloned().unwrap_or_default();
            Ok(Reply::json(match ctx.state.oauth.lookup(&tok) {
                Some(t) => {
                    json!({"active": true, "scope": t.scopes.join(" "), "client_id": t.client_id, "token_type": if t.jkt.is_some() { "DPoP" } else { "Bearer" }})
                }
                None => json!({"active": false}),
            }))
        }
        _ => crate::generic::handle(ctx, s),
    }
}
