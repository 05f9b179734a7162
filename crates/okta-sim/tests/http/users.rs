//! Users over HTTP: create, get by id / login / short name, update vs replace, validation, two-step delete.


use crate::common::*;
use serde_json::json;

#[tokio::test]
async fn create_get_and_headers() {
    let sim = start_default().await;
    let u = sim
        .create_user(
            "ada@example.com",
            "Ada",
            "Lovelace",
            "",
            Some("Sup3r-secret"),
        )
        .await;
    let id = u["id"].as_str().unwrap();
    assert!(id.starts_with("00u") && id.len() == 20, "{id}");
    assert_eq!(u["status"], "ACTIVE");
    assert_eq!(u["profile"]["login"], "ada@example.com");
    assert_eq!(
        u["credentials"]["provider"],
        json!({"type": "OKTA", "name": "OKTA"})
    );
    assert_eq!(u["credentials"]["emails"][0]["value"], "ada@example.com");
    assert!(u["credentials"]["password"].is_object());
    assert!(
        u["_links"]["self"]["href"]
            .as_str()
            .unwrap()
            .ends_with(&format!("/api/v1/users/{id}"))
    );
    let created = u["created"].as_str().unwrap();
    assert_eq!(created.len(), 24, "{created}");
    assert!(
        created.ends_with('Z') && created.as_bytes()[19] == b'.',
        "{created}"
    );
    assert!(u["type"]["id"].as_str().unwrap().starts_with("oty"));

    for key in [
        id.to_string(),
        "ada@example.com".into(),
        "ada%40example.com".into(),
        "ada".into(),
        "ADA@EXAMPLE.COM".into(),
    ] {
        let r = sim.get(&format!("/api/v1/users/{key}")).await;
        assert_eq!(r.status(), 200, "{key}");
        for h in [
            "date",
            "x-okta-request-id",
            "x-rate-limit-limit",
            "x-rate-limit-remaining",
            "x-rate-limit-reset",
        ] {
            assert!(header(&r, h).is_some(), "missing {h}");
        }
        assert_eq!(header(&r, "content-type").unwrap(), "application/json");
        let v: serde_json::Value = r.json().await.unwrap();
        assert_eq!(v["id"], id);
    }
    sim.handle.shutdown().await;
}

#[tokio::test]
async fn create_statuses() {
    let sim = start_default().await;
    let staged = sim
        .create_user("s@example.com", "S", "T", "?activate=false", None)
        .await;
    assert_eq!(staged["status"], "STAGED");
    assert!(staged["activated"].is_null());
    let prov = sim.create_user("p@example.com", "P", "Q", "", None).await;
    assert_eq!(prov["status"], "PROVISIONED");
    let act = sim
        .create_user(
            "a@example.com",
            "A",
            "B",
            "?activate=true",
            Some("Passw0rd!x"),
        )
        .await;
    assert_eq!(act["status"], "ACTIVE");
    let exp = sim
        .create_user(
            "e@example.com",
            "E",
            "F",
            "?nextLogin=changePassword",
            Some("Passw0rd!x"),
        )
        .await;
    assert_eq!(exp["status"], "PASSWORD_EXPIRED");
    let r = sim
        .post("/api/v1/users?provider=true", json!({"profile": {"login": "f@example.com", "email": "f@example.com", "firstName": "F", "lastName": "G"}, "credentials": {"provider": {"type": "FEDERATION", "name": "FEDERATION"}}}))
        .await;
    let fed: serde_json::Value = r.json().await.unwrap();
    assert_eq!(fed["status"], "ACTIVE");
    assert_eq!(fed["credentials"]["provider"]["type"], "FEDERATION");
}

