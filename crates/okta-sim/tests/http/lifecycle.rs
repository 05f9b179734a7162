//! User lifecycle: a table of (start status, operation) → expected HTTP status and resulting user status.


use crate::common::*;
use serde_json::{Value, json};

async fn user_in(sim: &Sim, status: &str, n: usize) -> String {
    let login = format!("u{n}@example.com");
    let u = sim
        .create_user(&login, "U", &format!("N{n}"), "?activate=false", None)
        .await;
    let id = u["id"].as_str().unwrap().to_string();
    let r = sim
        .client
        .post(sim.url(&format!("/__sim/users/{id}/status")))
        .json(&json!({"status": status}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    id
}

#[tokio::test]
async fn lifecycle_rules_table() {
    let sim = start_default().await;
    // (from, op, http status, error code or "", resulting status)
    let table: &[(&str, &str, u16, &str, &str)] = &[
        ("STAGED", "activate", 200, "", "PROVISIONED"),
        ("DEPROVISIONED", "activate", 200, "", "PROVISIONED"),
        ("ACTIVE", "activate", 403, "E0000016", "ACTIVE"),
        ("PROVISIONED", "reactivate", 200, "", "PROVISIONED"),
        ("ACTIVE", "reactivate", 403, "E0000038", "ACTIVE"),
        ("ACTIVE", "suspend", 200, "", "SUSPENDED"),
        ("STAGED", "suspend", 400, "E0000001", "STAGED"),
        ("PROVISIONED", "suspend", 400, "E0000001", "PROVISIONED"),
        ("SUSPENDED", "unsuspend", 200, "", "ACTIVE"),
        ("ACTIVE", "unsuspend", 400, "E0000001", "ACTIVE"),
        ("ACTIVE", "deactivate", 200, "", "DEPROVISIONED"),
        ("SUSPENDED", "deactivate", 200, "", "DEPROVISIONED"),
        ("STAGED", "deactivate", 200, "", "DEPROVISIONED"),
        ("LOCKED_OUT", "unlock", 200, "", "ACTIVE"),
        ("ACTIVE", "unlock", 403, "E0000032", "ACTIVE"),
        ("ACTIVE", "reset_password", 200, "", "RECOVERY"),
        ("LOCKED_OUT", "reset_password", 200, "", "RECOVERY"),
        ("STAGED", "reset_password", 403, "E0000017", "STAGED"),
        ("SUSPENDED", "reset_password", 403, "E0000017", "SUSPENDED"),
        ("ACTIVE", "expire_password", 200, "", "PASSWORD_EXPIRED"),
        ("STAGED", "expire_password", 403, "E0000038", "STAGED"),
        ("ACTIVE", "reset_factors", 200, "", "ACTIVE"),
        (
            "DEPROVISIONED",
            "reset_factors",
            403,
            "E0000038",
            "DEPROVISIONED",
        ),
    ];
    for (n, (from, op, http, code, to)) in table.iter().enumerate() {
        let id = user_in(&sim, from, n).await;
        let r = sim
            .post(&format!("/api/v1/users/{id}/lifecycle/{op}"), json!({}))
            .await;
        let st = r.status().as_u16();
        let text = r.text().await.unwrap();
        assert_eq!(st, *http, "{from} --{op}--> {text}");
        if !code.is_empty() {
            let b: Value = serde_json::from_str(&text).unwrap();
            assert_eq!(b["errorCode"], *code, "{from} --{op}");
        }
        let u = sim.get_json(&format!("/api/v1/users/{id}")).await;
        assert_eq!(u["status"], *to, "{from} --{op}--> status");
    }
}

#[tokio::test]
async fn activation_tokens_and_links() {
    let sim = start_default().await;
    let u = sim
        .create_user("tok@example.com", "T", "K", "?activate=false", None)
        .await;
    assert!(
        u["_links"]["activate"]["href"]
            .as_str()
            .unwrap()
            .ends_with("/lifecycle/activate")
    );
    let id = u["id"].as_str().unwrap();
    let r = sim
        .post(
            &format!("/api/v1/users/{id}/lifecycle/activate?sendEmail=false"),
            json!({}),
        )
        .await;
    let v: Value = r.json().await.unwrap();
    assert!(
        v["activationToken"].as_str().is_some_and(|t| !t.is_empty()),
        "{v}"
    );
    assert!(
        v["activationUrl"]
            .as_str()
            .unwrap()
            .starts_with(sim.handle.url())
    );
    let r = sim
        .post(
            &format!("/api/v1/users/{id}/lifecycle/reset_password?sendEmail=false"),
            json!({}),
        )
        .await;
    assert_eq!(r.status(), 403, "PROVISIONED cannot reset password");
    // With a password, activation goes straight to ACTIVE and links offer suspend.
    let u = sim
        .create_user(
            "pw@example.com",
            "P",
            "W",
            "?activate=false",
            Some("Passw0rd!x"),
        )
        .await;
    let id = u["id"].as_str().unwrap();
    sim.post(&format!("/api/v1/users/{id}/lifecycle/activate"), json!({}))
        .await;
    let u = sim.get_json(&format!("/api/v1/users/{id}")).await;
    assert_eq!(u["status"], "ACTIVE");
    assert!(u["_links"]["suspend"].is_object());
    let r = sim
        .post(
            &format!("/api/v1/users/{id}/lifecycle/reset_password?sendEmail=false"),
            json!({}),
        )
        .await;
    let v: Value = r.json().await.unwrap();
    assert!(v["resetPasswordUrl"].is_string(), "{v}");
    // Operations without a payload answer 200 with `{}` as JSON (SDKs parse every application/json body).
    let r = sim
        .post(
            &format!("/api/v1/users/{id}/lifecycle/deactivate"),
            json!({}),
        )
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(header(&r, "content-type").unwrap(), "application/json");
    assert_eq!(r.text().await.unwrap(), "{}");
}

#[tokio::test]
async fn sessions_and_factors() {
    let sim = start_default().await;
    let u = sim
        .create_user("f@example.com", "F", "A", "", Some("Passw0rd!x"))
        .await;
    let id = u["id"].as_str().unwrap();
    assert_eq!(
        sim.delete(&format!("/api/v1/users/{id}/sessions"))
            .await
            .status(),
        204
    );
    assert_eq!(
        sim.get_json(&format!("/api/v1/users/{id}/factors")).await,
        json!([])
    );
    let r = sim.post(&format!("/api/v1/users/{id}/factors"), json!({"factorType": "sms", "provider": "OKTA", "profile": {"phoneNumber": "+15555550100"}})).await;
    assert_eq!(r.status(), 200);
    assert_eq!(
        sim.get_json(&format!("/api/v1/users/{id}/factors"))
            .await
            .as_array()
            .unwrap()
            .len(),
        1
    );
    sim.post(
        &format!("/api/v1/users/{id}/lifecycle/reset_factors"),
        json!({}),
    )
    .await;
    assert_eq!(
        sim.get_json(&format!("/api/v1/users/{id}/factors")).await,
        json!([])
    );
    let r = sim.get("/api/v1/users/00unobody/factors").await;
    assert_okta_error(r, 404, "E0000007").await;
}
