//! DPoP proofs (RFC 9449), and the nonce dance on the token endpoint and on API calls.

use okta_core::auth::dpop::{DpopKey, NonceFor, access_token_hash};
use okta_core::{ApiRequest, Client, Config};
use serde_json::json;
use sha2::Digest;
use url::Url;
use wiremock::matchers::{header_exists, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common::*;

#[test]
fn proof_has_the_rfc_9449_fields_and_verifies_with_its_own_public_jwk() {
    let key = DpopKey::generate();
    let url = Url::parse("https://myorg.okta.com/api/v1/users?limit=2&q=a#frag").unwrap();
    key.set_nonce(NonceFor::Api, "n-api");
    key.set_nonce(NonceFor::TokenEndpoint, "n-token");
    let jws = decode(&key.proof("get", &url, NonceFor::Api, Some("the-access-token")));
    assert_eq!(jws.header["typ"], "dpop+jwt");
    assert_eq!(jws.header["alg"], "ES256");
    let jwk = &jws.header["jwk"];
    let mut members: Vec<&str> = jwk
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    members.sort();
    assert_eq!(members, ["crv", "kty", "x", "y"], "public members only");
    assert_eq!(jws.claims["htm"], "GET");
    assert_eq!(jws.claims["htu"], "https://myorg.okta.com/api/v1/users");
    assert_eq!(jws.claims["nonce"], "n-api");
    let expected_ath = base64::Engine::encode(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD,
        sha2::Sha256::digest(b"the-access-token"),
    );
    assert_eq!(jws.claims["ath"], expected_ath);
    assert_eq!(access_token_hash("the-access-token"), expected_ath);
    assert!(jws.claims["iat"].as_u64().unwrap() > 1_700_000_000);
    assert!(verify_es256_jwk(&jws, jwk));

    let token_proof = decode(&key.proof("POST", &url, NonceFor::TokenEndpoint, None));
    assert_eq!(token_proof.claims["nonce"], "n-token");
    assert!(token_proof.claims.get("ath").is_none());
    assert_ne!(token_proof.claims["jti"], jws.claims["jti"]);
    assert_eq!(token_proof.header["jwk"], *jwk, "one key per source");
    assert!(
        !format!("{key:?}").contains(jwk["x"].as_str().unwrap())
            || format!("{key:?}").contains("thumbprint")
    );
}

fn dpop_token(access_token: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({
        "token_type": "DPoP", "expires_in": 3600, "access_token": access_token
    }))
}

#[tokio::test]
async fn token_endpoint_asking_for_dpop_gets_a_proof_with_its_nonce_then_api_calls_use_dpop() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth2/v1/token"))
        .respond_with(Sequence::new(vec![
            oauth_error(400, "invalid_dpop_proof", "DPoP proof required")
                .insert_header("DPoP-Nonce", "nonce-1"),
            oauth_error(
                400,
                "use_dpop_nonce",
                "Authorization server requires nonce in DPoP proof.",
            )
            .insert_header("DPoP-Nonce", "nonce-2"),
            dpop_token("dpop-bound-token"),
        ]))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v1/users"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .mount(&server)
        .await;
    let client = Client::new(robot(&server, EC_SEC1)).unwrap();
    let mut request = ApiRequest::new("GET", "/api/v1/users");
    request.query.push(("limit".into(), "2".into()));
    client.send(request).await.unwrap();

    let token_calls = requests_to(&server, "/oauth2/v1/token").await;
    assert_eq!(token_calls.len(), 3);
    assert!(header(&token_calls[0], "dpop").is_none());
    let second = decode(&header(&token_calls[1], "dpop").unwrap());
    assert_eq!(second.claims["nonce"], "nonce-1");
    let third = decode(&header(&token_calls[2], "dpop").unwrap());
    assert_eq!(third.claims["nonce"], "nonce-2");
    assert_eq!(third.claims["htm"], "POST");
    assert_eq!(
        third.claims["htu"],
        format!("{}/oauth2/v1/token", server.uri())
    );
    assert!(verify_es256_jwk(&third, &third.header["jwk"]));
    let thumbprint = client
        .token_source()
        .unwrap()
        .unwrap()
        .dpop_thumbprint()
        .unwrap();

    let api = &requests_to(&server, "/api/v1/users").await[0];
    assert_eq!(
        header(api, "authorization").unwrap(),
        "DPoP dpop-bound-token"
    );
    let proof = decode(&header(api, "dpop").unwrap());
    assert_eq!(proof.claims["htm"], "GET");
    assert_eq!(
        proof.claims["htu"],
        format!("{}/api/v1/users", server.uri())
    );
    assert_eq!(proof.claims["ath"], access_token_hash("dpop-bound-token"));
    assert_eq!(
        proof.header["jwk"], third.header["jwk"],
        "the key the token is bound to"
    );
    assert!(verify_es256_jwk(&proof, &proof.header["jwk"]));
    assert!(!thumbprint.is_empty());
}

#[tokio::test]
async fn api_nonce_challenge_is_answered_once_with_the_new_nonce() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth2/v1/token"))
        .and(header_exists("dpop"))
        .respond_with(dpop_token("bound"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v1/groups"))
        .respond_with(Sequence::new(vec![
            ResponseTemplate::new(401)
                .insert_header("WWW-Authenticate", r#"DPoP error="use_dpop_nonce", error_description="Resource server requires nonce in DPoP proof""#)
                .insert_header("DPoP-Nonce", "api-nonce-1"),
            ResponseTemplate::new(200).set_body_json(json!([])),
        ]))
        .mount(&server)
        .await;
    let config = Config {
        use_dpop: true,
        ..robot(&server, RSA_PKCS8)
    };
    let client = Client::new(config).unwrap();
    client
        .send(ApiRequest::new("GET", "/api/v1/groups"))
        .await
        .unwrap();

    // useDpop: the very first token request already carries a proof.
    assert_eq!(requests_to(&server, "/oauth2/v1/token").await.len(), 1);
    let api = requests_to(&server, "/api/v1/groups").await;
    assert_eq!(api.len(), 2);
    let first = decode(&header(&api[0], "dpop").unwrap());
    assert!(first.claims.get("nonce").is_none());
    let second = decode(&header(&api[1], "dpop").unwrap());
    assert_eq!(second.claims["nonce"], "api-nonce-1");
    assert_ne!(first.claims["jti"], second.claims["jti"]);
}

#[tokio::test]
async fn a_second_nonce_challenge_is_not_retried_again() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth2/v1/token"))
        .respond_with(dpop_token("bound"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v1/groups"))
        .respond_with(
            ResponseTemplate::new(401)
                .insert_header("WWW-Authenticate", r#"DPoP error="use_dpop_nonce""#)
                .insert_header("DPoP-Nonce", "again"),
        )
        .mount(&server)
        .await;
    let client = Client::new(Config {
        use_dpop: true,
        ..robot(&server, EC_PKCS8)
    })
    .unwrap();
    let error = client
        .send(ApiRequest::new("GET", "/api/v1/groups"))
        .await
        .unwrap_err();
    assert_eq!(error.api().unwrap().status, 401);
    assert_eq!(requests_to(&server, "/api/v1/groups").await.len(), 2);
}