#[tokio::test]
async fn validation_errors() {
    let sim = start_default().await;
    sim.create_user("dup@example.com", "D", "U", "", None).await;
    let r = sim.post("/api/v1/users", json!({"profile": {"login": "DUP@example.com", "email": "d@example.com", "firstName": "D", "lastName": "U"}})).await;
    let b = assert_okta_error(r, 400, "E0000001").await;
    assert_eq!(
        b["errorCauses"][0]["errorSummary"],
        "login: An object with this field already exists in the current organization"
    );
    for missing in ["login", "email", "firstName", "lastName"] {
        let mut p = json!({"login": "m@example.com", "email": "m@example.com", "firstName": "M", "lastName": "N"});
        p.as_object_mut().unwrap().remove(missing);
        let r = sim.post("/api/v1/users", json!({"profile": p})).await;
        let b = assert_okta_error(r, 400, "E0000001").await;
        assert!(
            b["errorCauses"][0]["errorSummary"]
                .as_str()
                .unwrap()
                .starts_with(&format!("{missing}:")),
            "{b}"
        );
    }
    let r = sim.post("/api/v1/users", json!({"profile": {"login": "nomail", "email": "x@example.com", "firstName": "a", "lastName": "b"}})).await;
    assert_okta_error(r, 400, "E0000001").await;
    let r = sim
        .client
        .post(sim.url("/api/v1/users"))
        .header("Authorization", "SSWS test-token")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_okta_error(r, 400, "E0000003").await;
    let r = sim.post("/api/v1/users", json!({"profile": {"login": "g@example.com", "email": "g@example.com", "firstName": "a", "lastName": "b"}, "groupIds": ["00gnope"]})).await;
    assert_okta_error(r, 404, "E0000007").await;
}

#[tokio::test]
async fn partial_update_versus_replace() {
    let sim = start_default().await;
    let u = sim
        .create_user("up@example.com", "Up", "Date", "", None)
        .await;
    let id = u["id"].as_str().unwrap();
    let r = sim
        .post(
            &format!("/api/v1/users/{id}"),
            json!({"profile": {"nickName": "Uppy"}}),
        )
        .await;
    assert_eq!(r.status(), 200);
    let v: serde_json::Value = r.json().await.unwrap();
    assert_eq!(v["profile"]["nickName"], "Uppy");
    assert_eq!(
        v["profile"]["firstName"], "Up",
        "partial update keeps fields"
    );
    let r = sim.put(&format!("/api/v1/users/{id}"), json!({"profile": {"login": "up@example.com", "email": "up@example.com", "firstName": "New", "lastName": "Name"}})).await;
    let v: serde_json::Value = r.json().await.unwrap();
    assert_eq!(v["profile"]["firstName"], "New");
    assert!(
        v["profile"].get("nickName").is_none(),
        "replace drops fields: {v}"
    );
    // Replace without a required field fails.
    let r = sim
        .put(
            &format!("/api/v1/users/{id}"),
            json!({"profile": {"login": "up@example.com", "email": "up@example.com"}}),
        )
        .await;
    assert_okta_error(r, 400, "E0000001").await;
    // Login change to an existing one fails.
    sim.create_user("other@example.com", "O", "T", "", None)
        .await;
    let r = sim
        .post(
            &format!("/api/v1/users/{id}"),
            json!({"profile": {"login": "other@example.com"}}),
        )
        .await;
    assert_okta_error(r, 400, "E0000001").await;
}

#[tokio::test]
async fn two_step_delete() {
    let sim = start_default().await;
    let u = sim
        .create_user("del@example.com", "Del", "Ete", "", Some("Passw0rd!x"))
        .await;
    let id = u["id"].as_str().unwrap();
    let r = sim.delete(&format!("/api/v1/users/{id}")).await;
    assert_eq!(r.status(), 204);
    assert!(header(&r, "content-type").is_none());
    let v = sim.get_json(&format!("/api/v1/users/{id}")).await;
    assert_eq!(v["status"], "DEPROVISIONED");
    let r = sim.delete(&format!("/api/v1/users/{id}")).await;
    assert_eq!(r.status(), 204);
    let r = sim.get(&format!("/api/v1/users/{id}")).await;
    let b = assert_okta_error(r, 404, "E0000007").await;
    assert_eq!(
        b["errorSummary"],
        format!("Not found: Resource not found: {id} (User)")
    );
    let r = sim.delete(&format!("/api/v1/users/{id}")).await;
    assert_okta_error(r, 404, "E0000007").await;
}

#[tokio::test]
async fn unknown_paths_and_methods() {
    let sim = start_default().await;
    let r = sim.get("/api/v1/nothing-here").await;
    assert_okta_error(r, 404, "E0000007").await;
    let r = sim
        .call(reqwest::Method::PATCH, "/api/v1/users", None)
        .await;
    let b = assert_okta_error(r, 405, "E0000022").await;
    assert_eq!(
        b["errorSummary"],
        "The endpoint does not support the provided HTTP method"
    );
}
