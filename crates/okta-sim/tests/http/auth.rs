//! Auth: SSWS with and without the space, 401 bodies, OAuth access tokens with scopes enforced per endpoint,
//! DPoP-bound tokens with Okta's nonce round trip, the device grant.


use crate::common::jose::*;
use crate::common::*;
use serde_json::{Value, json};

async fn token_request(
    sim: &Sim,
    form: &[(&str, &str)],
    dpop_proof: Option<String>,
) -> reqwest::Response {
    let mut r = sim.client.post(sim.url("/oauth2/v1/token")).form(form);
    if let Some(p) = dpop_proof {
        r = r.header("DPoP", p);
    }
    r.send().await.unwrap()
}

#[tokio::test]
async fn ssws_variants() {
    let sim = start_default().await;
    for h in ["SSWS test-token", "SSWStest-token", "ssws test-token"] {
        let r = sim
            .client
            .get(sim.url("/api/v1/users"))
            .header("Authorization", h)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{h}");
    }
    for h in [
        None,
        Some("SSWS wrong"),
        Some("SSWS"),
        Some("Bearer nope"),
        Some("Basic dGVzdA=="),
    ] {
        let mut req = sim.client.get(sim.url("/api/v1/users"));
        if let Some(h) = h {
            req = req.header("Authorization", h);
        }
        let r = req.send().await.unwrap();
        assert!(header(&r, "x-okta-request-id").is_some());
        let b = assert_okta_error(r, 401, "E0000011").await;
        assert_eq!(b["errorSummary"], "Invalid token provided");
    }
}

