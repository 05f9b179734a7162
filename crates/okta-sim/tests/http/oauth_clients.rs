//! OAuth clients are OIDC apps: the app's shape (client_id = id, generated secret), private_key_jwt assertions
//! verified against the app's registered keys (every failure refused with 401 invalid_client), client secrets,
//! grant types, inactive apps, and the app's JWKS API.

use serde_json::{Value, json};

use crate::common::jose::*;
use crate::common::*;

fn token_url(sim: &Sim) -> String {
    format!("{}/oauth2/v1/token", sim.handle.url())
}

async fn service_app(sim: &Sim, keys: &[Value]) -> String {
    let app = create_oidc_app(
        sim,
        "private_key_jwt",
        keys,
        &["client_credentials"],
        json!({}),
    )
    .await;
    app["id"].as_str().unwrap().to_string()
}

fn refused(a: &Answer, why: &str) {
    assert_eq!(
        (a.status, a.error()),
        (401, "invalid_client"),
        "{why}: {}",
        a.body
    );
    assert!(
        a.body["error_description"]
            .as_str()
            .is_some_and(|d| !d.is_empty()),
        "{why}"
    );
}

#[tokio::test]
async fn an_oidc_app_answers_its_client_id_and_a_generated_secret() {
    let sim = start_default().await;
    let app = create_oidc_app(
        &sim,
        "private_key_jwt",
        &[TestKey::Rsa1.public_jwk_with_kid("k1")],
        &["client_credentials"],
        json!({}),
    )
    .await;
    let oc = &app["credentials"]["oauthClient"];
    assert_eq!(oc["client_id"], app["id"]);
    assert_eq!(oc["token_endpoint_auth_method"], "private_key_jwt");
    assert!(
        oc.get("client_secret").is_none(),
        "no secret for private_key_jwt: {oc}"
    );
    let keys = app["settings"]["oauthClient"]["jwks"]["keys"]
        .as_array()
        .unwrap();
    assert_eq!(keys[0]["kid"], "k1");
    assert_eq!(keys[0]["status"], "ACTIVE");
    assert!(keys[0]["id"].as_str().unwrap().starts_with("pks"));
    let web = create_oidc_app(
        &sim,
        "client_secret_basic",
        &[],
        &["client_credentials"],
        json!({}),
    )
    .await;
    let secret = web["credentials"]["oauthClient"]["client_secret"]
        .as_str()
        .unwrap();
    assert!(secret.len() >= 14);
    // A replace keeps the client id and the secret.
    let id = web["id"].as_str().unwrap();
    let mut body = web.clone();
    body["label"] = json!("renamed");
    body["credentials"]["oauthClient"]
        .as_object_mut()
        .unwrap()
        .remove("client_secret");
    let r = sim.put(&format!("/api/v1/apps/{id}"), body).await;
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["credentials"]["oauthClient"]["client_id"], id);
    assert_eq!(v["credentials"]["oauthClient"]["client_secret"], secret);
    assert_eq!(
        sim.get_json(&format!("/api/v1/apps/{id}")).await["credentials"]["oauthClient"]["client_id"],
        id
    );
    // A replace that does not mention the keys keeps them.
    let pkj = app["id"].as_str().unwrap();
    let mut body = app.clone();
    body["settings"]["oauthClient"]
        .as_object_mut()
        .unwrap()
        .remove("jwks");
    let v: Value = sim
        .put(&format!("/api/v1/apps/{pkj}"), body)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(v["settings"]["oauthClient"]["jwks"]["keys"][0]["kid"], "k1", "{v}");
}

