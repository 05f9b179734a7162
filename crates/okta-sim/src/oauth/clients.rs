//! Client authentication at the OAuth endpoints. As in a real org, a client is an OIDC app created through
//! `POST /api/v1/apps`: its `credentials.oauthClient` (client_id = the app id, token_endpoint_auth_method,
//! client_secret) and `settings.oauthClient` (jwks.keys, grant_types, redirect_uris, dpop_bound_access_tokens).
//!
//! - `private_key_jwt`: the assertion's signature is verified against the app's ACTIVE keys (by `kid`, else each
//!   key of the algorithm's type); iss = sub = client_id; aud = the endpoint URL called; exp in the future and at
//!   most an hour after iat; jti never seen before (remembered until exp).
//! - `client_secret_basic` / `client_secret_post`: the app's secret.
//! - `none`: the client id alone. A client id that is no app is accepted only where `public_ok` (the device flow
//!   and authorization code + PKCE), so quick starts work against a fresh simulator.
//!
//! Failures are 401 `invalid_client`, like Okta's.

use std::collections::HashMap;
use std::sync::Mutex;

use base64::Engine;
use serde_json::Value;

use super::{ASSERTION_TYPE, jose, now_secs, oauth_err};
use crate::errors::ApiResult;
use crate::resources::Ctx;

const AUTH_FAILED: &str =
    "Client authentication failed. Either the client or the client credentials are invalid.";

/// What the token endpoint needs to know about a registered client.
#[derive(Clone, Debug)]
pub struct Client {
    pub client_id: String,
    pub active: bool,
    pub auth_method: String,
    /// The ACTIVE client secrets.
    pub secrets: Vec<String>,
    /// Public signing keys (status not INACTIVE, use not `enc`).
    pub keys: Vec<Value>,
    /// `None`: the app does not list its grant types (every grant allowed).
    pub grant_types: Option<Vec<String>>,
    pub redirect_uris: Vec<String>,
    pub dpop_bound: bool,
    pub pkce_required: bool,
}

impl Client {
    pub fn allows(&self, grant: &str) -> bool {
        self.grant_types
            .as_ref()
            .is_none_or(|g| g.iter().any(|x| x == grant))
    }
}

/// Finds the OIDC app whose `credentials.oauthClient.client_id` is `client_id`.
pub fn find(ctx: &Ctx, client_id: &str) -> Option<Client> {
    ctx.store().read(|org| {
        // Apps without credentials or settings (bookmarks, the day-one apps) are skipped: a Map's
        // index panics on a missing key, a Value's answers Null.
        let app = org.apps.values().find(|a| {
            a.body
                .get("credentials")
                .and_then(|c| c["oauthClient"]["client_id"].as_str())
                == Some(client_id)
        })?;
        let creds = app.body.get("credentials").map_or(&Value::Null, |c| &c["oauthClient"]);
        let settings = app.body.get("settings").map_or(&Value::Null, |s| &s["oauthClient"]);
        let strings = |v: &Value| -> Vec<String> {
            v.as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|x| x.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default()
        };
        Some(Client {
            client_id: client_id.to_string(),
            active: app.status == "ACTIVE",
            auth_method: creds["token_endpoint_auth_method"]
                .as_str()
                .unwrap_or("client_secret_basic")
                .to_string(),
            secrets: crate::resources::app_secrets::active(app),
            keys: settings["jwks"]["keys"]
                .as_array()
                .map(|keys| {
                    keys.iter()
                        .filter(|k| k["status"].as_str() != Some("INACTIVE"))
                        .filter(|k| k["use"].as_str() != Some("enc"))
                        .cloned()
                        .collect()
                })
                .unwrap_or_default(),
            grant_types: settings
                .get("grant_types")
                .filter(|g| g.is_array())
                .map(strings),
            redirect_uris: strings(&settings["redirect_uris"]),
            dpop_bound: settings["dpop_bound_access_tokens"].as_bool() == Some(true),
            pkce_required: creds["pkce_required"].as_bool() != Some(false),
        })
    })
}

/// How a request presents its client.
enum Presented {
    Assertion(String),
    Basic(String, String),
    Post(String),
    None,
}

