//! What a real org does that a held-out admin tour met: literal paths over parameters, list filters, resources
//! keyed by name, factor enrolment and activation, statuses on create, Okta's shapes, server-owned fields that
//! survive a PUT, day-one data, sessions, lists where the spec says list.

use crate::common::*;
use reqwest::Method;
use serde_json::{Value, json};

async fn status_and_json(r: reqwest::Response) -> (u16, Value) {
    let st = r.status().as_u16();
    let text = r.text().await.unwrap();
    (st, serde_json::from_str(&text).unwrap_or(Value::Null))
}

#[tokio::test]
async fn literal_segments_win_over_parameters() {
    let sim = start_default().await;
    let rules = sim.get_json("/api/v1/groups/rules").await;
    assert!(rules.is_array(), "{rules}");
    let r = sim
        .post(
            "/api/v1/groups/rules",
            json!({"type": "group_rule", "name": "Engineers", "conditions": {"expression": {"value": "user.department==\"Engineering\"", "type": "urn:okta:expression:1.0"}}, "actions": {"assignUserToGroups": {"groupIds": []}}}),
        )
        .await;
    let (st, rule) = status_and_json(r).await;
    assert_eq!(st, 200, "{rule}");
    // A new group rule is INACTIVE until activated.
    assert_eq!(rule["status"], "INACTIVE");
    assert_eq!(rule["type"], "group_rule");
    let id = rule["id"].as_str().unwrap();
    assert_eq!(
        sim.get_json(&format!("/api/v1/groups/rules/{id}")).await["name"],
        "Engineers"
    );
    let r = sim
        .post(
            &format!("/api/v1/groups/rules/{id}/lifecycle/activate"),
            json!({}),
        )
        .await;
    assert_eq!(r.status(), 204);
    assert_eq!(
        sim.get_json(&format!("/api/v1/groups/rules/{id}")).await["status"],
        "ACTIVE"
    );
    assert_eq!(
        sim.get_json("/api/v1/groups/rules")
            .await
            .as_array()
            .unwrap()
            .len(),
        1
    );
    // Literal siblings of a parameter answer their own operation.
    let keys = sim.get_json("/api/v1/idps/credentials/keys").await;
    assert!(keys.as_array().is_some_and(|k| !k.is_empty()), "{keys}");
    let catalog = sim
        .get_json("/api/v1/meta/schemas/user/linkedObjects")
        .await;
    assert!(catalog.is_array());
}

