//! Real keys and a JWS implementation independent of the simulator's (`jsonwebtoken`), to sign client assertions
//! and DPoP proofs the way a client does.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

pub const ASSERTION_TYPE: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

#[derive(Clone, Copy)]
pub enum TestKey {
    Rsa1,
    Rsa2,
    Ec1,
    Ec2,
}

impl TestKey {
    fn pem(self) -> &'static str {
        match self {
            TestKey::Rsa1 => include_str!("../keys/rsa1.pem"),
            TestKey::Rsa2 => include_str!("../keys/rsa2.pem"),
            TestKey::Ec1 => include_str!("../keys/ec1.pem"),
            TestKey::Ec2 => include_str!("../keys/ec2.pem"),
        }
    }

    fn is_rsa(self) -> bool {
        matches!(self, TestKey::Rsa1 | TestKey::Rsa2)
    }

    pub fn alg(self) -> Algorithm {
        if self.is_rsa() {
            Algorithm::RS256
        } else {
            Algorithm::ES256
        }
    }

    /// The public JWK (no kid).
    pub fn public_jwk(self) -> Value {
        if self.is_rsa() {
            use rsa::pkcs8::DecodePrivateKey;
            use rsa::traits::PublicKeyParts;
            let k = rsa::RsaPrivateKey::from_pkcs8_pem(self.pem()).unwrap();
            json!({"kty": "RSA", "n": B64.encode(k.n().to_bytes_be()), "e": B64.encode(k.e().to_bytes_be())})
        } else {
            use p256::elliptic_curve::sec1::ToEncodedPoint;
            use p256::pkcs8::DecodePrivateKey;
            let k = p256::SecretKey::from_pkcs8_pem(self.pem()).unwrap();
            let p = k.public_key().to_encoded_point(false);
            json!({"kty": "EC", "crv": "P-256", "x": B64.encode(p.x().unwrap()), "y": B64.encode(p.y().unwrap())})
        }
    }

    pub fn public_jwk_with_kid(self, kid: &str) -> Value {
        let mut j = self.public_jwk();
        j["kid"] = json!(kid);
        j
    }

    fn encoding_key(self) -> EncodingKey {
        if self.is_rsa() {
            EncodingKey::from_rsa_pem(self.pem().as_bytes()).unwrap()
        } else {
            EncodingKey::from_ec_pem(self.pem().as_bytes()).unwrap()
        }
    }

    pub fn sign(self, header: Header, claims: &Value) -> String {
        jsonwebtoken::encode(&header, claims, &self.encoding_key()).unwrap()
    }

    /// JWK thumbprint (RFC 7638), computed here independently.
    pub fn thumbprint(self) -> String {
        let j = self.public_jwk();
        let c = if self.is_rsa() {
            format!(
                r#"{{"e":"{}","kty":"RSA","n":"{}"}}"#,
                j["e"].as_str().unwrap(),
                j["n"].as_str().unwrap()
            )
        } else {
            format!(
                r#"{{"crv":"P-256","kty":"EC","x":"{}","y":"{}"}}"#,
                j["x"].as_str().unwrap(),
                j["y"].as_str().unwrap()
            )
        };
        B64.encode(Sha256::digest(c.as_bytes()))
    }
}

pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

pub fn unique() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    format!("{}-{}", now(), N.fetch_add(1, Ordering::Relaxed))
}

/// The claims of a good client assertion.
pub fn assertion_claims(client_id: &str, aud: &str) -> Value {
    json!({"iss": client_id, "sub": client_id, "aud": aud, "iat": now(), "exp": now() + 300, "jti": unique()})
}

pub fn assertion_with(key: TestKey, kid: Option<&str>, claims: &Value) -> String {
    let mut h = Header::new(key.alg());
    h.kid = kid.map(str::to_string);
    key.sign(h, claims)
}

pub fn assertion(key: TestKey, kid: Option<&str>, client_id: &str, aud: &str) -> String {
    assertion_with(key, kid, &assertion_claims(client_id, aud))
}

/// A DPoP proof for `method url`, with the server's nonce and the access token's hash when given.
pub fn dpop(
    key: TestKey,
    method: &str,
    url: &str,
    nonce: Option<&str>,
    token: Option<&str>,
) -> String {
    let mut p = json!({"htm": method, "htu": url, "iat": now(), "jti": unique()});
    if let Some(n) = nonce {
        p["nonce"] = json!(n);
    }
    if let Some(t) = token {
        p["ath"] = json!(B64.encode(Sha256::digest(t.as_bytes())));
    }
    dpop_with(key, &p)
}