#[tokio::test]
async fn private_key_jwt_rs256_and_es256_are_verified() {
    let sim = start_default().await;
    let url = token_url(&sim);
    let cid = service_app(
        &sim,
        &[
            TestKey::Rsa1.public_jwk_with_kid("r1"),
            TestKey::Ec1.public_jwk_with_kid("e1"),
        ],
    )
    .await;
    for (key, kid) in [
        (TestKey::Rsa1, Some("r1")),
        (TestKey::Rsa1, None),
        (TestKey::Ec1, Some("e1")),
        (TestKey::Ec1, None),
    ] {
        let a = client_credentials(
            &sim,
            &cid,
            &assertion(key, kid, &cid, &url),
            "okta.users.read",
            None,
        )
        .await;
        assert_eq!(a.status, 200, "{kid:?}: {}", a.body);
        assert_eq!(a.body["token_type"], "Bearer");
    }
    // A custom authorization server: aud is its token endpoint.
    let custom = format!("{}/oauth2/default/v1/token", sim.handle.url());
    let a = post_form(
        &sim,
        "/oauth2/default/v1/token",
        &[
            ("grant_type", "client_credentials"),
            ("scope", "okta.users.read"),
            ("client_assertion_type", ASSERTION_TYPE),
            (
                "client_assertion",
                &assertion(TestKey::Ec1, None, &cid, &custom),
            ),
        ],
        None,
        None,
    )
    .await;
    assert_eq!(a.status, 200, "{}", a.body);
    // The org token endpoint's aud is refused there.
    let a = post_form(
        &sim,
        "/oauth2/default/v1/token",
        &[
            ("grant_type", "client_credentials"),
            ("scope", "okta.users.read"),
            ("client_assertion_type", ASSERTION_TYPE),
            (
                "client_assertion",
                &assertion(TestKey::Ec1, None, &cid, &url),
            ),
        ],
        None,
        None,
    )
    .await;
    refused(&a, "org aud at a custom AS");
}

#[tokio::test]
async fn every_bad_assertion_is_refused() {
    let sim = start_default().await;
    let url = token_url(&sim);
    let cid = service_app(&sim, &[TestKey::Rsa1.public_jwk_with_kid("r1")]).await;
    let try_ = |a: String| {
        let sim = &sim;
        let cid = cid.clone();
        async move { client_credentials(sim, &cid, &a, "okta.users.read", None).await }
    };
    // Signed by a key the app does not have, under the registered kid and without one.
    refused(
        &try_(assertion(TestKey::Rsa2, Some("r1"), &cid, &url)).await,
        "other key, registered kid",
    );
    refused(
        &try_(assertion(TestKey::Rsa2, None, &cid, &url)).await,
        "other key, no kid",
    );
    refused(
        &try_(assertion(TestKey::Ec1, None, &cid, &url)).await,
        "EC key, app has RSA only",
    );
    // A tampered payload under a good signature.
    let good = assertion(TestKey::Rsa1, Some("r1"), &cid, &url);
    let parts: Vec<&str> = good.split('.').collect();
    let other = assertion_claims(&cid, "https://evil.example/token");
    let forged_payload = {
        use base64::Engine;
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(other.to_string())
    };
    refused(
        &try_(format!("{}.{}.{}", parts[0], forged_payload, parts[2])).await,
        "tampered payload",
    );
    // A kid that is not registered.
    refused(
        &try_(assertion(TestKey::Rsa1, Some("nope"), &cid, &url)).await,
        "unknown kid",
    );
    // Wrong audience: another endpoint, another server.
    refused(
        &try_(assertion(
            TestKey::Rsa1,
            None,
            &cid,
            &format!("{}/oauth2/v1/revoke", sim.handle.url()),
        ))
        .await,
        "aud revoke",
    );
    refused(
        &try_(assertion(
            TestKey::Rsa1,
            None,
            &cid,
            "https://myorg.okta.com/oauth2/v1/token",
        ))
        .await,
        "aud other org",
    );
    // Expired; too long-lived; no jti; iss ≠ sub.
    let mut c = assertion_claims(&cid, &url);
    c["iat"] = json!(now() - 600);
    c["exp"] = json!(now() - 10);
    refused(
        &try_(assertion_with(TestKey::Rsa1, None, &c)).await,
        "expired",
    );
    let mut c = assertion_claims(&cid, &url);
    c["exp"] = json!(now() + 3700);
    refused(
        &try_(assertion_with(TestKey::Rsa1, None, &c)).await,
        "exp more than an hour after iat",
    );
    let mut c = assertion_claims(&cid, &url);
    c.as_object_mut().unwrap().remove("jti");
    refused(
        &try_(assertion_with(TestKey::Rsa1, None, &c)).await,
        "no jti",
    );
    let mut c = assertion_claims(&cid, &url);
    c["iss"] = json!("someone-else");
    refused(
        &try_(assertion_with(TestKey::Rsa1, None, &c)).await,
        "iss differs from sub",
    );
    // Replay: the same assertion twice.
    let once = assertion(TestKey::Rsa1, None, &cid, &url);
    assert_eq!(try_(once.clone()).await.status, 200);
    let again = try_(once).await;
    refused(&again, "replayed jti");
    assert!(
        again.body["error_description"]
            .as_str()
            .unwrap()
            .contains("jti")
    );
    // A client id that is no app, with a perfectly signed assertion.
    let a = assertion(TestKey::Rsa1, None, "0oanotregistered", &url);
    refused(
        &client_credentials(&sim, "0oanotregistered", &a, "okta.users.read", None).await,
        "unknown client",
    );
    // The form's client_id must be the assertion's.
    let a = post_form(
        &sim,
        "/oauth2/v1/token",
        &[
            ("grant_type", "client_credentials"),
            ("scope", "okta.users.read"),
            ("client_id", "0oasomeoneelse"),
            ("client_assertion_type", ASSERTION_TYPE),
            (
                "client_assertion",
                &assertion(TestKey::Rsa1, None, &cid, &url),
            ),
        ],
        None,
        None,
    )
    .await;
    refused(&a, "client_id differs from the assertion");
    // The failures are in the log, with the client each claimed.
    let log = sim.get_json("/__sim/oauth/log").await;
    assert!(
        log.as_array()
            .unwrap()
            .iter()
            .any(|e| e["outcome"] == "invalid_client" && e["client_id"] == cid.as_str())
    );
}