#[tokio::test]
async fn policies_filter_by_type_and_take_okta_shape() {
    let sim = start_default().await;
    let sign_on = sim.get_json("/api/v1/policies?type=OKTA_SIGN_ON").await;
    let sign_on = sign_on.as_array().unwrap();
    assert_eq!(sign_on.len(), 1, "{sign_on:?}");
    assert_eq!(sign_on[0]["system"], true);
    assert_eq!(sign_on[0]["name"], "Default Policy");
    let passwords = sim.get_json("/api/v1/policies?type=PASSWORD").await;
    assert!(
        passwords
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["type"] == "PASSWORD")
    );
    let r = sim
        .post(
            "/api/v1/policies",
            json!({"type": "OKTA_SIGN_ON", "name": "Contractors", "conditions": {"people": {"groups": {"include": []}}}}),
        )
        .await;
    let (st, p) = status_and_json(r).await;
    assert_eq!(st, 200, "{p}");
    assert_eq!(
        (
            p["status"].as_str(),
            p["system"].as_bool(),
            p["priority"].as_i64()
        ),
        (Some("ACTIVE"), Some(false), Some(2))
    );
    assert!(
        p["_links"]["deactivate"]["href"]
            .as_str()
            .unwrap()
            .ends_with("/lifecycle/deactivate")
    );
    let pid = p["id"].as_str().unwrap().to_string();
    // activate=false creates it INACTIVE.
    let r = sim
        .post(
            "/api/v1/policies?activate=false",
            json!({"type": "PASSWORD", "name": "Later"}),
        )
        .await;
    assert_eq!(status_and_json(r).await.1["status"], "INACTIVE");
    // A missing type is a validation error.
    assert_okta_error(
        sim.post("/api/v1/policies", json!({"name": "x"})).await,
        400,
        "E0000001",
    )
    .await;
    assert_eq!(
        sim.get_json("/api/v1/policies?type=OKTA_SIGN_ON")
            .await
            .as_array()
            .unwrap()
            .len(),
        2
    );
    // Rules take the policy's rule type, a priority, system false, actions.
    let r = sim
        .post(&format!("/api/v1/policies/{pid}/rules"), json!({"name": "Require MFA", "actions": {"signon": {"access": "ALLOW", "requireFactor": true}}}))
        .await;
    let (st, rule) = status_and_json(r).await;
    assert_eq!(st, 200, "{rule}");
    assert_eq!(
        (
            rule["type"].as_str(),
            rule["priority"].as_i64(),
            rule["system"].as_bool(),
            rule["status"].as_str()
        ),
        (Some("SIGN_ON"), Some(1), Some(false), Some("ACTIVE"))
    );
    let r = sim
        .post(
            &format!("/api/v1/policies/{pid}/lifecycle/deactivate"),
            json!({}),
        )
        .await;
    assert_eq!(r.status(), 204);
    let got = sim.get_json(&format!("/api/v1/policies/{pid}")).await;
    assert_eq!(got["status"], "INACTIVE");
    assert!(
        got["_links"]["activate"].is_object() && got["_links"].get("deactivate").is_none(),
        "{got}"
    );
    // q narrows by name.
    let hits = sim
        .get_json("/api/v1/policies?type=OKTA_SIGN_ON&q=contr")
        .await;
    assert_eq!(hits.as_array().unwrap().len(), 1);
    // Rules of an unknown policy: 404.
    assert_okta_error(
        sim.post("/api/v1/policies/00pnope/rules", json!({"name": "r"}))
            .await,
        404,
        "E0000007",
    )
    .await;
}

#[tokio::test]
async fn inline_hooks_filter_by_type() {
    let sim = start_default().await;
    for (name, ty) in [
        ("import", "com.okta.import.transform"),
        ("token", "com.okta.oauth2.tokens.transform"),
        ("token2", "com.okta.oauth2.tokens.transform"),
    ] {
        let r = sim
            .post("/api/v1/inlineHooks", json!({"name": name, "type": ty, "version": "1.0.0", "channel": {"type": "HTTP", "version": "1.0.0", "config": {"uri": "https://hooks.example.com/x", "method": "POST"}}}))
            .await;
        assert_eq!(r.status(), 200);
    }
    let tokens = sim
        .get_json("/api/v1/inlineHooks?type=com.okta.oauth2.tokens.transform")
        .await;
    assert_eq!(tokens.as_array().unwrap().len(), 2, "{tokens}");
    assert_eq!(
        sim.get_json("/api/v1/inlineHooks")
            .await
            .as_array()
            .unwrap()
            .len(),
        3
    );
    // A malformed filter expression is an Okta 400.
    assert_eq!(sim.get("/api/v1/zones?filter=(((").await.status(), 400);
}

