//! Device-flow scenarios a test can script: deny, slow down, expire, silent expiry, approval only by the admin
//! endpoint; the poll log; the advertised interval and expiry; short-lived access tokens.

use serde_json::{Value, json};

use crate::common::jose::*;
use crate::common::*;

async fn authorize(sim: &Sim, client_id: &str) -> (String, String, Value) {
    let a = post_form(
        sim,
        "/oauth2/v1/device/authorize",
        &[
            ("client_id", client_id),
            ("scope", "openid okta.users.read offline_access"),
        ],
        None,
        None,
    )
    .await;
    assert_eq!(a.status, 200, "{}", a.body);
    (
        a.body["device_code"].as_str().unwrap().to_string(),
        a.body["user_code"].as_str().unwrap().to_string(),
        a.body,
    )
}

async fn poll(sim: &Sim, client_id: &str, device_code: &str) -> Answer {
    post_form(
        sim,
        "/oauth2/v1/token",
        &[
            ("grant_type", "urn:ietf:params:oauth:grant-type:device_code"),
            ("device_code", device_code),
            ("client_id", client_id),
        ],
        None,
        None,
    )
    .await
}

async fn polls(sim: &Sim, user_code: &str) -> Vec<Value> {
    sim.get_json(&format!("/__sim/oauth/device/polls?user_code={user_code}"))
        .await
        .as_array()
        .unwrap()
        .clone()
}

