//! Every other facts path: stored JSON CRUD by path, statuses from the facts, 404s for unknown members.

use crate::common::*;
use reqwest::Method;
use serde_json::{Value, json};

#[tokio::test]
async fn collection_crud() {
    let sim = start_default().await;
    let r = sim.post("/api/v1/trustedOrigins", json!({"name": "Portal", "origin": "https://portal.example.com", "scopes": [{"type": "CORS"}]})).await;
    assert_eq!(r.status(), 200);
    let o: Value = r.json().await.unwrap();
    let id = o["id"].as_str().unwrap();
    assert!(
        o["created"].is_string() && o["_links"]["self"]["href"].as_str().unwrap().ends_with(id)
    );
    let got = sim.get_json(&format!("/api/v1/trustedOrigins/{id}")).await;
    assert_eq!(got["origin"], "https://portal.example.com");
    let r = sim
        .put(
            &format!("/api/v1/trustedOrigins/{id}"),
            json!({"name": "Portal 2", "origin": "https://p2.example.com"}),
        )
        .await;
    assert_eq!(r.json::<Value>().await.unwrap()["name"], "Portal 2");
    let r = sim
        .post(
            &format!("/api/v1/trustedOrigins/{id}/lifecycle/deactivate"),
            json!({}),
        )
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(
        sim.get_json(&format!("/api/v1/trustedOrigins/{id}")).await["status"],
        "INACTIVE"
    );
    assert_eq!(
        sim.get_json("/api/v1/trustedOrigins")
            .await
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        sim.delete(&format!("/api/v1/trustedOrigins/{id}"))
            .await
            .status(),
        204
    );
    let r = sim.get(&format!("/api/v1/trustedOrigins/{id}")).await;
    let b = assert_okta_error(r, 404, "E0000007").await;
    assert!(b["errorSummary"].as_str().unwrap().contains(id));
    let types: Vec<String> = sim
        .get_json("/api/v1/logs")
        .await
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["eventType"].as_str().unwrap().to_string())
        .collect();
    for t in [
        "trustedorigin.lifecycle.create",
        "trustedorigin.lifecycle.update",
        "trustedorigin.lifecycle.deactivate",
        "trustedorigin.lifecycle.delete",
    ] {
        assert!(types.iter().any(|x| x == t), "{t} in {types:?}");
    }
}

#[tokio::test]
async fn generic_paging_and_statuses() {
    let sim = start_default().await;
    for i in 0..5 {
        let r = sim
            .post(
                "/api/v1/zones",
                json!({"type": "IP", "name": format!("zone{i}")}),
            )
            .await;
        assert_eq!(r.status(), 200);
    }
    // Five new zones besides the two system zones every org has (LegacyIpZone, BlockedIpZone).
    let (all, pages) = sim.collect_all("/api/v1/zones?limit=2").await;
    assert_eq!((all.len(), pages), (7, 4));
    // A 201 create from the facts (user roles).
    let u = sim.create_user("r@example.com", "R", "O", "", None).await;
    let r = sim
        .post(
            &format!("/api/v1/users/{}/roles", u["id"].as_str().unwrap()),
            json!({"type": "SUPER_ADMIN"}),
        )
        .await;
    assert_eq!(r.status(), 201);
    // Singletons answer objects; settings can be written and read back.
    let r = sim.put("/api/v1/org/privacy/oktaSupport", json!({})).await;
    assert!(
        r.status().is_success() || r.status() == 405,
        "{}",
        r.status()
    );
    let r = sim
        .post("/api/v1/org", json!({"companyName": "Sim Corp"}))
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(sim.get_json("/api/v1/org").await["companyName"], "Sim Corp");
    // Unknown member under a known parent, and a sub-resource of an unknown user.
    assert_okta_error(sim.get("/api/v1/zones/nzonope").await, 404, "E0000007").await;
    assert_okta_error(
        sim.get("/api/v1/users/00unope/roles").await,
        404,
        "E0000007",
    )
    .await;
    assert_okta_error(
        sim.call(Method::PATCH, "/api/v1/zones", None).await,
        405,
        "E0000022",
    )
    .await;
    // User types: the default exists.
    let types = sim.get_json("/api/v1/meta/types/user").await;
    assert_eq!(types[0]["default"], true);
    assert_eq!(types[0]["name"], "user");
}

#[tokio::test]
async fn oauth_client_registration_needs_a_token() {
    let sim = start_default().await;
    let r = sim
        .client
        .get(sim.url("/oauth2/v1/clients"))
        .send()
        .await
        .unwrap();
    assert_okta_error(r, 401, "E0000011").await;
    let r = sim
        .post(
            "/oauth2/v1/clients",
            json!({"client_name": "svc", "grant_types": ["client_credentials"]}),
        )
        .await;
    assert_eq!(r.status(), 201);
    assert_eq!(
        sim.get_json("/oauth2/v1/clients")
            .await
            .as_array()
            .unwrap()
            .len(),
        1
    );
    // Protocol endpoints need no token.
    assert_eq!(
        sim.client
            .get(sim.url("/oauth2/v1/keys"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
}

#[tokio::test]
async fn the_last_request_is_reported_with_its_decoded_query() {
    let sim = start_default().await;
    let _ = sim.get_json("/api/v1/users?search=profile.lastName%20eq%20%22Van%20Gogh%22&limit=2").await;
    let last: Value = reqwest::get(sim.url("/__sim/requests/last")).await.unwrap().json().await.unwrap();
    assert_eq!(last["method"], "GET");
    assert_eq!(last["path"], "/api/v1/users");
    assert_eq!(last["query"], json!([["search", "profile.lastName eq \"Van Gogh\""], ["limit", "2"]]));
}