#[tokio::test]
async fn linked_object_definitions_by_name() {
    let sim = start_seeded(3).await;
    let r = sim
        .post(
            "/api/v1/meta/schemas/user/linkedObjects",
            json!({"primary": {"name": "manager", "title": "Manager", "type": "USER"}, "associated": {"name": "subordinate", "title": "Subordinate", "type": "USER"}}),
        )
        .await;
    assert_eq!(r.status(), 201);
    for name in ["manager", "subordinate"] {
        let d = sim
            .get_json(&format!("/api/v1/meta/schemas/user/linkedObjects/{name}"))
            .await;
        assert_eq!(d["primary"]["name"], "manager", "{d}");
    }
    // Values: an employee's manager, and the manager's subordinates.
    let users = sim.get_json("/api/v1/users?limit=3").await;
    let id = |i: usize| users[i]["id"].as_str().unwrap().to_string();
    let (boss, a, b) = (id(0), id(1), id(2));
    for e in [&a, &b] {
        let r = sim
            .put(
                &format!("/api/v1/users/{e}/linkedObjects/manager/{boss}"),
                json!({}),
            )
            .await;
        assert_eq!(r.status(), 204);
    }
    let mgr = sim
        .get_json(&format!("/api/v1/users/{a}/linkedObjects/manager"))
        .await;
    assert!(
        mgr[0]["_links"]["self"]["href"]
            .as_str()
            .unwrap()
            .ends_with(&boss),
        "{mgr}"
    );
    let subs = sim
        .get_json(&format!("/api/v1/users/{boss}/linkedObjects/subordinate"))
        .await;
    assert_eq!(subs.as_array().unwrap().len(), 2);
    assert_eq!(
        sim.delete(&format!("/api/v1/users/{a}/linkedObjects/manager"))
            .await
            .status(),
        204
    );
    assert_eq!(
        sim.get_json(&format!("/api/v1/users/{boss}/linkedObjects/subordinate"))
            .await
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_okta_error(
        sim.get(&format!("/api/v1/users/{a}/linkedObjects/nope"))
            .await,
        404,
        "E0000007",
    )
    .await;
    // The token's owner.
    let me = sim.get_json("/api/v1/users/me").await;
    assert_eq!(me["status"], "ACTIVE");
    assert_eq!(
        sim.delete("/api/v1/meta/schemas/user/linkedObjects/manager")
            .await
            .status(),
        204
    );
    assert_okta_error(
        sim.get("/api/v1/meta/schemas/user/linkedObjects/manager")
            .await,
        404,
        "E0000007",
    )
    .await;
}

#[tokio::test]
async fn factors_enrol_pending_and_activate_with_a_code() {
    let sim = start_seeded(1).await;
    let uid = sim.get_json("/api/v1/users?limit=1").await[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let catalog = sim
        .get_json(&format!("/api/v1/users/{uid}/factors/catalog"))
        .await;
    let types: Vec<&str> = catalog
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["factorType"].as_str().unwrap())
        .collect();
    for t in [
        "sms",
        "call",
        "email",
        "push",
        "question",
        "token:software:totp",
    ] {
        assert!(types.contains(&t), "{t} in {types:?}");
    }
    assert!(
        catalog
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["status"] == "NOT_SETUP")
    );
    let r = sim
        .post(&format!("/api/v1/users/{uid}/factors"), json!({"factorType": "sms", "provider": "OKTA", "profile": {"phoneNumber": "+1-555-415-1337"}}))
        .await;
    let (st, sms) = status_and_json(r).await;
    assert_eq!(st, 200, "{sms}");
    assert_eq!(sms["status"], "PENDING_ACTIVATION");
    assert_eq!(
        sms["_links"]["activate"]["href"]
            .as_str()
            .map(|h| h.ends_with("/lifecycle/activate")),
        Some(true),
        "{sms}"
    );
    let fid = sms["id"].as_str().unwrap();
    let r = sim
        .post(
            &format!("/api/v1/users/{uid}/factors/{fid}/lifecycle/activate"),
            json!({}),
        )
        .await;
    assert_okta_error(r, 403, "E0000068").await;
    assert_eq!(
        sim.get_json(&format!("/api/v1/users/{uid}/factors/{fid}"))
            .await["status"],
        "PENDING_ACTIVATION"
    );
    let r = sim
        .post(
            &format!("/api/v1/users/{uid}/factors/{fid}/lifecycle/activate"),
            json!({"passCode": "123456"}),
        )
        .await;
    let (st, active) = status_and_json(r).await;
    assert_eq!(
        (st, active["status"].as_str()),
        (200, Some("ACTIVE")),
        "{active}"
    );
    let r = sim
        .post(&format!("/api/v1/users/{uid}/factors"), json!({"factorType": "question", "provider": "OKTA", "profile": {"question": "disliked_food", "answer": "mayonnaise"}}))
        .await;
    assert_eq!(status_and_json(r).await.1["status"], "ACTIVE");
    // Verification: a code is needed.
    let r = sim
        .post(
            &format!("/api/v1/users/{uid}/factors/{fid}/verify"),
            json!({}),
        )
        .await;
    assert_okta_error(r, 403, "E0000068").await;
    let r = sim
        .post(
            &format!("/api/v1/users/{uid}/factors/{fid}/verify"),
            json!({"passCode": "654321"}),
        )
        .await;
    assert_eq!(status_and_json(r).await.1["factorResult"], "SUCCESS");
    let catalog = sim
        .get_json(&format!("/api/v1/users/{uid}/factors/catalog"))
        .await;
    let sms = catalog
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["factorType"] == "sms")
        .unwrap()
        .clone();
    assert_eq!(sms["status"], "ACTIVE");
    assert!(
        sim.get_json(&format!("/api/v1/users/{uid}/factors/questions"))
            .await
            .as_array()
            .unwrap()
            .len()
            > 3
    );
    assert_eq!(
        sim.get_json(&format!("/api/v1/users/{uid}/factors"))
            .await
            .as_array()
            .unwrap()
            .len(),
        2
    );
}

