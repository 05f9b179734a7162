//! DPoP proofs (RFC 9449), checked as Okta checks them: typ `dpop+jwt`, alg RS256 / ES256, a public `jwk` in the
//! header whose key verifies the signature, `htm` and `htu` (no query or fragment) of this request, `iat` within
//! five minutes (one minute ahead at most), a `jti` never seen before, `ath` = SHA-256 of the access token on
//! resource requests. The nonce round trip and the token binding (`cnf.jkt`) are the callers'.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use sha2::{Digest, Sha256};

use super::{OAuthState, jose, now_secs};

/// Oldest and most future `iat` a proof may carry, in seconds from now.
const IAT_PAST: i64 = 300;
const IAT_FUTURE: i64 = 60;

pub struct Proof {
    /// Thumbprint of the proof's key: what a token is bound to.
    pub jkt: String,
    pub nonce: Option<String>,
}

/// Scheme, host, port and path of a URL, for comparing `htu` with the request (RFC 9449 §4.3: no query, no
/// fragment; scheme and host case-insensitive).
fn normalized(u: &str) -> Option<String> {
    let u = url::Url::parse(u).ok()?;
    Some(format!(
        "{}://{}:{}{}",
        u.scheme(),
        u.host_str()?.to_ascii_lowercase(),
        u.port_or_known_default()?,
        u.path()
    ))
}

/// Verifies a proof for `method url` (the URL as called, without its query), and `access_token` when the request
/// presents one.
pub fn check(
    state: &OAuthState,
    proof: &str,
    method: &str,
    url: &str,
    access_token: Option<&str>,
) -> Result<Proof, String> {
    let jws = jose::parse(proof)?;
    let h = &jws.header;
    if h["typ"].as_str() != Some("dpop+jwt") {
        return Err("the proof's typ is not dpop+jwt".into());
    }
    let jwk = h
        .get("jwk")
        .filter(|j| j.is_object())
        .ok_or("the proof has no jwk header")?;
    if jose::has_private_parts(jwk) {
        return Err("the proof's jwk contains a private key".into());
    }
    if jose::kty_for(jws.alg()).is_none() {
        return Err(format!(
            "the proof's alg {:?} is not supported (RS256, ES256)",
            jws.alg()
        ));
    }
    jws.verify(jwk)
        .map_err(|e| format!("the proof's signature does not verify with its jwk ({e})"))?;
    let jkt = jose::thumbprint(jwk)?;
    let p = &jws.payload;
    if p["htm"].as_str() != Some(method) {
        return Err("htm does not match the request method".into());
    }
    let htu = p["htu"].as_str().ok_or("the proof has no htu")?;
    if htu.contains(['?', '#']) {
        return Err("htu must not contain a query or a fragment".into());
    }
    let target = url.split(['?', '#']).next().unwrap_or("");
    if normalized(htu).is_none() || normalized(htu) != normalized(target) {
        return Err("htu does not match the request URL".into());
    }
    let now = now_secs();
    let iat = match p["iat"].as_i64() {
        Some(iat) if iat < now - IAT_PAST => {
            return Err("iat is too old (more than 5 minutes)".into());
        }
        Some(iat) if iat > now + IAT_FUTURE => return Err("iat is in the future".into()),
        Some(iat) => iat,
        None => return Err("the proof has no iat".into()),
    };
    let jti = p["jti"]
        .as_str()
        .filter(|j| !j.is_empty())
        .ok_or("the proof has no jti")?;
    if let Some(tok) = access_token {
        let ath = B64.encode(Sha256::digest(tok.as_bytes()));
        match p["ath"].as_str() {
            None => return Err("the proof has no ath (hash of the access token)".into()),
            Some(a) if a != ath => return Err("ath does not match the access token".into()),
            Some(_) => {}
        }
    }
    // Last: a proof refused for another reason does not burn its jti.
    if !state
        .proof_jtis
        .first_use(format!("{jkt}\n{jti}"), iat + IAT_PAST + IAT_FUTURE)
    {
        return Err("the proof's jti has already been used".into());
    }
    Ok(Proof {
        jkt,
        nonce: p["nonce"].as_str().map(str::to_string),
    })
}
