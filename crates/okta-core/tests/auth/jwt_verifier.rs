//! The same assertions and proofs checked by `jsonwebtoken`, a JWT library written
//! independently of our signing code: signature, algorithm, and the claims a server validates.

use jsonwebtoken::jwk::Jwk;
use jsonwebtoken::{Algorithm, DecodingKey, Validation, decode, decode_header};
use okta_core::auth::assertion::client_assertion;
use okta_core::auth::dpop::{DpopKey, NonceFor, access_token_hash};
use okta_core::auth::keys::SigningKey;
use serde_json::Value;
use url::Url;

use crate::common::*;

const RSA_PUBLIC: &str = include_str!("keys/rsa_public.pem");
const EC_PUBLIC: &str = include_str!("keys/ec_public.pem");
const TOKEN_URL: &str = "https://myorg.okta.com/oauth2/v1/token";

/// What Okta checks on a client assertion: signature, aud = token endpoint, iss = sub = client.
fn assertion_validation(algorithm: Algorithm) -> Validation {
    let mut validation = Validation::new(algorithm);
    validation.set_audience(&[TOKEN_URL]);
    validation.set_issuer(&[CLIENT_ID]);
    validation.sub = Some(CLIENT_ID.into());
    validation.set_required_spec_claims(&["exp", "iat", "aud", "iss", "sub"]);
    validation
}

#[test]
fn rs256_assertions_from_every_rsa_form_pass_an_independent_verifier() {
    let key = DecodingKey::from_rsa_pem(RSA_PUBLIC.as_bytes()).unwrap();
    for text in [RSA_PKCS1.to_owned(), RSA_PKCS8.to_owned(), rsa_jwk(RSA_PKCS1)] {
        let signing = SigningKey::parse(&text).unwrap();
        let jwt = client_assertion(&signing, Some("kid-9"), CLIENT_ID, TOKEN_URL);
        let data = decode::<Value>(&jwt, &key, &assertion_validation(Algorithm::RS256)).unwrap();
        assert_eq!(data.header.kid.as_deref(), Some("kid-9"));
        assert!(data.claims["jti"].is_string());
    }
}

#[test]
fn es256_assertions_from_every_ec_form_pass_an_independent_verifier() {
    let key = DecodingKey::from_ec_pem(EC_PUBLIC.as_bytes()).unwrap();
    for text in [EC_SEC1.to_owned(), EC_PKCS8.to_owned(), ec_jwk(EC_SEC1)] {
        let signing = SigningKey::parse(&text).unwrap();
        let jwt = client_assertion(&signing, None, CLIENT_ID, TOKEN_URL);
        decode::<Value>(&jwt, &key, &assertion_validation(Algorithm::ES256)).unwrap();
    }
}

#[test]
fn the_independent_verifier_rejects_a_wrong_audience_or_key() {
    let signing = SigningKey::parse(RSA_PKCS1).unwrap();
    let jwt = client_assertion(&signing, None, CLIENT_ID, "https://other.okta.com/oauth2/v1/token");
    let key = DecodingKey::from_rsa_pem(RSA_PUBLIC.as_bytes()).unwrap();
    assert!(decode::<Value>(&jwt, &key, &assertion_validation(Algorithm::RS256)).is_err());
    let ec_jwt = client_assertion(&SigningKey::parse(EC_PKCS8).unwrap(), None, CLIENT_ID, TOKEN_URL);
    let other_key = DecodingKey::from_ec_pem(EC_PUBLIC.as_bytes()).unwrap();
    let mut tampered = ec_jwt.clone();
    tampered.insert(tampered.find('.').unwrap() + 2, 'A');
    assert!(decode::<Value>(&tampered, &other_key, &assertion_validation(Algorithm::ES256)).is_err());
}

#[test]
fn dpop_proofs_verify_with_the_jwk_they_carry() {
    let dpop = DpopKey::generate();
    dpop.set_nonce(NonceFor::Api, "n-1");
    let url = Url::parse("https://myorg.okta.com/api/v1/users?limit=1").unwrap();
    let proof = dpop.proof("GET", &url, NonceFor::Api, Some("at"));
    let header = decode_header(&proof).unwrap();
    assert_eq!(header.alg, Algorithm::ES256);
    assert_eq!(header.typ.as_deref(), Some("dpop+jwt"));
    let jwk: Jwk = header.jwk.expect("the public key travels in the proof");
    let key = DecodingKey::from_jwk(&jwk).unwrap();
    let mut validation = Validation::new(Algorithm::ES256);
    validation.validate_exp = false;
    validation.validate_aud = false;
    validation.set_required_spec_claims::<&str>(&[]);
    let claims = decode::<Value>(&proof, &key, &validation).unwrap().claims;
    assert_eq!(claims["htu"], "https://myorg.okta.com/api/v1/users");
    assert_eq!(claims["nonce"], "n-1");
    assert_eq!(claims["ath"], access_token_hash("at"));
}