#[tokio::test]
async fn put_keeps_server_owned_fields() {
    let sim = start_default().await;
    let r = sim
        .post("/api/v1/zones", json!({"type": "IP", "name": "office", "gateways": [{"type": "CIDR", "value": "10.0.0.0/8"}]}))
        .await;
    let z = status_and_json(r).await.1;
    let id = z["id"].as_str().unwrap();
    assert_eq!(z["status"], "ACTIVE");
    let r = sim
        .put(
            &format!("/api/v1/zones/{id}"),
            json!({"type": "IP", "name": "office 2", "gateways": []}),
        )
        .await;
    let (st, after) = status_and_json(r).await;
    assert_eq!(st, 200, "{after}");
    assert_eq!(
        (
            after["id"].as_str(),
            after["status"].as_str(),
            after["name"].as_str()
        ),
        (Some(id), Some("ACTIVE"), Some("office 2"))
    );
    assert_eq!(after["created"], z["created"]);
    assert!(after["lastUpdated"].as_str() >= z["lastUpdated"].as_str());
    assert!(
        after["_links"]["self"]["href"]
            .as_str()
            .unwrap()
            .ends_with(id)
    );
    assert_eq!(after["system"], false);
}

#[tokio::test]
async fn day_one_org_data() {
    let sim = start_default().await;
    let org = sim.get_json("/api/v1/org").await;
    for f in [
        "id",
        "subdomain",
        "companyName",
        "status",
        "website",
        "created",
        "lastUpdated",
    ] {
        assert!(org[f].is_string(), "{f}: {org}");
    }
    assert_eq!(
        sim.get_json("/api/v1/org/preferences").await["showEndUserFooter"],
        true
    );
    assert_eq!(
        sim.get_json("/api/v1/org/privacy/oktaCommunication").await["optOutEmailUsers"],
        false
    );
    assert_eq!(
        sim.get_json("/api/v1/org/privacy/oktaSupport").await["support"],
        "DISABLED"
    );
    let contacts = sim.get_json("/api/v1/org/contacts").await;
    assert_eq!(contacts.as_array().unwrap().len(), 2);
    // Okta Support: grant answers 301 to the settings, which now say ENABLED.
    let no_redirects = reqwest::Client::builder()
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let r = no_redirects
        .post(sim.url("/api/v1/org/privacy/oktaSupport/grant"))
        .header("Authorization", format!("SSWS {}", sim.handle.token()))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 301);
    assert!(
        header(&r, "location")
            .unwrap()
            .ends_with("/api/v1/org/privacy/oktaSupport")
    );
    assert_eq!(
        sim.get_json("/api/v1/org/privacy/oktaSupport").await["support"],
        "ENABLED"
    );
    // Schemas: base properties, and a custom property added by POST.
    let us = sim.get_json("/api/v1/meta/schemas/user/default").await;
    assert_eq!(
        us["definitions"]["base"]["properties"]["login"]["type"],
        "string"
    );
    let r = sim
        .post("/api/v1/meta/schemas/user/default", json!({"definitions": {"custom": {"id": "#custom", "type": "object", "properties": {"costCode": {"title": "Cost code", "type": "string"}}}}}))
        .await;
    let (st, us) = status_and_json(r).await;
    assert_eq!(st, 200, "{us}");
    assert_eq!(
        us["definitions"]["custom"]["properties"]["costCode"]["type"],
        "string"
    );
    assert_eq!(
        us["definitions"]["base"]["properties"]["email"]["format"], "email",
        "base survives"
    );
    let gs = sim.get_json("/api/v1/meta/schemas/group/default").await;
    assert!(
        gs["definitions"]["base"]["properties"]["name"].is_object(),
        "{gs}"
    );
    let r = sim
        .post("/api/v1/meta/schemas/group/default", json!({"definitions": {"custom": {"properties": {"site": {"title": "Site", "type": "string"}}}}}))
        .await;
    let gs = status_and_json(r).await.1;
    assert!(
        gs["definitions"]["custom"]["properties"]["site"].is_object()
            && gs["definitions"]["base"]["properties"]["name"].is_object(),
        "{gs}"
    );
    // Brand, theme, email templates.
    let brands = sim.get_json("/api/v1/brands").await;
    let brand = brands[0]["id"].as_str().unwrap().to_string();
    assert_eq!(brands[0]["isDefault"], true);
    assert_eq!(
        sim.get_json(&format!("/api/v1/brands/{brand}/themes"))
            .await
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let (templates, _) = sim
        .collect_all(&format!("/api/v1/brands/{brand}/templates/email"))
        .await;
    assert!(
        templates.iter().any(|t| t["name"] == "UserActivation"),
        "{templates:?}"
    );
    assert_eq!(
        sim.get_json(&format!(
            "/api/v1/brands/{brand}/templates/email/ForgotPassword"
        ))
        .await["name"],
        "ForgotPassword"
    );
    assert!(
        !sim.get_json("/api/v1/features")
            .await
            .as_array()
            .unwrap()
            .is_empty()
    );
    // The default authorization server, its issuer, keys, scopes; key rotation answers a list.
    let servers = sim.get_json("/api/v1/authorizationServers").await;
    let default = servers
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "default")
        .unwrap()
        .clone();
    assert_eq!(
        default["issuer"],
        format!("{}/oauth2/default", sim.handle.url())
    );
    let sid = default["id"].as_str().unwrap();
    let keys = sim
        .get_json(&format!(
            "/api/v1/authorizationServers/{sid}/credentials/keys"
        ))
        .await;
    assert_eq!(keys[0]["status"], "ACTIVE");
    let scopes = sim
        .get_json(&format!("/api/v1/authorizationServers/{sid}/scopes"))
        .await;
    assert!(
        scopes
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["name"] == "openid" && s["system"] == true)
    );
    let r = sim
        .post(
            &format!("/api/v1/authorizationServers/{sid}/credentials/lifecycle/keyRotate"),
            json!({"use": "sig"}),
        )
        .await;
    let (st, rotated) = status_and_json(r).await;
    assert_eq!(st, 200, "{rotated}");
    let rotated = rotated.as_array().expect("keyRotate answers a list");
    assert_eq!(rotated.len(), 2);
    assert_eq!(
        rotated.iter().filter(|k| k["status"] == "ACTIVE").count(),
        1
    );
    // Domains answer {"domains": [...]}.
    let domains = sim.get_json("/api/v1/domains").await;
    assert!(domains["domains"].is_array(), "{domains}");
    let r = sim
        .post(
            "/api/v1/domains",
            json!({"domain": "login.example.com", "certificateSourceType": "OKTA_MANAGED"}),
        )
        .await;
    assert!(r.status().is_success(), "{}", r.status());
    assert_eq!(
        sim.get_json("/api/v1/domains").await["domains"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    // Authenticators every org has, their methods addressed by type.
    let auths = sim.get_json("/api/v1/authenticators").await;
    let email = auths
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["key"] == "okta_email")
        .unwrap()
        .clone();
    let aid = email["id"].as_str().unwrap();
    assert_eq!(
        sim.get_json(&format!("/api/v1/authenticators/{aid}/methods/email"))
            .await["status"],
        "ACTIVE"
    );
    let phone = auths
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["key"] == "phone_number")
        .unwrap()
        .clone();
    let pid = phone["id"].as_str().unwrap();
    assert_eq!(phone["status"], "INACTIVE");
    let r = sim
        .post(
            &format!("/api/v1/authenticators/{pid}/lifecycle/activate"),
            json!({}),
        )
        .await;
    assert_eq!(status_and_json(r).await.1["status"], "ACTIVE");
    // The Everyone group.
    let everyone = sim.get_json("/api/v1/groups?q=Everyone").await;
    assert_eq!(everyone[0]["type"], "BUILT_IN");
}