#[tokio::test]
async fn client_credentials_and_scopes() {
    let sim = start_default().await;
    let token_url = format!("{}/oauth2/v1/token", sim.handle.url());
    let app = create_oidc_app(&sim, "private_key_jwt", &[TestKey::Rsa1.public_jwk_with_kid("k1")], &["client_credentials"], json!({})).await;
    let cid = app["id"].as_str().unwrap();
    let a = assertion(TestKey::Rsa1, Some("k1"), cid, &token_url);
    let form = [
        ("grant_type", "client_credentials"),
        ("scope", "okta.users.read okta.groups.manage"),
        (
            "client_assertion_type",
            "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        ),
        ("client_assertion", a.as_str()),
    ];
    let r = token_request(&sim, &form, None).await;
    assert_eq!(r.status(), 200);
    let t: Value = r.json().await.unwrap();
    assert_eq!(t["token_type"], "Bearer");
    assert_eq!(t["scope"], "okta.users.read okta.groups.manage");
    let at = t["access_token"].as_str().unwrap();
    let bearer = |path: &str| {
        sim.client
            .get(sim.url(path))
            .header("Authorization", format!("Bearer {at}"))
    };
    assert_eq!(bearer("/api/v1/users").send().await.unwrap().status(), 200);
    assert_eq!(
        bearer("/api/v1/groups").send().await.unwrap().status(),
        200,
        "manage covers read"
    );
    let r = bearer("/api/v1/apps").send().await.unwrap();
    let www = header(&r, "www-authenticate").unwrap();
    assert!(
        www.contains("insufficient_scope") && www.contains("okta.apps.read"),
        "{www}"
    );
    let b = assert_okta_error(r, 403, "E0000006").await;
    assert_eq!(
        b["errorSummary"],
        "You do not have permission to perform the requested action"
    );
    // Writing users needs okta.users.manage.
    let r = sim
        .client
        .post(sim.url("/api/v1/users"))
        .header("Authorization", format!("Bearer {at}"))
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_okta_error(r, 403, "E0000006").await;
    // Log events name the client as actor.
    let r = sim
        .client
        .post(sim.url("/api/v1/groups"))
        .header("Authorization", format!("Bearer {at}"))
        .json(&json!({"profile": {"name": "G"}}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let logs = sim.get_json("/api/v1/logs").await;
    let ev = logs
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["eventType"] == "group.lifecycle.create")
        .unwrap();
    assert_eq!(ev["actor"]["id"], cid);
    // Revoked tokens stop working.
    let r = sim
        .client
        .post(sim.url("/oauth2/v1/revoke"))
        .form(&[
            ("token", at),
            ("client_assertion_type", ASSERTION_TYPE),
            ("client_assertion", &assertion(TestKey::Rsa1, Some("k1"), cid, &token_url)),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(bearer("/api/v1/users").send().await.unwrap().status(), 401);
}

#[tokio::test]
async fn oauth_errors() {
    let sim = start_default().await;
    let token_url = format!("{}/oauth2/v1/token", sim.handle.url());
    let app = create_oidc_app(&sim, "private_key_jwt", &[TestKey::Ec1.public_jwk()], &["client_credentials"], json!({})).await;
    let cid = app["id"].as_str().unwrap();
    let a = client_credentials(&sim, cid, &assertion(TestKey::Ec1, None, cid, &token_url), "okta.nope.read", None).await;
    assert_eq!((a.status, a.error()), (400, "invalid_scope"), "{}", a.body);
    assert!(a.body["error_description"].is_string());
    let r = token_request(
        &sim,
        &[("grant_type", "password"), ("client_id", "c")],
        None,
    )
    .await;
    let b: Value = r.json().await.unwrap();
    assert_eq!(b["error"], "unsupported_grant_type");
    // No client at all, or a client id that is no app: client credentials need a registered client.
    for form in [
        vec![("grant_type", "client_credentials"), ("scope", "okta.users.read")],
        vec![("grant_type", "client_credentials"), ("scope", "okta.users.read"), ("client_id", "0oanotanapp")],
    ] {
        let r = token_request(&sim, &form, None).await;
        assert_eq!(r.status(), 401);
        let b: Value = r.json().await.unwrap();
        assert_eq!(b["error"], "invalid_client");
    }
}

#[tokio::test]
async fn dpop_flow_with_nonce() {
    let sim = start_default().await;
    let token_url = format!("{}/oauth2/v1/token", sim.handle.url());
    let app = create_oidc_app(&sim, "private_key_jwt", &[TestKey::Rsa1.public_jwk()], &["client_credentials"], json!({})).await;
    let cid = app["id"].as_str().unwrap();
    // The same client authentication is sent again with the nonce (the nonce comes before the client check).
    let a = assertion(TestKey::Rsa1, None, cid, &token_url);
    let form = [
        ("grant_type", "client_credentials"),
        ("scope", "okta.users.read"),
        ("client_assertion_type", ASSERTION_TYPE),
        ("client_assertion", a.as_str()),
    ];
    let key = TestKey::Ec1;
    let r = token_request(&sim, &form, Some(dpop(key, "POST", &token_url, None, None))).await;
    assert_eq!(r.status(), 400);
    let nonce = header(&r, "dpop-nonce").expect("DPoP-Nonce header");
    let b: Value = r.json().await.unwrap();
    assert_eq!(b["error"], "use_dpop_nonce");
    let r = token_request(&sim, &form, Some(dpop(key, "POST", &token_url, Some(&nonce), None))).await;
    assert_eq!(r.status(), 200);
    let t: Value = r.json().await.unwrap();
    assert_eq!(t["token_type"], "DPoP");
    let at = t["access_token"].as_str().unwrap();
    let users_url = format!("{}/api/v1/users", sim.handle.url());
    let ok = dpop_get(&sim, &users_url, at, Some(dpop(key, "GET", &users_url, None, Some(at)))).await;
    assert_eq!(ok.status(), 200);
    // As a Bearer token, or without a proof, or with a proof for another request: 401.
    let r = sim
        .client
        .get(&users_url)
        .header("Authorization", format!("Bearer {at}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    assert_eq!(dpop_get(&sim, &users_url, at, None).await.status(), 401);
    let r = dpop_get(&sim, &users_url, at, Some(dpop(key, "POST", &users_url, None, Some(at)))).await;
    assert_eq!(r.status(), 401);
    assert!(
        header(&r, "www-authenticate")
            .unwrap()
            .contains("invalid_dpop_proof")
    );
}

#[tokio::test]
async fn device_grant() {
    let sim = start_default().await;
    let r = sim
        .client
        .post(sim.url("/oauth2/v1/device/authorize"))
        .form(&[
            ("client_id", "0oadevice"),
            ("scope", "openid okta.users.read offline_access"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let d: Value = r.json().await.unwrap();
    let code = d["device_code"].as_str().unwrap();
    assert!(
        d["user_code"].is_string()
            && d["verification_uri"].is_string()
            && d["interval"].is_number()
    );
    let form = [
        ("grant_type", "urn:ietf:params:oauth:grant-type:device_code"),
        ("device_code", code),
        ("client_id", "0oadevice"),
    ];
    let r = token_request(&sim, &form, None).await;
    let b: Value = r.json().await.unwrap();
    assert_eq!(b["error"], "authorization_pending");
    let r = token_request(&sim, &form, None).await;
    assert_eq!(r.status(), 200);
    let t: Value = r.json().await.unwrap();
    let rt = t["refresh_token"].as_str().unwrap();
    let r = token_request(
        &sim,
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", rt),
            ("client_id", "0oadevice"),
        ],
        None,
    )
    .await;
    assert_eq!(r.status(), 200);
    let r = token_request(&sim, &form, None).await;
    let b: Value = r.json().await.unwrap();
    assert_eq!(b["error"], "invalid_grant", "a device code is single use");
    let disco = sim.get_json("/.well-known/openid-configuration").await;
    assert_eq!(
        disco["token_endpoint"],
        format!("{}/oauth2/v1/token", sim.handle.url())
    );
}
