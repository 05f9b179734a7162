//! search / filter / q over HTTP, and Okta-shaped 400s for unsupported expressions.


use crate::common::*;
use serde_json::Value;

fn enc(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

async fn logins(sim: &Sim, query: &str) -> Vec<String> {
    let v = sim.get_json(&format!("/api/v1/users?{query}")).await;
    v.as_array()
        .unwrap()
        .iter()
        .map(|u| u["profile"]["login"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn user_search_filter_q() {
    let sim = start_default().await;
    sim.create_user("ada@example.com", "Ada", "Lovelace", "", Some("Passw0rd!x"))
        .await;
    sim.create_user("alan@example.com", "Alan", "Turing", "", None)
        .await;
    sim.create_user(
        "grace@example.org",
        "Grace",
        "Hopper",
        "?activate=false",
        None,
    )
    .await;
    let cases: &[(&str, &str, &[&str])] = &[
        (
            "search",
            r#"profile.firstName eq "Ada""#,
            &["ada@example.com"],
        ),
        (
            "search",
            r#"profile.firstName sw "A""#,
            &["ada@example.com", "alan@example.com"],
        ),
        (
            "search",
            r#"profile.lastName co "opp""#,
            &["grace@example.org"],
        ),
        (
            "search",
            r#"status eq "STAGED" or status eq "ACTIVE""#,
            &["ada@example.com", "grace@example.org"],
        ),
        (
            "search",
            r#"(status eq "STAGED" or status eq "ACTIVE") and profile.email sw "grace""#,
            &["grace@example.org"],
        ),
        (
            "search",
            r#"profile.login ne "ada@example.com" and status ne "STAGED""#,
            &["alan@example.com"],
        ),
        (
            "search",
            r#"created gt "2000-01-01T00:00:00.000Z""#,
            &["ada@example.com", "alan@example.com", "grace@example.org"],
        ),
        ("search", r#"created lt "2000-01-01T00:00:00.000Z""#, &[]),
        ("search", r#"credentials.password pr"#, &["ada@example.com"]),
        (
            "filter",
            r#"status eq "PROVISIONED""#,
            &["alan@example.com"],
        ),
        (
            "filter",
            r#"profile.login eq "grace@example.org""#,
            &["grace@example.org"],
        ),
        (
            "filter",
            r#"lastUpdated gt "2000-01-01T00:00:00.000Z" and status eq "ACTIVE""#,
            &["ada@example.com"],
        ),
        ("q", "al", &["alan@example.com"]),
        ("q", "hop", &["grace@example.org"]),
    ];
    for (param, expr, want) in cases {
        let got = logins(&sim, &format!("{param}={}", enc(expr))).await;
        assert_eq!(got, *want, "{param}={expr}");
    }
}

#[tokio::test]
async fn bad_expressions_are_400() {
    let sim = start_default().await;
    let bad: &[(&str, &str)] = &[
        ("search", r#"profile.firstName eq Ada"#),
        ("search", r#"profile.firstName equals "Ada""#),
        ("search", r#"(status eq "ACTIVE""#),
        ("search", r#"profile.department co "Eng""#),
        ("filter", r#"status sw "ACT""#),
        ("filter", r#"profile.department eq "x""#),
        ("filter", r#"status eq "ACTIVE" and"#),
    ];
    for (param, expr) in bad {
        let r = sim
            .get(&format!("/api/v1/users?{param}={}", enc(expr)))
            .await;
        let b = assert_okta_error(r, 400, "E0000031").await;
        assert!(
            !b["errorCauses"].as_array().unwrap().is_empty(),
            "{expr}: {b}"
        );
    }
    let r = sim
        .get(&format!(
            "/api/v1/groups?filter={}",
            enc(r#"profile.name eq "x""#)
        ))
        .await;
    assert_okta_error(r, 400, "E0000031").await;
    let r = sim
        .get(&format!(
            "/api/v1/apps?filter={}",
            enc(r#"status eq "ACTIVE" or status eq "INACTIVE""#)
        ))
        .await;
    assert_okta_error(r, 400, "E0000031").await;
}

#[tokio::test]
async fn group_and_app_queries() {
    let sim = start_seeded(30).await;
    let v = sim
        .get_json(&format!(
            "/api/v1/groups?search={}",
            enc(r#"profile.name sw "Eng""#)
        ))
        .await;
    assert_eq!(v.as_array().unwrap().len(), 1);
    assert_eq!(v[0]["profile"]["name"], "Engineering");
    let v = sim
        .get_json(&format!(
            "/api/v1/groups?filter={}",
            enc(r#"type eq "BUILT_IN""#)
        ))
        .await;
    assert_eq!(v[0]["profile"]["name"], "Everyone");
    let v = sim.get_json("/api/v1/groups?q=sa").await;
    assert_eq!(v[0]["profile"]["name"], "Sales");
    let v: Value = sim
        .get_json(&format!(
            "/api/v1/apps?filter={}",
            enc(r#"status eq "ACTIVE""#)
        ))
        .await;
    assert_eq!(v.as_array().unwrap().len(), 3);
    let wiki = sim.get_json("/api/v1/apps?q=Company").await;
    assert_eq!(wiki.as_array().unwrap().len(), 1);
    let eng = sim.get_json("/api/v1/groups?q=Engineering").await[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let v = sim
        .get_json(&format!(
            "/api/v1/apps?filter={}",
            enc(&format!("group.id eq \"{eng}\""))
        ))
        .await;
    assert_eq!(v.as_array().unwrap().len(), 1);
}