#[tokio::test]
async fn client_secrets_methods_and_inactive_apps() {
    let sim = start_default().await;
    let basic = create_oidc_app(
        &sim,
        "client_secret_basic",
        &[],
        &["client_credentials"],
        json!({}),
    )
    .await;
    let (bid, bsecret) = (
        basic["id"].as_str().unwrap(),
        basic["credentials"]["oauthClient"]["client_secret"]
            .as_str()
            .unwrap(),
    );
    let form = [
        ("grant_type", "client_credentials"),
        ("scope", "okta.users.read"),
    ];
    let a = post_form(&sim, "/oauth2/v1/token", &form, None, Some((bid, bsecret))).await;
    assert_eq!(a.status, 200, "{}", a.body);
    refused(
        &post_form(
            &sim,
            "/oauth2/v1/token",
            &form,
            None,
            Some((bid, "wrong-secret-123")),
        )
        .await,
        "wrong secret",
    );
    // The method is the app's: the right secret in the form is refused for a client_secret_basic app.
    let mut f = form.to_vec();
    f.extend([("client_id", bid), ("client_secret", bsecret)]);
    refused(
        &post_form(&sim, "/oauth2/v1/token", &f, None, None).await,
        "post for a basic app",
    );
    let post = create_oidc_app(
        &sim,
        "client_secret_post",
        &[],
        &["client_credentials"],
        json!({}),
    )
    .await;
    let (pid, psecret) = (
        post["id"].as_str().unwrap(),
        post["credentials"]["oauthClient"]["client_secret"]
            .as_str()
            .unwrap(),
    );
    let mut f = form.to_vec();
    f.extend([("client_id", pid), ("client_secret", psecret)]);
    assert_eq!(
        post_form(&sim, "/oauth2/v1/token", &f, None, None)
            .await
            .status,
        200
    );
    // A public (none) client cannot use client credentials without authentication.
    let mut f = form.to_vec();
    f.push(("client_id", pid));
    refused(
        &post_form(&sim, "/oauth2/v1/token", &f, None, None).await,
        "no secret",
    );
    // A deactivated app is no client.
    assert_eq!(
        sim.post(
            &format!("/api/v1/apps/{bid}/lifecycle/deactivate"),
            json!({})
        )
        .await
        .status(),
        200
    );
    refused(
        &post_form(&sim, "/oauth2/v1/token", &form, None, Some((bid, bsecret))).await,
        "inactive app",
    );
}

