//! Authentication and scopes.
//!
//! - `Authorization: SSWS <token>` (also `SSWS<token>` without the space, as the Python SDK sends it): the org's
//!   API token; every scope.
//! - `Authorization: Bearer <token>` / `Authorization: DPoP <token>` + `DPoP: <proof>`: an access token this
//!   simulator issued at `/oauth2/v1/token`; the endpoint's scopes (from the facts' `oauth2Scopes`) must be granted
//!   (`okta.X.manage` also satisfies `okta.X.read`). A DPoP-bound token must come with a proof for this request
//!   whose key matches the binding (signature, htm, htu, iat, jti and ath verified: `oauth/dpop.rs`), and a
//!   nonce when `dpop_api_nonce` is set (`/__sim/oauth/settings`).
//! - Missing or wrong → 401 E0000011; missing scope → 403 E0000006 with `WWW-Authenticate: … insufficient_scope`.

use http::HeaderMap;

use crate::errors::ApiError;
use crate::resources::logs::Actor;
use crate::routes::{Route, Security};
use crate::server::AppState;

pub fn authenticate(
    state: &AppState,
    route: &Route,
    method: &str,
    full_url: &str,
    path: &str,
    headers: &HeaderMap,
) -> Result<Actor, ApiError> {
    // OAuth protocol endpoints (token, device/authorize, revoke, ...) authenticate the client themselves;
    // the OAuth facts' scoped endpoints (client registration, userinfo) still need a token.
    if route.security == Security::None || (route.oauth_api && route.scopes.is_empty()) {
        return Ok(Actor::admin());
    }
    let Some(value) = headers
        .get(http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
    else {
        return Err(ApiError::invalid_token());
    };
    let value = value.trim();
    let (scheme, rest) = split_scheme(value);
    match scheme.to_ascii_lowercase().as_str() {
        "ssws" => {
            if rest == state.token {
                Ok(Actor::admin())
            } else {
                Err(ApiError::invalid_token())
            }
        }
        "bearer" | "dpop" => {
            let tok = state
                .oauth
                .lookup(rest)
                .ok_or_else(ApiError::invalid_token)?;
            let is_dpop = scheme.eq_ignore_ascii_case("dpop");
            match (&tok.jkt, is_dpop) {
                (Some(_), false) => {
                    return Err(ApiError::invalid_token()
                        .with_header("www-authenticate", "DPoP error=\"invalid_token\", error_description=\"The access token is DPoP-bound; use the DPoP scheme with a proof\""));
                }
                (None, true) => return Err(ApiError::invalid_token()),
                (Some(jkt), true) => {
                    let proof = headers.get("dpop").and_then(|v| v.to_str().ok()).ok_or_else(|| {
                        ApiError::invalid_token().with_header("www-authenticate", "DPoP error=\"invalid_dpop_proof\", error_description=\"The DPoP proof is missing\"")
                    })?;
                    let checked = crate::oauth::dpop::check(&state.oauth, proof, method, full_url, Some(rest))
                        .map_err(|e| {
                            ApiError::invalid_token().with_header(
                                "www-authenticate",
                                format!("DPoP error=\"invalid_dpop_proof\", error_description=\"{e}\""),
                            )
                        })?;
                    if &checked.jkt != jkt {
                        return Err(ApiError::invalid_token().with_header(
                            "www-authenticate",
                            "DPoP error=\"invalid_dpop_proof\", error_description=\"The proof's key does not match the token binding\"",
                        ));
                    }
                    if state.oauth.settings().dpop_api_nonce
                        && !checked.nonce.as_deref().is_some_and(|n| state.oauth.nonce_ok(n))
                    {
                        return Err(ApiError::invalid_token()
                            .with_header(
                                "www-authenticate",
                                "DPoP error=\"use_dpop_nonce\", error_description=\"Resource server requires nonce in DPoP proof\"",
                            )
                            .with_header("dpop-nonce", state.oauth.new_nonce()));
                    }
                }
                (None, false) => {}
            }
            if !route.scopes.is_empty() && !route.scopes.iter().any(|s| grants(&tok.scopes, s)) {
                return Err(ApiError::insufficient_scope(
                    &state.base_url,
                    path,
                    &route.scopes,
                ));
            }
            Ok(Actor::client(&tok.client_id))
        }
        _ => Err(ApiError::invalid_token()),
    }
}

/// `SSWS abc`, `SSWSabc`, `Bearer abc`, `DPoP abc`.
fn split_scheme(v: &str) -> (&str, &str) {
    if let Some((s, r)) = v.split_once(char::is_whitespace) {
        return (s, r.trim());
    }
    if v.len() > 4 && v[..4].eq_ignore_ascii_case("ssws") {
        return (&v[..4], &v[4..]);
    }
    (v, "")
}

/// Whether granted scopes cover a required one (`manage` covers `read`).
pub fn grants(granted: &[String], required: &str) -> bool {
    if granted.iter().any(|g| g == required) {
        return true;
    }
    if let Some(stem) = required.strip_suffix(".read") {
        let manage = format!("{stem}.manage");
        return granted.contains(&manage);
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemes() {
        assert_eq!(split_scheme("SSWS abc"), ("SSWS", "abc"));
        assert_eq!(split_scheme("SSWSabc"), ("SSWS", "abc"));
        assert_eq!(split_scheme("Bearer x.y.z"), ("Bearer", "x.y.z"));
        assert_eq!(split_scheme("Basic"), ("Basic", ""));
    }

    #[test]
    fn scope_grants() {
        let g = vec!["okta.users.manage".to_string()];
        assert!(grants(&g, "okta.users.read"));
        assert!(grants(&g, "okta.users.manage"));
        assert!(!grants(&g, "okta.groups.read"));
        assert!(!grants(
            &["okta.users.read".to_string()],
            "okta.users.manage"
        ));
    }
}
