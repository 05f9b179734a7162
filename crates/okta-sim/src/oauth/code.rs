//! Authorization code + PKCE (RFC 6749 §4.1, RFC 7636 S256). `/authorize` signs the simulated user in at once and
//! redirects to the client's `redirect_uri` with a code; the token endpoint redeems it once, before it expires, at
//! the same authorization server, with the same redirect_uri and a `code_verifier` whose S256 is the challenge.
//!
//! A redirect_uri is accepted when it is a loopback one (`http://127.0.0.1:<port>/…`, `http://localhost…`, as
//! native apps use) or one of the app's `redirect_uris`. Before the redirect_uri is known to be good, errors are
//! a 400; after, they are redirects with `error=` (and `state`), as Okta does.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use sha2::{Digest, Sha256};

use super::{clients, lock, oauth_err, parse_scopes};
use crate::errors::{ApiError, ApiResult};
use crate::reply::{Reply, ReplyBody};
use crate::resources::Ctx;

pub struct AuthCode {
    client_id: String,
    issuer: String,
    redirect_uri: String,
    scopes: Vec<String>,
    challenge: Option<String>,
    expires: Instant,
    used: bool,
}

fn is_loopback(uri: &str) -> bool {
    url::Url::parse(uri).is_ok_and(|u| {
        u.scheme() == "http"
            && matches!(
                u.host_str(),
                Some("127.0.0.1") | Some("localhost") | Some("[::1]")
            )
            && u.fragment().is_none()
    })
}

/// RFC 7636 §4.1: 43 to 128 characters of `[A-Za-z0-9-._~]`.
fn valid_verifier(v: &str) -> bool {
    (43..=128).contains(&v.len())
        && v.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'))
}

fn redirect(to: &str, params: &[(&str, &str)]) -> Reply {
    let mut u = match url::Url::parse(to) {
        Ok(u) => u,
        Err(_) => return Reply::empty(400),
    };
    {
        let mut q = u.query_pairs_mut();
        for (k, v) in params {
            q.append_pair(k, v);
        }
    }
    Reply {
        status: http::StatusCode::FOUND,
        headers: vec![("location", u.to_string())],
        body: ReplyBody::Text(String::new(), "text/html"),
    }
}