#[tokio::test]
async fn grant_types_are_honoured() {
    let sim = start_default().await;
    let url = token_url(&sim);
    let app = create_oidc_app(
        &sim,
        "private_key_jwt",
        &[TestKey::Ec1.public_jwk()],
        &["authorization_code"],
        json!({}),
    )
    .await;
    let cid = app["id"].as_str().unwrap();
    let a = client_credentials(
        &sim,
        cid,
        &assertion(TestKey::Ec1, None, cid, &url),
        "okta.users.read",
        None,
    )
    .await;
    assert_eq!(
        (a.status, a.error()),
        (400, "unauthorized_client"),
        "{}",
        a.body
    );
    // A registered native app without the device grant: refused at device/authorize.
    let native = create_oidc_app(&sim, "none", &[], &["authorization_code"], json!({})).await;
    let a = post_form(
        &sim,
        "/oauth2/v1/device/authorize",
        &[
            ("client_id", native["id"].as_str().unwrap()),
            ("scope", "openid okta.users.read"),
        ],
        None,
        None,
    )
    .await;
    assert_eq!(
        (a.status, a.error()),
        (400, "unauthorized_client"),
        "{}",
        a.body
    );
}

#[tokio::test]
async fn the_jwks_api_manages_the_keys_assertions_are_verified_with() {
    let sim = start_default().await;
    let url = token_url(&sim);
    let cid = service_app(&sim, &[TestKey::Rsa1.public_jwk_with_kid("r1")]).await;
    let jwks = format!("/api/v1/apps/{cid}/credentials/jwks");
    // Not yet registered: refused.
    refused(
        &client_credentials(
            &sim,
            &cid,
            &assertion(TestKey::Ec2, Some("e2"), &cid, &url),
            "okta.users.read",
            None,
        )
        .await,
        "unregistered key",
    );
    let r = sim
        .post(&jwks, TestKey::Ec2.public_jwk_with_kid("e2"))
        .await;
    assert_eq!(r.status(), 201);
    let added: Value = r.json().await.unwrap();
    let key_id = added["id"].as_str().unwrap().to_string();
    assert_eq!(added["status"], "ACTIVE");
    assert_eq!(added["kid"], "e2");
    assert_eq!(sim.get_json(&jwks).await.as_array().unwrap().len(), 2);
    assert_eq!(sim.get_json(&format!("{jwks}/{key_id}")).await["kid"], "e2");
    let ok = client_credentials(
        &sim,
        &cid,
        &assertion(TestKey::Ec2, Some("e2"), &cid, &url),
        "okta.users.read",
        None,
    )
    .await;
    assert_eq!(ok.status, 200, "{}", ok.body);
    // An ACTIVE key cannot be deleted; a deactivated key no longer verifies.
    assert_eq!(sim.delete(&format!("{jwks}/{key_id}")).await.status(), 400);
    let r = sim
        .post(&format!("{jwks}/{key_id}/lifecycle/deactivate"), json!({}))
        .await;
    assert_eq!(r.status(), 200);
    refused(
        &client_credentials(
            &sim,
            &cid,
            &assertion(TestKey::Ec2, Some("e2"), &cid, &url),
            "okta.users.read",
            None,
        )
        .await,
        "inactive key",
    );
    let r = sim
        .post(&format!("{jwks}/{key_id}/lifecycle/activate"), json!({}))
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(
        client_credentials(
            &sim,
            &cid,
            &assertion(TestKey::Ec2, Some("e2"), &cid, &url),
            "okta.users.read",
            None
        )
        .await
        .status,
        200
    );
    sim.post(&format!("{jwks}/{key_id}/lifecycle/deactivate"), json!({}))
        .await;
    assert_eq!(sim.delete(&format!("{jwks}/{key_id}")).await.status(), 204);
    assert_eq!(sim.get(&format!("{jwks}/{key_id}")).await.status(), 404);
    // Private material, a malformed key, a duplicate kid: 400.
    let mut private = TestKey::Ec1.public_jwk();
    private["d"] = json!("AAAA");
    let mut bad = TestKey::Ec1.public_jwk();
    bad["x"] = json!("AAAA");
    for body in [private, bad, TestKey::Rsa2.public_jwk_with_kid("r1")] {
        let r = sim.post(&jwks, body).await;
        assert_okta_error(r, 400, "E0000001").await;
    }
}