#[tokio::test]
async fn scripted_device_scenarios() {
    let sim = start_default().await;
    admin(
        &sim,
        "/__sim/oauth/settings",
        json!({"device_pending_polls": null, "device_interval_s": 7, "device_expires_in_s": 120}),
    )
    .await;
    let cid = "0oaquickstart";
    let (dc, uc, answer) = authorize(&sim, cid).await;
    assert_eq!(
        (answer["interval"].as_u64(), answer["expires_in"].as_u64()),
        (Some(7), Some(120))
    );
    // Never approved by itself now.
    for _ in 0..3 {
        assert_eq!(poll(&sim, cid, &dc).await.error(), "authorization_pending");
    }
    // slow_down once, then pending again; the interval grew by 5 s.
    admin(
        &sim,
        "/__sim/oauth/device/slow-down",
        json!({"user_code": uc}),
    )
    .await;
    assert_eq!(poll(&sim, cid, &dc).await.error(), "slow_down");
    assert_eq!(poll(&sim, cid, &dc).await.error(), "authorization_pending");
    let log = polls(&sim, &uc).await;
    let answers: Vec<&str> = log.iter().map(|p| p["answer"].as_str().unwrap()).collect();
    assert_eq!(
        answers,
        [
            "authorization_pending",
            "authorization_pending",
            "authorization_pending",
            "slow_down",
            "authorization_pending"
        ]
    );
    assert_eq!(log[4]["interval"], 12);
    let times: Vec<u64> = log.iter().map(|p| p["at_ms"].as_u64().unwrap()).collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "{times:?}");
    let grants = sim.get_json("/__sim/oauth/device").await;
    assert_eq!(grants[0]["user_code"], uc.as_str());
    assert_eq!(grants[0]["interval"], 12);
    // Approved: tokens, then the code is spent.
    admin(
        &sim,
        "/__sim/oauth/device/approve",
        json!({"user_code": uc}),
    )
    .await;
    let t = poll(&sim, cid, &dc).await;
    assert_eq!(t.status, 200, "{}", t.body);
    assert!(t.body["refresh_token"].is_string());
    assert_eq!(poll(&sim, cid, &dc).await.error(), "invalid_grant");
    assert_eq!(polls(&sim, &uc).await[5]["answer"], "issued");

    // Denied: access_denied, and it stays so.
    let (dc, uc, _) = authorize(&sim, cid).await;
    admin(&sim, "/__sim/oauth/device/deny", json!({"user_code": uc})).await;
    assert_eq!(poll(&sim, cid, &dc).await.error(), "access_denied");
    assert_eq!(poll(&sim, cid, &dc).await.error(), "access_denied");

    // Expired: expired_token.
    let (dc, uc, _) = authorize(&sim, cid).await;
    admin(&sim, "/__sim/oauth/device/expire", json!({"user_code": uc})).await;
    assert_eq!(poll(&sim, cid, &dc).await.error(), "expired_token");

    // Silent expiry: pending forever, the client must stop by itself.
    admin(
        &sim,
        "/__sim/oauth/settings",
        json!({"device_silent_expiry": true}),
    )
    .await;
    let (dc, uc, _) = authorize(&sim, cid).await;
    admin(&sim, "/__sim/oauth/device/expire", json!({"user_code": uc})).await;
    for _ in 0..3 {
        assert_eq!(poll(&sim, cid, &dc).await.error(), "authorization_pending");
    }
    // Another client cannot redeem the code.
    admin(
        &sim,
        "/__sim/oauth/device/approve",
        json!({"user_code": uc}),
    )
    .await;
    assert_eq!(poll(&sim, "0oaother", &dc).await.error(), "invalid_grant");

    // Polling faster than the interval, when enforced: slow_down, and the interval grows.
    admin(&sim, "/__sim/oauth/settings", json!({"device_enforce_interval": true, "device_silent_expiry": false, "device_interval_s": 2})).await;
    let (dc, uc, _) = authorize(&sim, cid).await;
    assert_eq!(poll(&sim, cid, &dc).await.error(), "authorization_pending");
    assert_eq!(poll(&sim, cid, &dc).await.error(), "slow_down");
    assert_eq!(polls(&sim, &uc).await[1]["interval"], 7);

    // Unknown user codes: 404.
    let r = sim
        .client
        .post(sim.url("/__sim/oauth/device/deny"))
        .json(&json!({"user_code": "NOPE-NOPE"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    let r = sim
        .client
        .post(sim.url("/__sim/oauth/settings"))
        .json(&json!({"no_such_setting": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
}

#[tokio::test]
async fn scripted_poll_answers_for_the_next_authorization() {
    let sim = start_default().await;
    let cid = "0oascripted";
    let r = admin(
        &sim,
        "/__sim/oauth/device/script",
        json!({"polls": ["authorization_pending", "slow_down", "authorization_pending", "issued"]}),
    )
    .await;
    assert_eq!(r["scripted"], 4);
    let (dc, uc, _) = authorize(&sim, cid).await;
    for expected in [
        "authorization_pending",
        "slow_down",
        "authorization_pending",
    ] {
        assert_eq!(poll(&sim, cid, &dc).await.error(), expected);
    }
    assert_eq!(poll(&sim, cid, &dc).await.status, 200);
    assert_eq!(polls(&sim, &uc).await[3]["interval"], 10);
    // The script was for that authorization only: the next one follows the usual rules (approved after a poll).
    let (dc, _, _) = authorize(&sim, cid).await;
    assert_eq!(poll(&sim, cid, &dc).await.error(), "authorization_pending");
    assert_eq!(poll(&sim, cid, &dc).await.status, 200);
    // Denied and expired, scripted.
    for (answer, error) in [
        ("access_denied", "access_denied"),
        ("expired_token", "expired_token"),
    ] {
        admin(
            &sim,
            "/__sim/oauth/device/script",
            json!({"polls": ["authorization_pending", answer]}),
        )
        .await;
        let (dc, _, _) = authorize(&sim, cid).await;
        assert_eq!(poll(&sim, cid, &dc).await.error(), "authorization_pending");
        assert_eq!(poll(&sim, cid, &dc).await.error(), error);
        assert_eq!(poll(&sim, cid, &dc).await.error(), error, "and it stays so");
    }
    let r = sim
        .client
        .post(sim.url("/__sim/oauth/device/script"))
        .json(&json!({"polls": ["maybe"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
}

#[tokio::test]
async fn a_registered_native_app_uses_the_device_flow_with_its_grants() {
    let sim = start_default().await;
    let app = create_oidc_app(
        &sim,
        "none",
        &[],
        &["urn:ietf:params:oauth:grant-type:device_code"],
        json!({"application_type": "native"}),
    )
    .await;
    let cid = app["id"].as_str().unwrap();
    let (dc, uc, _) = authorize(&sim, cid).await;
    admin(
        &sim,
        "/__sim/oauth/device/approve",
        json!({"user_code": uc}),
    )
    .await;
    let t = poll(&sim, cid, &dc).await;
    assert_eq!(t.status, 200, "{}", t.body);
    // offline_access asked, but refresh_token is not among the app's grant types: no refresh token.
    assert!(t.body.get("refresh_token").is_none(), "{}", t.body);
}

#[tokio::test]
async fn short_lived_tokens_and_server_side_expiry() {
    let sim = start_default().await;
    let s = admin(
        &sim,
        "/__sim/oauth/settings",
        json!({"access_token_ttl_s": 3}),
    )
    .await;
    assert_eq!(s["access_token_ttl_s"], 3);
    let cid = "0oaquick";
    let (dc, uc, _) = authorize(&sim, cid).await;
    admin(
        &sim,
        "/__sim/oauth/device/approve",
        json!({"user_code": uc}),
    )
    .await;
    let t = poll(&sim, cid, &dc).await;
    assert_eq!(t.body["expires_in"], 3);
    let at = t.body["access_token"].as_str().unwrap().to_string();
    let rt = t.body["refresh_token"].as_str().unwrap().to_string();
    let bearer = || {
        sim.client
            .get(sim.url("/api/v1/users"))
            .header("Authorization", format!("Bearer {at}"))
    };
    assert_eq!(bearer().send().await.unwrap().status(), 200);
    let live = sim.get_json("/__sim/oauth/tokens").await;
    assert!(
        live.as_array()
            .unwrap()
            .iter()
            .any(|t| t["kind"] == "access_token" && t["expires_in"].as_u64().unwrap() <= 3)
    );
    assert!(
        !live.to_string().contains(&at),
        "token values are never listed"
    );
    // The server ends every access token: 401, and the refresh token still works.
    assert_eq!(
        admin(&sim, "/__sim/oauth/tokens/expire", json!({})).await["expired"],
        1
    );
    assert_eq!(bearer().send().await.unwrap().status(), 401);
    let r = post_form(
        &sim,
        "/oauth2/v1/token",
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", &rt),
            ("client_id", cid),
        ],
        None,
        None,
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    // Another client cannot use the refresh token.
    let r = post_form(
        &sim,
        "/oauth2/v1/token",
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", &rt),
            ("client_id", "0oaother"),
        ],
        None,
        None,
    )
    .await;
    assert_eq!(r.error(), "invalid_grant");
    // Revoked by its client: gone.
    let r = post_form(
        &sim,
        "/oauth2/v1/revoke",
        &[
            ("token", &rt),
            ("token_type_hint", "refresh_token"),
            ("client_id", cid),
        ],
        None,
        None,
    )
    .await;
    assert_eq!(r.status, 200);
    let r = post_form(
        &sim,
        "/oauth2/v1/token",
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", &rt),
            ("client_id", cid),
        ],
        None,
        None,
    )
    .await;
    assert_eq!(r.error(), "invalid_grant");
}