/// The client a request claims to be, before any verification (for the DPoP requirement of its app).
pub fn claimed_id(ctx: &Ctx, f: &HashMap<String, String>) -> Option<String> {
    if let Some(a) = f.get("client_assertion")
        && let Ok(jws) = jose::parse(a)
        && let Some(sub) = jws.payload["sub"].as_str()
    {
        return Some(sub.to_string());
    }
    if let Some((id, _)) = basic(ctx) {
        return Some(id);
    }
    f.get("client_id").cloned()
}

fn basic(ctx: &Ctx) -> Option<(String, String)> {
    let v = ctx
        .headers
        .get(http::header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Basic ")?;
    let dec = base64::engine::general_purpose::STANDARD
        .decode(v.trim())
        .ok()?;
    let dec = String::from_utf8(dec).ok()?;
    let (id, secret) = dec.split_once(':')?;
    let unescape = |s: &str| {
        form_urlencoded::parse(format!("x={s}").as_bytes())
            .next()
            .map(|(_, v)| v.into_owned())
            .unwrap_or_default()
    };
    Some((unescape(id), unescape(secret)))
}

/// The authenticated client of a request: its id, and its app when it is registered.
pub struct Authenticated {
    pub client_id: String,
    pub app: Option<Client>,
}

/// Remembers the jtis of accepted assertions until they expire.
#[derive(Default)]
pub struct SeenJtis(Mutex<HashMap<String, i64>>);

impl SeenJtis {
    /// False when `key` was seen and has not expired; otherwise records it until `until`.
    pub fn first_use(&self, key: String, until: i64) -> bool {
        let now = now_secs();
        let mut m = self.0.lock().unwrap_or_else(|p| p.into_inner());
        if m.len() > 4096 {
            m.retain(|_, exp| *exp >= now);
        }
        match m.get(&key) {
            Some(exp) if *exp >= now => false,
            _ => {
                m.insert(key, until);
                true
            }
        }
    }
}

/// Authenticates the client of a token / revoke / introspect request. `audiences`: the URLs an assertion's `aud`
/// may name (the endpoint called first). `public_ok`: a client id that is no app is accepted with method none.
pub fn authenticate(
    ctx: &Ctx,
    f: &HashMap<String, String>,
    audiences: &[String],
    public_ok: bool,
) -> ApiResult<Authenticated> {
    let presented = if let Some(a) = f.get("client_assertion") {
        if f.get("client_assertion_type").map(String::as_str) != Some(ASSERTION_TYPE) {
            return Err(oauth_err(
                400,
                "invalid_client",
                "client_assertion_type must be urn:ietf:params:oauth:client-assertion-type:jwt-bearer.",
            ));
        }
        Presented::Assertion(a.clone())
    } else if let Some((id, secret)) = basic(ctx) {
        Presented::Basic(id, secret)
    } else if let Some(s) = f.get("client_secret") {
        Presented::Post(s.clone())
    } else {
        Presented::None
    };
    let form_id = f.get("client_id").filter(|s| !s.is_empty()).cloned();
    let client_id = match &presented {
        Presented::Assertion(a) => {
            let jws = jose::parse(a).map_err(|e| {
                oauth_err(
                    401,
                    "invalid_client",
                    &format!("The client_assertion is invalid: {e}."),
                )
            })?;
            match jws.payload["sub"].as_str() {
                Some(s) if !s.is_empty() => s.to_string(),
                _ => {
                    return Err(oauth_err(
                        401,
                        "invalid_client",
                        "The client_assertion has no sub claim.",
                    ));
                }
            }
        }
        Presented::Basic(id, _) => id.clone(),
        Presented::Post(_) | Presented::None => form_id.clone().ok_or_else(|| {
            oauth_err(
                401,
                "invalid_client",
                "A client_id must be provided in the request.",
            )
        })?,
    };
    if form_id.as_ref().is_some_and(|f| *f != client_id) {
        return Err(oauth_err(
            401,
            "invalid_client",
            "The client_id does not match the client authentication.",
        ));
    }
    let Some(app) = find(ctx, &client_id) else {
        return if public_ok && matches!(presented, Presented::None) {
            Ok(Authenticated {
                client_id,
                app: None,
            })
        } else {
            Err(oauth_err(401, "invalid_client", AUTH_FAILED))
        };
    };
    if !app.active {
        return Err(oauth_err(401, "invalid_client", AUTH_FAILED));
    }
    let used = match &presented {
        Presented::Assertion(_) => "private_key_jwt",
        Presented::Basic(..) => "client_secret_basic",
        Presented::Post(_) => "client_secret_post",
        Presented::None => "none",
    };
    if used != app.auth_method {
        return Err(oauth_err(
            401,
            "invalid_client",
            &format!(
                "Client authentication failed: the client is configured for {} but the request used {used}.",
                app.auth_method
            ),
        ));
    }
    match &presented {
        Presented::Assertion(a) => verify_assertion(ctx, &app, a, audiences)?,
        Presented::Basic(_, secret) | Presented::Post(secret) => {
            if !app.secrets.iter().any(|s| s == secret) {
                return Err(oauth_err(401, "invalid_client", AUTH_FAILED));
            }
        }
        Presented::None => {}
    }
    Ok(Authenticated {
        client_id,
        app: Some(app),
    })
}

fn verify_assertion(
    ctx: &Ctx,
    app: &Client,
    assertion: &str,
    audiences: &[String],
) -> ApiResult<()> {
    let fail = |d: &str| oauth_err(401, "invalid_client", d);
    let jws = jose::parse(assertion)
        .map_err(|e| fail(&format!("The client_assertion is invalid: {e}.")))?;
    let Some(kty) = jose::kty_for(jws.alg()) else {
        return Err(fail(&format!(
            "The client_assertion signature algorithm '{}' is not supported; use RS256 or ES256.",
            jws.alg()
        )));
    };
    if app.keys.is_empty() {
        return Err(fail(
            "The client has no public keys registered (settings.oauthClient.jwks).",
        ));
    }
    let candidates: Vec<&Value> = match jws.header["kid"].as_str() {
        Some(kid) => {
            let k: Vec<&Value> = app
                .keys
                .iter()
                .filter(|k| k["kid"].as_str() == Some(kid))
                .collect();
            if k.is_empty() {
                return Err(fail(&format!(
                    "The client_assertion was signed with a key (kid '{kid}') that is not registered for the client."
                )));
            }
            k
        }
        None => app
            .keys
            .iter()
            .filter(|k| k["kty"].as_str() == Some(kty))
            .collect(),
    };
    if !candidates.iter().any(|k| jws.verify(k).is_ok()) {
        return Err(fail("The client_assertion signature is invalid."));
    }
    let p = &jws.payload;
    if p["iss"].as_str() != Some(app.client_id.as_str())
        || p["sub"].as_str() != Some(app.client_id.as_str())
    {
        return Err(fail(
            "The issuer [iss] and subject [sub] claims of the client_assertion must both be the client_id.",
        ));
    }
    let aud_ok = match &p["aud"] {
        Value::String(a) => audiences.iter().any(|x| x == a),
        Value::Array(list) => list
            .iter()
            .any(|a| a.as_str().is_some_and(|a| audiences.iter().any(|x| x == a))),
        _ => false,
    };
    if !aud_ok {
        return Err(fail(&format!(
            "The audience [aud] claim in the client_assertion is invalid; it must be {}.",
            audiences
                .first()
                .map(String::as_str)
                .unwrap_or("the endpoint URL")
        )));
    }
    let now = now_secs();
    let Some(exp) = p["exp"].as_i64() else {
        return Err(fail("The client_assertion has no exp claim."));
    };
    if exp <= now {
        return Err(fail("The client_assertion token is expired."));
    }
    let iat = p["iat"].as_i64();
    if iat.is_some_and(|iat| iat > now + 60) {
        return Err(fail("The client_assertion was issued in the future (iat)."));
    }
    if exp - iat.unwrap_or(now) > 3600 {
        return Err(fail(
            "The client_assertion token has an expiration too far into the future (more than an hour after iat).",
        ));
    }
    let Some(jti) = p["jti"].as_str().filter(|j| !j.is_empty()) else {
        return Err(fail("The client_assertion has no jti claim."));
    };
    if !ctx
        .state
        .oauth
        .assertion_jtis
        .first_use(format!("{}\n{jti}", app.client_id), exp)
    {
        return Err(fail(
            "The client_assertion token has already been used (jti replay).",
        ));
    }
    Ok(())
}
