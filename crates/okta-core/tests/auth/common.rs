//! Fixtures (test-only keys), a JWS decoder and verifiers written against the primitives, so a
//! signing bug in the client cannot pass, and wiremock helpers.

#![allow(dead_code)]

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use okta_core::Config;
use serde_json::{Value, json};
use wiremock::{MockServer, Request, Respond, ResponseTemplate};

pub const RSA_PKCS1: &str = include_str!("keys/rsa_pkcs1.pem");
pub const RSA_PKCS8: &str = include_str!("keys/rsa_pkcs8.pem");
pub const EC_SEC1: &str = include_str!("keys/ec_sec1.pem");
pub const EC_PKCS8: &str = include_str!("keys/ec_pkcs8.pem");
pub const EC_P384: &str = include_str!("keys/ec_p384.pem");

pub const CLIENT_ID: &str = "0oa-robot";

pub struct Jws {
    pub header: Value,
    pub claims: Value,
    pub signing_input: String,
    pub signature: Vec<u8>,
}

pub fn b64d(text: &str) -> Vec<u8> {
    URL_SAFE_NO_PAD.decode(text).expect("base64url")
}

pub fn decode(jws: &str) -> Jws {
    let parts: Vec<&str> = jws.split('.').collect();
    assert_eq!(parts.len(), 3, "a compact JWS has three parts");
    Jws {
        header: serde_json::from_slice(&b64d(parts[0])).unwrap(),
        claims: serde_json::from_slice(&b64d(parts[1])).unwrap(),
        signing_input: format!("{}.{}", parts[0], parts[1]),
        signature: b64d(parts[2]),
    }
}

fn rsa_public(pem: &str) -> rsa::RsaPublicKey {
    use rsa::pkcs1::DecodeRsaPrivateKey;
    use rsa::pkcs8::DecodePrivateKey;
    rsa::RsaPrivateKey::from_pkcs1_pem(pem)
        .or_else(|_| rsa::RsaPrivateKey::from_pkcs8_pem(pem))
        .unwrap()
        .to_public_key()
}

pub fn verify_rs256(jws: &Jws, pem: &str) -> bool {
    use rsa::signature::Verifier;
    let key = rsa::pkcs1v15::VerifyingKey::<sha2::Sha256>::new(rsa_public(pem));
    let Ok(signature) = rsa::pkcs1v15::Signature::try_from(jws.signature.as_slice()) else {
        return false;
    };
    key.verify(jws.signing_input.as_bytes(), &signature).is_ok()
}

fn verify_es256_with(jws: &Jws, key: &p256::ecdsa::VerifyingKey) -> bool {
    use p256::ecdsa::signature::Verifier;
    let Ok(signature) = p256::ecdsa::Signature::from_slice(&jws.signature) else {
        return false;
    };
    key.verify(jws.signing_input.as_bytes(), &signature).is_ok()
}

pub fn verify_es256_pem(jws: &Jws, pem: &str) -> bool {
    use p256::pkcs8::DecodePrivateKey;
    let secret = p256::SecretKey::from_sec1_pem(pem)
        .or_else(|_| p256::SecretKey::from_pkcs8_pem(pem))
        .unwrap();
    verify_es256_with(
        jws,
        &p256::ecdsa::SigningKey::from(secret)
            .verifying_key()
            .clone(),
    )
}

/// Verifies with the public JWK the proof carries in its own header (as a DPoP server does).
pub fn verify_es256_jwk(jws: &Jws, jwk: &Value) -> bool {
    let x = b64d(jwk["x"].as_str().unwrap());
    let y = b64d(jwk["y"].as_str().unwrap());
    let point = p256::EncodedPoint::from_affine_coordinates(
        p256::FieldBytes::from_slice(&x),
        p256::FieldBytes::from_slice(&y),
        false,
    );
    let key = p256::ecdsa::VerifyingKey::from_encoded_point(&point).unwrap();
    verify_es256_with(jws, &key)
}