/// `GET|POST /oauth2[/{id}]/v1/authorize`.
pub fn authorize(ctx: &Ctx, issuer: &str, p: &HashMap<String, String>) -> ApiResult<Reply> {
    let get = |k: &str| p.get(k).map(String::as_str).filter(|v| !v.is_empty());
    let client_id = get("client_id").ok_or_else(|| {
        oauth_err(
            400,
            "invalid_request",
            "The 'client_id' parameter is required.",
        )
    })?;
    let app = clients::find(ctx, client_id);
    if app.as_ref().is_some_and(|a| !a.active) {
        return Err(oauth_err(
            400,
            "invalid_client",
            "The client is not active.",
        ));
    }
    let redirect_uri = get("redirect_uri").ok_or_else(|| {
        oauth_err(
            400,
            "invalid_request",
            "The 'redirect_uri' parameter is required.",
        )
    })?;
    let registered = app
        .as_ref()
        .is_some_and(|a| a.redirect_uris.iter().any(|r| r == redirect_uri));
    if !registered && !is_loopback(redirect_uri) {
        return Err(oauth_err(
            400,
            "invalid_request",
            "The 'redirect_uri' parameter must be a loopback URI (http://127.0.0.1:<port>/…) or a Login redirect URI in the client app settings.",
        ));
    }
    let state = get("state");
    let fail = |error: &str, description: &str| -> ApiResult<Reply> {
        let mut params = vec![("error", error), ("error_description", description)];
        if let Some(s) = state {
            params.push(("state", s));
        }
        Ok(redirect(redirect_uri, &params))
    };
    if get("response_type") != Some("code") {
        return fail(
            "unsupported_response_type",
            "The response type is not supported by the authorization server. Use 'code'.",
        );
    }
    if let Some(a) = &app
        && !a.allows("authorization_code")
    {
        return fail(
            "unauthorized_client",
            "The client is not authorized to use the provided grant type.",
        );
    }
    let scopes = match parse_scopes(get("scope")) {
        Ok(s) => s,
        Err(e) => {
            let (err, desc) = e.oauth.clone().unwrap_or_default();
            return fail(&err, &desc);
        }
    };
    if state.is_none() {
        return fail(
            "invalid_request",
            "The authorization request must include a 'state' parameter.",
        );
    }
    let challenge = get("code_challenge");
    let pkce_required = app
        .as_ref()
        .is_none_or(|a| a.pkce_required || a.auth_method == "none");
    match (challenge, get("code_challenge_method")) {
        (None, _) if pkce_required => {
            return fail(
                "invalid_request",
                "PKCE code challenge is required when the token endpoint authentication method is 'NONE'.",
            );
        }
        (Some(_), m) if m != Some("S256") => {
            return fail(
                "invalid_request",
                "The 'code_challenge_method' parameter must be 'S256'.",
            );
        }
        (Some(c), _) if c.len() != 43 || B64.decode(c).is_err() => {
            return fail(
                "invalid_request",
                "The 'code_challenge' parameter is not a base64url-encoded SHA-256 hash.",
            );
        }
        _ => {}
    }
    let mut r = rand::rng();
    let code = crate::util::random_alnum(&mut r, 43);
    let ttl = ctx.state.oauth.settings().auth_code_ttl_s;
    lock(&ctx.state.oauth.codes).insert(
        code.clone(),
        AuthCode {
            client_id: client_id.to_string(),
            issuer: issuer.to_string(),
            redirect_uri: redirect_uri.to_string(),
            scopes,
            challenge: challenge.map(str::to_string),
            expires: Instant::now() + Duration::from_secs(ttl),
            used: false,
        },
    );
    let mut params = vec![("code", code.as_str())];
    if let Some(s) = state {
        params.push(("state", s));
    }
    Ok(redirect(redirect_uri, &params))
}

/// `grant_type=authorization_code` at the token endpoint: the code's scopes, or `invalid_grant`.
pub fn redeem(
    ctx: &Ctx,
    f: &HashMap<String, String>,
    client_id: &str,
    issuer: &str,
) -> ApiResult<Vec<String>> {
    let invalid = |d: &str| -> ApiError { oauth_err(400, "invalid_grant", d) };
    let code = f.get("code").map(String::as_str).unwrap_or("");
    let mut codes = lock(&ctx.state.oauth.codes);
    let c = codes
        .get_mut(code)
        .ok_or_else(|| invalid("The authorization code is invalid or has expired."))?;
    // Any attempt spends the code: a second one, right or wrong, is refused.
    if std::mem::replace(&mut c.used, true) || c.expires <= Instant::now() {
        return Err(invalid("The authorization code is invalid or has expired."));
    }
    if c.client_id != client_id || c.issuer != issuer {
        return Err(invalid(
            "The authorization code was issued to another client or by another authorization server.",
        ));
    }
    if f.get("redirect_uri").map(String::as_str) != Some(c.redirect_uri.as_str()) {
        return Err(invalid(
            "The 'redirect_uri' does not match the redirection URI used in the authorization request.",
        ));
    }
    if let Some(challenge) = &c.challenge {
        let Some(verifier) = f.get("code_verifier") else {
            return Err(oauth_err(
                400,
                "invalid_request",
                "PKCE verification failed: the 'code_verifier' parameter is required.",
            ));
        };
        if !valid_verifier(verifier)
            || B64.encode(Sha256::digest(verifier.as_bytes())) != *challenge
        {
            return Err(invalid("PKCE verification failed."));
        }
    }
    Ok(c.scopes.clone())
}