#[tokio::test]
async fn authorization_server_create_and_associations() {
    let sim = start_default().await;
    let r = sim
        .post(
            "/api/v1/authorizationServers",
            json!({"name": "Orders API", "audiences": ["api://orders"]}),
        )
        .await;
    let (st, s) = status_and_json(r).await;
    assert_eq!(st, 201, "{s}");
    let id = s["id"].as_str().unwrap().to_string();
    assert_eq!(s["status"], "ACTIVE");
    assert!(
        s["issuer"]
            .as_str()
            .unwrap()
            .ends_with(&format!("/oauth2/{id}"))
    );
    assert!(s["credentials"]["signing"]["kid"].is_string());
    assert_eq!(
        sim.get_json(&format!(
            "/api/v1/authorizationServers/{id}/credentials/keys"
        ))
        .await
        .as_array()
        .unwrap()
        .len(),
        1
    );
    let r = sim
        .post(
            &format!("/api/v1/authorizationServers/{id}/scopes"),
            json!({"name": "orders:read"}),
        )
        .await;
    let scope = status_and_json(r).await.1;
    assert_eq!(
        (scope["system"].as_bool(), scope["consent"].as_str()),
        (Some(false), Some("IMPLICIT"))
    );
    let r = sim
        .post(
            &format!("/api/v1/authorizationServers/{id}/policies"),
            json!({"name": "Default", "conditions": {"clients": {"include": ["ALL_CLIENTS"]}}}),
        )
        .await;
    let policy = status_and_json(r).await.1;
    assert_eq!(
        (policy["type"].as_str(), policy["priority"].as_i64()),
        (Some("OAUTH_AUTHORIZATION_POLICY"), Some(1))
    );
    let pid = policy["id"].as_str().unwrap();
    let r = sim
        .post(
            &format!("/api/v1/authorizationServers/{id}/policies/{pid}/rules"),
            json!({"name": "All"}),
        )
        .await;
    // The request schema requires conditions, name and type: the first missing one is named.
    let e = assert_okta_error(r, 400, "E0000001").await;
    assert_eq!(e["errorSummary"], "Api validation failed: conditions");
    let r = sim
        .post(
            &format!("/api/v1/authorizationServers/{id}/policies/{pid}/rules"),
            json!({"name": "All", "type": "RESOURCE_ACCESS", "conditions": {"grantTypes": {"include": ["client_credentials"]}, "scopes": {"include": ["*"]}}}),
        )
        .await;
    let rule = status_and_json(r).await.1;
    assert_eq!(
        (
            rule["type"].as_str(),
            rule["priority"].as_i64(),
            rule["system"].as_bool()
        ),
        (Some("RESOURCE_ACCESS"), Some(1), Some(false))
    );
    // Associations answer lists of servers.
    let other = sim.get_json("/api/v1/authorizationServers").await[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = sim
        .post(
            &format!("/api/v1/authorizationServers/{id}/associatedServers"),
            json!({"trusted": [other]}),
        )
        .await;
    let (st, assoc) = status_and_json(r).await;
    assert_eq!(st, 200, "{assoc}");
    assert_eq!(assoc.as_array().expect("a list")[0]["id"], other.as_str());
    let listed = sim
        .get_json(&format!(
            "/api/v1/authorizationServers/{id}/associatedServers?trusted=true"
        ))
        .await;
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert_eq!(
        sim.delete(&format!(
            "/api/v1/authorizationServers/{id}/associatedServers/{other}"
        ))
        .await
        .status(),
        204
    );
    assert!(
        sim.get_json(&format!(
            "/api/v1/authorizationServers/{id}/associatedServers?trusted=true"
        ))
        .await
        .as_array()
        .unwrap()
        .is_empty()
    );
}

#[tokio::test]
async fn identity_providers_take_okta_shape() {
    let sim = start_default().await;
    assert_okta_error(
        sim.post("/api/v1/idps", json!({"name": "x"})).await,
        400,
        "E0000001",
    )
    .await;
    let r = sim
        .post("/api/v1/idps", json!({"type": "OIDC", "name": "Partner", "protocol": {"type": "OIDC", "scopes": ["openid"]}}))
        .await;
    let (st, idp) = status_and_json(r).await;
    assert_eq!(st, 200, "{idp}");
    assert_eq!(
        (idp["status"].as_str(), idp["issuerMode"].as_str()),
        (Some("ACTIVE"), Some("ORG_URL"))
    );
    assert_eq!(idp["policy"]["provisioning"]["action"], "AUTO");
    let id = idp["id"].as_str().unwrap();
    assert!(idp["_links"]["deactivate"].is_object(), "{idp}");
    let listed = sim.get_json("/api/v1/idps?type=OIDC").await;
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert!(
        sim.get_json("/api/v1/idps?type=SAML2")
            .await
            .as_array()
            .unwrap()
            .is_empty()
    );
    let r = sim
        .post(
            &format!("/api/v1/idps/{id}/lifecycle/deactivate"),
            json!({}),
        )
        .await;
    assert_eq!(status_and_json(r).await.1["status"], "INACTIVE");
}

#[tokio::test]
async fn sessions_roles_and_lists() {
    let sim = start_seeded(1).await;
    let uid = sim.get_json("/api/v1/users?limit=1").await[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_okta_error(
        sim.post("/api/v1/sessions", json!({})).await,
        400,
        "E0000001",
    )
    .await;
    let r = sim
        .post(
            "/api/v1/sessions",
            json!({"sessionToken": "20111h0ZlxqyZdvN3w5z5oBMzNNalPYCxN0nqgHyYqCkEiL4xlZmZuMg"}),
        )
        .await;
    let (st, s) = status_and_json(r).await;
    assert_eq!(st, 200, "{s}");
    assert_eq!(s["status"], "ACTIVE");
    let sid = s["id"].as_str().unwrap();
    assert_eq!(
        sim.get_json(&format!("/api/v1/sessions/{sid}")).await["id"],
        sid
    );
    let r = sim
        .post(
            &format!("/api/v1/sessions/{sid}/lifecycle/refresh"),
            json!({}),
        )
        .await;
    let refreshed = status_and_json(r).await.1;
    assert!(
        refreshed["expiresAt"].as_str() >= s["expiresAt"].as_str(),
        "{refreshed}"
    );
    assert_eq!(
        sim.delete(&format!("/api/v1/sessions/{sid}"))
            .await
            .status(),
        204
    );
    // Role assignment: 201, label and assignmentType; listed on the user.
    let r = sim
        .post(
            &format!("/api/v1/users/{uid}/roles"),
            json!({"type": "HELP_DESK_ADMIN"}),
        )
        .await;
    let (st, role) = status_and_json(r).await;
    assert_eq!(st, 201, "{role}");
    assert_eq!(
        (
            role["label"].as_str(),
            role["assignmentType"].as_str(),
            role["status"].as_str()
        ),
        (
            Some("Help Desk Administrator"),
            Some("USER"),
            Some("ACTIVE")
        )
    );
    let roles = sim.get_json(&format!("/api/v1/users/{uid}/roles")).await;
    assert_eq!(roles[0]["type"], "HELP_DESK_ADMIN");
    assert_okta_error(
        sim.post(&format!("/api/v1/users/{uid}/roles"), json!({}))
            .await,
        400,
        "E0000001",
    )
    .await;
    // An app's action links include its logo.
    let app = sim.get_json("/api/v1/apps?limit=1").await;
    assert!(app[0]["_links"]["logo"].is_array(), "{}", app[0]["_links"]);
    // Lifecycle of a single object: the app's provisioning connection.
    let app_id = app[0]["id"].as_str().unwrap();
    let r = sim
        .post(
            &format!("/api/v1/apps/{app_id}/connections/default/lifecycle/activate"),
            json!({}),
        )
        .await;
    assert!(r.status().is_success(), "{}", r.status());
    assert_eq!(
        sim.get_json(&format!("/api/v1/apps/{app_id}/connections/default"))
            .await["status"],
        "ACTIVE"
    );
    // Lifecycle on a missing member is a 404, not a fabricated answer.
    assert_okta_error(
        sim.call(
            Method::POST,
            "/api/v1/zones/nzonope/lifecycle/activate",
            None,
        )
        .await,
        404,
        "E0000007",
    )
    .await;
}
