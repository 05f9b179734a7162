//! DPoP (RFC 9449): proofs that bind a token to a key pair this process holds.
//!
//! One P-256 key per token source, generated in memory and never exported; only its public JWK
//! travels (in each proof's header). Nonces are kept per server role (token endpoint, API),
//! since Okta issues them separately.

use std::sync::Mutex;

use serde_json::json;
use sha2::{Digest, Sha256};
use url::Url;

use super::keys::{SigningKey, b64, random_id, sign_jws, unix_now};

pub struct DpopKey {
    key: SigningKey,
    token_nonce: Mutex<Option<String>>,
    api_nonce: Mutex<Option<String>>,
}

/// Which server issued a nonce.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NonceFor {
    TokenEndpoint,
    Api,
}

impl DpopKey {
    pub fn generate() -> DpopKey {
        DpopKey {
            key: SigningKey::generate_ec(),
            token_nonce: Mutex::new(None),
            api_nonce: Mutex::new(None),
        }
    }

    fn slot(&self, role: NonceFor) -> &Mutex<Option<String>> {
        match role {
            NonceFor::TokenEndpoint => &self.token_nonce,
            NonceFor::Api => &self.api_nonce,
        }
    }

    pub fn set_nonce(&self, role: NonceFor, nonce: &str) {
        *self.slot(role).lock().unwrap_or_else(|p| p.into_inner()) = Some(nonce.to_owned());
    }

    pub fn nonce(&self, role: NonceFor) -> Option<String> {
        self.slot(role)
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// RFC 7638 thumbprint of the public key: what `cnf.jkt` in a bound token names.
    pub fn thumbprint(&self) -> String {
        self.key.thumbprint()
    }

    /// A proof for one request: `ath` is set when an access token goes with it (API calls).
    pub fn proof(
        &self,
        method: &str,
        url: &Url,
        role: NonceFor,
        access_token: Option<&str>,
    ) -> String {
        let header = json!({ "typ": "dpop+jwt", "alg": "ES256", "jwk": self.key.public_jwk() });
        let mut claims = json!({
            "htm": method.to_ascii_uppercase(),
            "htu": htu(url),
            "iat": unix_now(),
            "jti": random_id(),
        });
        if let Some(nonce) = self.nonce(role) {
            claims["nonce"] = json!(nonce);
        }
        if let Some(token) = access_token {
            claims["ath"] = json!(access_token_hash(token));
        }
        sign_jws(&self.key, &header, &claims)
    }
}

impl std::fmt::Debug for DpopKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "DpopKey(ES256, thumbprint {})", self.thumbprint())
    }
}

/// The URL without query and fragment (RFC 9449 §4.2).
pub fn htu(url: &Url) -> String {
    let mut url = url.clone();
    url.set_query(None);
    url.set_fragment(None);
    url.to_string()
}

/// `ath`: base64url SHA-256 of the access token's ASCII bytes.
pub fn access_token_hash(token: &str) -> String {
    b64(&Sha256::digest(token.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn htu_drops_query_and_fragment_only() {
        let url = Url::parse("http://127.0.0.1:8080/api/v1/users/00u1?limit=2#top").unwrap();
        assert_eq!(htu(&url), "http://127.0.0.1:8080/api/v1/users/00u1");
    }

    #[test]
    fn ath_matches_the_rfc_9449_example() {
        // RFC 9449 §7.1: the access token and its `ath`.
        assert_eq!(
            access_token_hash("Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU"),
            "fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo"
        );
    }

    #[test]
    fn nonces_are_kept_per_server_role() {
        let key = DpopKey::generate();
        assert_eq!(key.nonce(NonceFor::Api), None);
        key.set_nonce(NonceFor::TokenEndpoint, "t1");
        assert_eq!(key.nonce(NonceFor::Api), None);
        key.set_nonce(NonceFor::Api, "a1");
        key.set_nonce(NonceFor::TokenEndpoint, "t2");
        assert_eq!(key.nonce(NonceFor::Api).as_deref(), Some("a1"));
        assert_eq!(key.nonce(NonceFor::TokenEndpoint).as_deref(), Some("t2"));
        assert_ne!(
            DpopKey::generate().thumbprint(),
            key.thumbprint(),
            "a new key pair each time"
        );
    }
}