/// The RSA key of `pem` as a private JWK (what a user may paste instead of PEM).
pub fn rsa_jwk(pem: &str) -> String {
    use rsa::pkcs1::DecodeRsaPrivateKey;
    use rsa::traits::{PrivateKeyParts, PublicKeyParts};
    let key = rsa::RsaPrivateKey::from_pkcs1_pem(pem).unwrap();
    let b = |n: &rsa::BigUint| URL_SAFE_NO_PAD.encode(n.to_bytes_be());
    json!({"kty":"RSA","n":b(key.n()),"e":b(key.e()),"d":b(key.d()),
           "p":b(&key.primes()[0]),"q":b(&key.primes()[1])})
    .to_string()
}

pub fn ec_jwk(pem: &str) -> String {
    use p256::elliptic_curve::sec1::ToEncodedPoint;
    let secret = p256::SecretKey::from_sec1_pem(pem).unwrap();
    let point = secret.public_key().to_encoded_point(false);
    json!({"kty":"EC","crv":"P-256",
           "x":URL_SAFE_NO_PAD.encode(point.x().unwrap()),
           "y":URL_SAFE_NO_PAD.encode(point.y().unwrap()),
           "d":URL_SAFE_NO_PAD.encode(secret.to_bytes())})
    .to_string()
}

pub fn form(request: &Request) -> HashMap<String, String> {
    url::form_urlencoded::parse(&request.body)
        .into_owned()
        .collect()
}

pub fn header(request: &Request, name: &str) -> Option<String> {
    request
        .headers
        .get(name)
        .map(|value| value.to_str().unwrap().to_owned())
}

pub fn token(access_token: &str, expires_in: u64) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({
        "token_type": "Bearer", "expires_in": expires_in,
        "access_token": access_token, "scope": "okta.users.read"
    }))
}

pub fn oauth_error(status: u16, error: &str, description: &str) -> ResponseTemplate {
    ResponseTemplate::new(status)
        .set_body_json(json!({"error": error, "error_description": description}))
}

/// Cancels `signal` when the `nth` request (1-based) arrives, then answers `answer`.
pub struct CancelAt {
    pub nth: usize,
    pub seen: std::sync::atomic::AtomicUsize,
    pub signal: okta_core::CancelSignal,
    pub answer: ResponseTemplate,
}

impl Respond for CancelAt {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        if self.seen.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1 == self.nth {
            self.signal.cancel();
        }
        self.answer.clone()
    }
}

/// Answers from a list in order; the last one repeats.
pub struct Sequence(Mutex<VecDeque<ResponseTemplate>>);

impl Sequence {
    pub fn new(answers: Vec<ResponseTemplate>) -> Sequence {
        Sequence(Mutex::new(answers.into()))
    }
}

impl Respond for Sequence {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let mut answers = self.0.lock().unwrap();
        if answers.len() > 1 {
            answers.pop_front().unwrap()
        } else {
            answers.front().unwrap().clone()
        }
    }
}

pub async fn requests_to(server: &MockServer, path: &str) -> Vec<Request> {
    server
        .received_requests()
        .await
        .unwrap()
        .into_iter()
        .filter(|request| request.url.path() == path)
        .collect()
}

/// Token sources are process-wide, keyed by org and client id, and wiremock reuses ports: each
/// test's app gets its own client id so no test sees another's tokens.
pub fn unique_client_id(prefix: &str) -> String {
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(1);
    format!(
        "{prefix}-{}",
        NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    )
}

/// A service app with a private key.
pub fn robot(server: &MockServer, private_key: &str) -> Config {
    Config {
        base_url: server.uri(),
        client_id: Some(unique_client_id(CLIENT_ID)),
        scopes: vec!["okta.users.read".into()],
        private_key: Some(private_key.into()),
        ..Config::default()
    }
}

/// A native app for the device flow.
pub fn native_app(server: &MockServer, scopes: &str) -> Config {
    Config {
        base_url: server.uri(),
        client_id: Some(unique_client_id("0oa-native")),
        scopes: vec![scopes.into()],
        ..Config::default()
    }
}

/// A session for `config` (the org's pool is shared; building one is cheap).
pub fn session(config: &okta_core::Config) -> okta_core::Client {
    okta_core::Client::new(config.clone()).unwrap()
}