#[tokio::test]
async fn client_secrets_rotate_through_the_secrets_api() {
    let sim = start_default().await;
    let app = create_oidc_app(&sim, "client_secret_basic", &[], &["client_credentials"], json!({})).await;
    let id = app["id"].as_str().unwrap();
    let first = app["credentials"]["oauthClient"]["client_secret"].as_str().unwrap().to_string();
    let secrets = format!("/api/v1/apps/{id}/credentials/secrets");
    let listed = sim.get_json(&secrets).await;
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert_eq!(listed[0]["client_secret"], first.as_str());
    assert_eq!(listed[0]["status"], "ACTIVE");
    let first_id = listed[0]["id"].as_str().unwrap().to_string();
    let form = [("grant_type", "client_credentials"), ("scope", "okta.users.read")];
    let token = |secret: String| {
        let sim = &sim;
        async move { post_form(sim, "/oauth2/v1/token", &form, None, Some((id, &secret))).await }
    };
    // A second secret: both work.
    let r = sim.post(&secrets, json!({})).await;
    assert_eq!(r.status(), 201);
    let second: Value = r.json().await.unwrap();
    let second_secret = second["client_secret"].as_str().unwrap().to_string();
    assert_eq!(token(first.clone()).await.status, 200);
    assert_eq!(token(second_secret.clone()).await.status, 200);
    // Not a third.
    assert_okta_error(sim.post(&secrets, json!({})).await, 400, "E0000001").await;
    // The old one deactivated: refused; an ACTIVE one cannot be deleted; the INACTIVE one can.
    assert_okta_error(sim.delete(&format!("{secrets}/{first_id}")).await, 400, "E0000001").await;
    let r = sim.post(&format!("{secrets}/{first_id}/lifecycle/deactivate"), json!({})).await;
    assert_eq!(r.status(), 200);
    refused(&token(first.clone()).await, "deactivated secret");
    assert_eq!(token(second_secret.clone()).await.status, 200);
    assert_eq!(sim.delete(&format!("{secrets}/{first_id}")).await.status(), 204);
    assert_eq!(sim.get(&format!("{secrets}/{first_id}")).await.status(), 404);
    // The last ACTIVE secret stays active.
    let second_id = second["id"].as_str().unwrap();
    assert_okta_error(sim.post(&format!("{secrets}/{second_id}/lifecycle/deactivate"), json!({})).await, 400, "E0000001").await;
    // A chosen secret.
    let r = sim.post(&secrets, json!({"client_secret": "a-chosen-secret-of-enough-length"})).await;
    assert_eq!(r.status(), 201);
    assert_eq!(token("a-chosen-secret-of-enough-length".into()).await.status, 200);
}
