//! Keys in every accepted form, and the client assertion they sign, checked by an independent
//! verifier.

use okta_core::Error;
use okta_core::auth::assertion::{
    ASSERTION_LIFETIME_SECS, CLIENT_ASSERTION_TYPE, client_assertion,
};
use okta_core::auth::keys::SigningKey;

use crate::common::*;

const TOKEN_URL: &str = "https://myorg.okta.com/oauth2/v1/token";

#[test]
fn rs256_assertion_from_pkcs1_pem_has_the_claims_okta_checks_and_verifies() {
    let key = SigningKey::parse(RSA_PKCS1).unwrap();
    assert_eq!(key.algorithm(), "RS256");
    let jws = decode(&client_assertion(&key, Some("kid-1"), CLIENT_ID, TOKEN_URL));
    assert_eq!(jws.header["alg"], "RS256");
    assert_eq!(jws.header["typ"], "JWT");
    assert_eq!(jws.header["kid"], "kid-1");
    assert_eq!(jws.claims["iss"], CLIENT_ID);
    assert_eq!(jws.claims["sub"], CLIENT_ID);
    assert_eq!(jws.claims["aud"], TOKEN_URL);
    let iat = jws.claims["iat"].as_u64().unwrap();
    let exp = jws.claims["exp"].as_u64().unwrap();
    assert!(exp > iat && exp - iat <= 300, "iat {iat} exp {exp}");
    assert_eq!(ASSERTION_LIFETIME_SECS, 300);
    assert!(jws.claims["jti"].as_str().unwrap().len() >= 16);
    assert!(verify_rs256(&jws, RSA_PKCS1));
    assert_eq!(
        CLIENT_ASSERTION_TYPE,
        "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
    );
}

#[test]
fn a_tampered_assertion_fails_verification() {
    // The verifier must be able to say no, or the other tests prove nothing.
    let key = SigningKey::parse(RSA_PKCS1).unwrap();
    let mut jws = decode(&client_assertion(&key, None, CLIENT_ID, TOKEN_URL));
    assert!(jws.header.get("kid").is_none());
    jws.signing_input.push('x');
    assert!(!verify_rs256(&jws, RSA_PKCS1));
    let ec = decode(&client_assertion(
        &SigningKey::parse(EC_SEC1).unwrap(),
        None,
        CLIENT_ID,
        TOKEN_URL,
    ));
    assert!(!verify_rs256(&ec, RSA_PKCS1));
}

#[test]
fn every_assertion_has_a_new_jti() {
    let key = SigningKey::parse(EC_SEC1).unwrap();
    let jtis: std::collections::HashSet<String> = (0..20)
        .map(|_| {
            decode(&client_assertion(&key, None, CLIENT_ID, TOKEN_URL)).claims["jti"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(jtis.len(), 20);
}

#[test]
fn pkcs8_rsa_is_the_same_key_as_pkcs1() {
    let pkcs1 = SigningKey::parse(RSA_PKCS1).unwrap();
    let pkcs8 = SigningKey::parse(RSA_PKCS8).unwrap();
    assert_eq!(pkcs8.algorithm(), "RS256");
    assert_eq!(pkcs1.thumbprint(), pkcs8.thumbprint());
    let jws = decode(&client_assertion(&pkcs8, None, CLIENT_ID, TOKEN_URL));
    assert!(verify_rs256(&jws, RSA_PKCS1));
}

#[test]
fn es256_from_sec1_and_pkcs8_pem() {
    for pem in [EC_SEC1, EC_PKCS8] {
        let key = SigningKey::parse(pem).unwrap();
        assert_eq!(key.algorithm(), "ES256");
        let jws = decode(&client_assertion(&key, Some("ec-1"), CLIENT_ID, TOKEN_URL));
        assert_eq!(jws.header["alg"], "ES256");
        assert_eq!(jws.signature.len(), 64, "JWS ES256 is r||s, not DER");
        assert!(verify_es256_pem(&jws, EC_SEC1));
    }
}

#[test]
fn jwk_keys_sign_like_their_pem() {
    let rsa = SigningKey::parse(&rsa_jwk(RSA_PKCS1)).unwrap();
    assert_eq!(
        rsa.thumbprint(),
        SigningKey::parse(RSA_PKCS1).unwrap().thumbprint()
    );
    assert!(verify_rs256(
        &decode(&client_assertion(&rsa, None, CLIENT_ID, TOKEN_URL)),
        RSA_PKCS1
    ));
    let ec = SigningKey::parse(&ec_jwk(EC_SEC1)).unwrap();
    assert_eq!(
        ec.thumbprint(),
        SigningKey::parse(EC_SEC1).unwrap().thumbprint()
    );
    assert!(verify_es256_pem(
        &decode(&client_assertion(&ec, None, CLIENT_ID, TOKEN_URL)),
        EC_SEC1
    ));
}

#[test]
fn unusable_keys_are_refused_without_echoing_them() {
    let p384_jwk = r#"{"kty":"EC","crv":"P-384","d":"c2VjcmV0U0VDUkVU"}"#;
    for (text, expect) in [
        (EC_P384, "P-256"),
        ("not a key SECRETSECRET", "expected PEM"),
        (
            "-----BEGIN ENCRYPTED PRIVATE KEY-----\nSECRETSECRET\n-----END ENCRYPTED PRIVATE KEY-----",
            "encrypted",
        ),
        (
            "-----BEGIN RSA PRIVATE KEY-----\nSECRETSECRET\n-----END RSA PRIVATE KEY-----",
            "PKCS#1",
        ),
        (p384_jwk, "P-256"),
        (r#"{"kty":"oct","k":"SECRETSECRET"}"#, "oct"),
    ] {
        let error = SigningKey::parse(text).unwrap_err();
        let message = error.to_string();
        assert!(matches!(error, Error::Config(_)), "{message}");
        assert!(message.contains("PrivateKey"), "{message}");
        assert!(message.contains(expect), "{message}");
        assert!(
            !message.contains("SECRET") && !message.contains("MII"),
            "{message}"
        );
    }
}

#[test]
fn debug_shows_algorithm_and_thumbprint_only() {
    let jwk = ec_jwk(EC_SEC1);
    let d: serde_json::Value = serde_json::from_str(&jwk).unwrap();
    for key in [
        SigningKey::parse(RSA_PKCS1).unwrap(),
        SigningKey::parse(&jwk).unwrap(),
    ] {
        let debug = format!("{key:?}");
        assert!(
            debug.contains(key.algorithm()) && debug.contains(&key.thumbprint()),
            "{debug}"
        );
        assert!(!debug.contains(d["d"].as_str().unwrap()), "{debug}");
        assert!(debug.len() < 120, "{debug}");
        assert!(key.public_jwk().get("d").is_none());
    }
}