pub fn dpop_with(key: TestKey, claims: &Value) -> String {
    let mut h = Header::new(key.alg());
    h.typ = Some("dpop+jwt".into());
    h.jwk = Some(serde_json::from_value(key.public_jwk()).unwrap());
    key.sign(h, claims)
}

/// PKCE: a verifier and its S256 challenge.
pub fn pkce() -> (String, String) {
    let verifier = format!("v{}-{}", unique(), "x".repeat(40));
    let challenge = B64.encode(Sha256::digest(verifier.as_bytes()));
    (verifier, challenge)
}

use super::Sim;

/// Creates an OIDC app: `auth_method` (private_key_jwt, client_secret_basic, client_secret_post, none),
/// registered public keys, grant types, and `extra` merged into `settings.oauthClient`.
pub async fn create_oidc_app(
    sim: &Sim,
    auth_method: &str,
    keys: &[Value],
    grants: &[&str],
    extra: Value,
) -> Value {
    let mut oauth_settings =
        json!({"grant_types": grants, "application_type": "service", "redirect_uris": []});
    if !keys.is_empty() {
        oauth_settings["jwks"] = json!({"keys": keys});
    }
    if let Some(o) = extra.as_object() {
        for (k, v) in o {
            oauth_settings[k] = v.clone();
        }
    }
    let body = json!({
        "name": "oidc_client", "label": format!("client {}", unique()), "signOnMode": "OPENID_CONNECT",
        "credentials": {"oauthClient": {"token_endpoint_auth_method": auth_method}},
        "settings": {"oauthClient": oauth_settings},
    });
    let r = sim.post("/api/v1/apps", body).await;
    let st = r.status();
    let v: Value = r.json().await.unwrap();
    assert_eq!(st, 200, "create app: {v}");
    v
}

pub struct Answer {
    pub status: u16,
    pub body: Value,
    pub headers: reqwest::header::HeaderMap,
}

impl Answer {
    pub fn error(&self) -> &str {
        self.body["error"].as_str().unwrap_or("")
    }
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    }
}

/// POSTs a form to an OAuth endpoint (path or URL), with an optional DPoP proof and Basic credentials.
pub async fn post_form(
    sim: &Sim,
    path: &str,
    form: &[(&str, &str)],
    dpop: Option<String>,
    basic: Option<(&str, &str)>,
) -> Answer {
    let mut r = sim.client.post(sim.url(path)).form(form);
    if let Some(p) = dpop {
        r = r.header("DPoP", p);
    }
    if let Some((id, secret)) = basic {
        r = r.basic_auth(id, Some(secret));
    }
    let resp = r.send().await.unwrap();
    let status = resp.status().as_u16();
    let headers = resp.headers().clone();
    let text = resp.text().await.unwrap();
    let body = serde_json::from_str(&text).unwrap_or(Value::Null);
    Answer {
        status,
        body,
        headers,
    }
}

/// A client-credentials token request signed with `key`.
pub async fn client_credentials(
    sim: &Sim,
    client_id: &str,
    assertion: &str,
    scope: &str,
    dpop: Option<String>,
) -> Answer {
    post_form(
        sim,
        "/oauth2/v1/token",
        &[
            ("grant_type", "client_credentials"),
            ("scope", scope),
            ("client_id", client_id),
            ("client_assertion_type", ASSERTION_TYPE),
            ("client_assertion", assertion),
        ],
        dpop,
        None,
    )
    .await
}

/// GET with a DPoP-bound token and proof.
pub async fn dpop_get(
    sim: &Sim,
    path: &str,
    token: &str,
    proof: Option<String>,
) -> reqwest::Response {
    let mut r = sim
        .client
        .get(sim.url(path))
        .header("Authorization", format!("DPoP {token}"));
    if let Some(p) = proof {
        r = r.header("DPoP", p);
    }
    r.send().await.unwrap()
}

/// POST to an admin endpoint, asserting 200.
pub async fn admin(sim: &Sim, path: &str, body: Value) -> Value {
    let r = sim
        .client
        .post(sim.url(path))
        .json(&body)
        .send()
        .await
        .unwrap();
    let st = r.status();
    let v: Value = r.json().await.unwrap_or(Value::Null);
    assert_eq!(st, 200, "{path}: {v}");
    v
}
