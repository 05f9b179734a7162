//! private_key_jwt (RFC 7523): the client assertion that authenticates a service app at the
//! token endpoint. Built fresh for every token request: its jti must never repeat.

use serde_json::json;

use super::keys::{SigningKey, random_id, sign_jws, unix_now};

pub const CLIENT_ASSERTION_TYPE: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
/// Okta refuses assertions valid for more than an hour; five minutes is the usual choice.
pub const ASSERTION_LIFETIME_SECS: u64 = 300;

/// iss = sub = `client_id`, aud = the token endpoint URL, unique jti, iat/exp five minutes apart.
pub fn client_assertion(
    key: &SigningKey,
    key_id: Option<&str>,
    client_id: &str,
    token_url: &str,
) -> String {
    let mut header = json!({ "alg": key.algorithm(), "typ": "JWT" });
    if let Some(kid) = key_id.map(str::trim).filter(|kid| !kid.is_empty()) {
        header["kid"] = json!(kid);
    }
    let iat = unix_now();
    let claims = json!({
        "iss": client_id,
        "sub": client_id,
        "aud": token_url,
        "iat": iat,
        "exp": iat + ASSERTION_LIFETIME_SECS,
        "jti": random_id(),
    });
    sign_jws(key, &header, &claims)
}
