//! The project's OAuth client (okta-core) against the simulator's verification, end to end over HTTP: a signing
//! bug in the client fails here. Client credentials with RS256 and ES256 keys, DPoP switched on by the app's
//! requirement (with the nonce round trip on the token endpoint and on API calls), the device flow's cadence.

use std::time::Duration;

use okta_core::{ApiRequest, CancelSignal, Client, Config};
use serde_json::json;

use crate::common::jose::*;
use crate::common::*;

fn users() -> ApiRequest {
    ApiRequest::new("GET", "/api/v1/users")
}

fn pem(key: TestKey) -> &'static str {
    match key {
        TestKey::Rsa1 => include_str!("keys/rsa1.pem"),
        TestKey::Rsa2 => include_str!("keys/rsa2.pem"),
        TestKey::Ec1 => include_str!("keys/ec1.pem"),
        TestKey::Ec2 => include_str!("keys/ec2.pem"),
    }
}

async fn robot(sim: &Sim, key: TestKey, kid: Option<&str>, extra: serde_json::Value) -> Config {
    let jwk = match kid {
        Some(k) => key.public_jwk_with_kid(k),
        None => key.public_jwk(),
    };
    let app = create_oidc_app(
        sim,
        "private_key_jwt",
        &[jwk],
        &["client_credentials"],
        extra,
    )
    .await;
    Config {
        base_url: sim.handle.url().to_string(),
        client_id: Some(app["id"].as_str().unwrap().to_string()),
        scopes: vec!["okta.users.read".into()],
        private_key: Some(pem(key).into()),
        private_key_id: kid.map(str::to_string),
        ..Config::default()
    }
}

fn token_calls(log: &serde_json::Value, client_id: &str) -> Vec<serde_json::Value> {
    log.as_array()
        .unwrap()
        .iter()
        .filter(|e| e["endpoint"] == "token" && e["client_id"] == client_id)
        .cloned()
        .collect()
}

#[tokio::test]
async fn client_credentials_from_the_core_pass_the_simulators_verification() {
    let sim = start_default().await;
    for (key, kid) in [(TestKey::Rsa1, Some("rsa-kid")), (TestKey::Ec1, None)] {
        let config = robot(&sim, key, kid, json!({})).await;
        let cid = config.client_id.clone().unwrap();
        let client = (Client::new(config.clone()).unwrap(), config);
        for _ in 0..2 {
            assert_eq!(client.0.send(users()).await.unwrap().status, 200);
        }
        let calls = token_calls(&sim.get_json("/__sim/oauth/log").await, &cid);
        assert_eq!(calls.len(), 1, "{calls:?}");
        assert_eq!(calls[0]["outcome"], 200);
        // Revoked by the core (its own assertion authenticates it at /revoke): the server has no token left.
        let live = |tokens: &serde_json::Value| {
            tokens
                .as_array()
                .unwrap()
                .iter()
                .filter(|t| t["client_id"] == cid.as_str())
                .count()
        };
        assert_eq!(live(&sim.get_json("/__sim/oauth/tokens").await), 1);
        assert!(okta_core::auth::revoke(&client.0).await.unwrap());
        assert_eq!(live(&sim.get_json("/__sim/oauth/tokens").await), 0);
    }
    // The key the app does not know: the core's token request is refused, the API call fails.
    let mut config = robot(&sim, TestKey::Rsa1, None, json!({})).await;
    config.private_key = Some(pem(TestKey::Rsa2).into());
    let cid = config.client_id.clone().unwrap();
    assert!(Client::new(config).unwrap().send(users()).await.is_err());
    let calls = token_calls(&sim.get_json("/__sim/oauth/log").await, &cid);
    assert!(
        calls.iter().all(|c| c["outcome"] == "invalid_client"),
        "{calls:?}"
    );
}

#[tokio::test]
async fn the_core_switches_to_dpop_when_the_app_requires_it() {
    let sim = start_default().await;
    admin(
        &sim,
        "/__sim/oauth/settings",
        json!({"dpop_api_nonce": true}),
    )
    .await;
    let config = robot(
        &sim,
        TestKey::Ec2,
        Some("e2"),
        json!({"dpop_bound_access_tokens": true}),
    )
    .await;
    let cid = config.client_id.clone().unwrap();
    let client = Client::new(config).unwrap();
    assert_eq!(client.send(users()).await.unwrap().status, 200);
    assert_eq!(client.send(users()).await.unwrap().status, 200);
    let calls = token_calls(&sim.get_json("/__sim/oauth/log").await, &cid);
    let outcomes: Vec<String> = calls.iter().map(|c| c["outcome"].to_string()).collect();
    assert_eq!(
        outcomes.last().map(String::as_str),
        Some("200"),
        "{outcomes:?}"
    );
    assert!(
        outcomes.iter().any(|o| o.contains("invalid_dpop_proof")),
        "learnt DPoP from the app: {outcomes:?}"
    );
    let tokens = sim.get_json("/__sim/oauth/tokens").await;
    assert!(
        tokens
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["client_id"] == cid.as_str() && t["token_type"] == "DPoP")
    );
}

#[tokio::test]
async fn the_core_polls_the_device_flow_at_the_advertised_interval() {
    let sim = start_default().await;
    admin(
        &sim,
        "/__sim/oauth/settings",
        json!({"device_interval_s": 1, "device_pending_polls": 2}),
    )
    .await;
    let config = Config {
        base_url: sim.handle.url().to_string(),
        client_id: Some(format!("0oadevice{}", unique().replace('-', ""))),
        scopes: vec!["openid okta.users.read offline_access".into()],
        ..Config::default()
    };
    let started = okta_core::auth::start_device_authorization(&Client::new(config.clone()).unwrap())
        .await
        .unwrap();
    let user_code = started.user_code.clone();
    assert_eq!(started.interval, Duration::from_secs(1));
    started.wait_for_token(&CancelSignal::new()).await.unwrap();
    assert_eq!(
        Client::new(config)
            .unwrap()
            .send(users())
            .await
            .unwrap()
            .status,
        200
    );
    let polls = sim
        .get_json(&format!("/__sim/oauth/device/polls?user_code={user_code}"))
        .await;
    let polls = polls.as_array().unwrap();
    let answers: Vec<&str> = polls
        .iter()
        .map(|p| p["answer"].as_str().unwrap())
        .collect();
    assert_eq!(
        answers,
        ["authorization_pending", "authorization_pending", "issued"]
    );
    let at: Vec<u64> = polls.iter().map(|p| p["at_ms"].as_u64().unwrap()).collect();
    assert!(at[0] >= 950, "first poll after the interval: {at:?}");
    assert!(
        at.windows(2).all(|w| w[1] - w[0] >= 950),
        "polls an interval apart: {at:?}"
    );
}
