//! Every Management API operation of the route table, called with a body built from its request schema (and its
//! required query parameters), in an order that creates before it reads and deletes last; each successful answer
//! is checked against the facts' response schema for its status (array vs object, required properties, property
//! types, enums). Every mismatch is reported, then the test fails if there is any.

use std::collections::HashMap;

use crate::common::*;
use okta_sim::facts::Facts;
use okta_sim::routes::{RouteTable, Seg};
use okta_sim::schema;
use reqwest::Method;
use serde_json::{Value, json};

fn phase(method: &str, template: &str, table: &RouteTable) -> u8 {
    match method {
        "POST" if table.lists(template) => 0,
        "DELETE" => 2,
        _ => 1,
    }
}

/// The path prefix (in template form) that names the collection a parameter at `i` is a member of.
fn prefix(segs: &[Seg], i: usize) -> String {
    segs[..i]
        .iter()
        .map(|s| match s {
            Seg::Lit(l) => format!("/{l}"),
            Seg::Param(p) => format!("/{{{p}}}"),
        })
        .collect()
}

/// The key a member is addressed by in a template's parameter (an id, or a name for `…Name` parameters).
fn key_of(v: &Value, param: &str) -> Option<String> {
    let by_name = param.to_lowercase().ends_with("name") || param == "contactType";
    let candidates: &[&str] = if by_name {
        &["primary", "name", "contactType", "id"]
    } else if param.ends_with("Type") {
        &["type", "id"]
    } else {
        &["id", "kid", "name"]
    };
    for c in candidates {
        let x = if *c == "primary" {
            &v["primary"]["name"]
        } else {
            &v[*c]
        };
        if let Some(s) = x.as_str() {
            return Some(s.to_string());
        }
    }
    None
}

#[tokio::test]
async fn every_operation_answers_its_response_schema() {
    let sim = start_seeded(3).await;
    let facts = Facts::global();
    // Redirects are answers too (Okta Support grant/revoke answer 301): do not follow them.
    let client = reqwest::Client::builder()
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let table = RouteTable::global();
    let first_id = |v: Value| v[0]["id"].as_str().unwrap().to_string();
    let mut ids: HashMap<String, String> = HashMap::new();
    ids.insert(
        "/api/v1/users".into(),
        first_id(sim.get_json("/api/v1/users?limit=1").await),
    );
    let second_user = sim.get_json("/api/v1/users?limit=2").await[1]["id"]
        .as_str()
        .unwrap()
        .to_string();
    ids.insert(
        "/api/v1/groups".into(),
        first_id(sim.get_json("/api/v1/groups?q=Eng").await),
    );
    ids.insert(
        "/api/v1/apps".into(),
        first_id(sim.get_json("/api/v1/apps?limit=1").await),
    );
    let mut routes: Vec<_> = table.routes.iter().filter(|r| !r.oauth_api).collect();
    routes.sort_by_key(|r| {
        let p = phase(&r.method, &r.template, table);
        let depth = r.segs.len() as i64;
        (p, if p == 2 { -depth } else { depth }, r.template.clone())
    });

    let (mut called, mut checked, mut legacy) = (0, 0, 0);
    let mut mismatches: Vec<String> = Vec::new();
    let mut failures: Vec<String> = Vec::new();
    for r in routes {
        let mut path = String::new();
        for (i, s) in r.segs.iter().enumerate() {
            path.push('/');
            match s {
                Seg::Lit(l) => path.push_str(l),
                Seg::Param(p) => {
                    // Members every org has, addressed by their well-known names.
                    let well_known = match p.as_str() {
                        "schemaId" => Some("default".to_string()),
                        "templateName" => Some("UserActivation".to_string()),
                        "contactType" => Some("BILLING".to_string()),
                        "relationshipName" | "primaryRelationshipName" => {
                            ids.get("/api/v1/meta/schemas/user/linkedObjects").cloned()
                        }
                        "primaryUserId" => Some(second_user.clone()),
                        "userId" => ids.get("/api/v1/users").cloned(),
                        _ => None,
                    };
                    let v = well_known
                        .or_else(|| ids.get(&prefix(&r.segs, i)).cloned())
                        .unwrap_or_else(|| "sim-id-1".into());
                    path.push_str(&v);
                }
            }
        }
        let op = facts.operation(&r.operation_id);
        let mut query = Vec::new();
        let no_params = Vec::new();
        let params = op
            .and_then(|o| o["queryParams"].as_array())
            .unwrap_or(&no_params);
        for q in params {
            if q["required"] == true {
                let ex = schema::example(q);
                let s = match ex {
                    Value::String(s) => s,
                    Value::Null => "sim".into(),
                    other => other.to_string(),
                };
                // A required filter needs a valid expression, not a placeholder.
                let s = if q["name"] == "filter" {
                    "principalType eq \"SSWS_TOKEN\"".to_string()
                } else {
                    s
                };
                query.push(format!("{}={}", q["name"].as_str().unwrap(), s));
            }
        }
        if !query.is_empty() {
            path = format!("{path}?{}", query.join("&"));
        }
        // Bodies the schema's required properties alone do not make valid for the simulator's modelled rules.
        let body = match r.operation_id.as_str() {
            "createUser" => Some(
                json!({"profile": {"login": "schema.check@example.com", "email": "schema.check@example.com", "firstName": "Schema", "lastName": "Check"}}),
            ),
            "replaceUser" => Some(
                json!({"profile": {"login": "schema.replaced@example.com", "email": "schema.replaced@example.com", "firstName": "Schema", "lastName": "Replaced"}}),
            ),
            "addGroup" => Some(json!({"profile": {"name": "Schema check"}})),
            "replaceGroup" => Some(json!({"profile": {"name": "Schema check, replaced"}})),
            "createLinkedObjectDefinition" => Some(
                json!({"primary": {"name": "manager", "title": "Manager", "type": "USER"}, "associated": {"name": "subordinate", "title": "Subordinate", "type": "USER"}}),
            ),
            "createIdentityProvider" => {
                Some(json!({"type": "OIDC", "name": "Partner IdP", "protocol": {"type": "OIDC"}}))
            }
            "createSession" => Some(json!({"sessionToken": "sim-session-token"})),
            "createEventHook" | "replaceEventHook" => Some(
                json!({"name": "hook", "events": {"type": "EVENT_TYPE", "items": ["user.lifecycle.create"]}, "channel": {"type": "HTTP", "version": "1.0.0", "config": {"uri": "https://127.0.0.1:9/hook"}}}),
            ),
            "assignUserToApplication" => Some(json!({"id": ids["/api/v1/users"].clone()})),
            "updateGroupAssignmentToApplication" => {
                Some(json!([{"op": "replace", "path": "/priority", "value": 1}]))
            }
            "activateFactor" => Some(json!({"passCode": "123456"})),
            // A real public key: the simulator refuses malformed ones.
            "addJwk" => Some(crate::common::jose::TestKey::Ec1.public_jwk_with_kid("schema-check")),
            "changePassword" => Some(
                json!({"oldPassword": {"value": "x"}, "newPassword": {"value": "Sim-Passw0rd!"}}),
            ),
            _ => None,
        };
        let body = body.or_else(|| match r.method.as_str() {
            "POST" | "PUT" | "PATCH" => Some(
                facts
                    .request_schema(&r.operation_id)
                    .map(schema::example)
                    .filter(|b| !b.is_null())
                    .unwrap_or(json!({})),
            ),
            _ => None,
        });
        // Creates get a name: most resources need one, though few schemas mark it required.
        let body = body.map(|mut b| {
            if phase(&r.method, &r.template, table) == 0
                && let Some(o) = b.as_object_mut()
            {
                o.entry("name").or_insert(json!("sim-name"));
            }
            b
        });
        let method = Method::from_bytes(r.method.as_bytes()).unwrap();
        let mut req = client
            .request(method, sim.url(&path))
            .header("Authorization", format!("SSWS {}", sim.handle.token()));
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await.expect("request");
        called += 1;
        let st = resp.status().as_u16();
        let ct = header(&resp, "content-type").unwrap_or_default();
        let text = resp.text().await.unwrap();
        let what = format!("{} {} ({}) → {st}", r.method, r.template, r.operation_id);
        if st >= 400 {
            failures.push(format!(
                "{what}: {}",
                text.chars().take(160).collect::<String>()
            ));
            continue;
        }
        if op.is_none() {
            // A legacy operation the simulator answers beyond the facts: no schema to check it against.
            legacy += 1;
            if r.method == "POST"
                && let Ok(v) = serde_json::from_str::<Value>(&text)
                && let Some(k) = key_of(&v, "id")
            {
                ids.entry(r.template.clone()).or_insert(k);
            }
            continue;
        }
        let allowed = facts.success_statuses(&r.operation_id);
        if !allowed.contains(&st) {
            mismatches.push(format!("{what}: the facts answer {allowed:?}"));
            continue;
        }
        let Some(node) = facts.response_schema(&r.operation_id, st) else {
            continue;
        };
        if !ct.contains("json") {
            mismatches.push(format!(
                "{what}: content-type {ct:?}, the facts give a JSON schema"
            ));
            continue;
        }
        let v: Value = match serde_json::from_str(&text) {
            Ok(v) => v,
            Err(e) => {
                mismatches.push(format!("{what}: not JSON ({e})"));
                continue;
            }
        };
        checked += 1;
        for m in schema::check(&v, node) {
            mismatches.push(format!("{what}: {m}"));
        }
        // Remember what a create (or a list) answered, to address the members that follow.
        let key_param = table
            .routes
            .iter()
            .find(|m| {
                m.segs.len() == r.segs.len() + 1
                    && m.template.starts_with(&format!("{}/{{", r.template))
            })
            .and_then(|m| match m.segs.last() {
                Some(Seg::Param(p)) => Some(p.clone()),
                _ => None,
            });
        if let Some(param) = key_param {
            let item = if v.is_array() {
                v[0].clone()
            } else if r.method == "POST" {
                v.clone()
            } else {
                // A list wrapped in an object (`{"domains": [...]}`).
                v.as_object()
                    .and_then(|o| o.values().find_map(|x| x.as_array()?.first().cloned()))
                    .unwrap_or(Value::Null)
            };
            if let Some(k) = key_of(&item, &param) {
                ids.entry(r.template.clone()).or_insert(k);
            }
        }
    }
    checked += user_lifecycle_sequence(&sim, &mut mismatches).await;
    eprintln!(
        "schema check: {called} operations called ({legacy} legacy, beyond the facts), {checked} answers checked against their schema, {} mismatches, {} non-2xx",
        mismatches.len(),
        failures.len()
    );
    for f in &failures {
        eprintln!("  non-2xx: {f}");
    }
    for m in &mismatches {
        eprintln!("  MISMATCH {m}");
    }
    assert!(checked > 400, "too few answers checked: {checked}");
    assert!(
        mismatches.is_empty(),
        "{} schema mismatches (listed above)",
        mismatches.len()
    );
}

/// The user lifecycle operations, in an order whose every step is allowed (the main pass meets most of them in
/// a status that refuses them): each must succeed and answer its schema. Returns how many answers it checked.
async fn user_lifecycle_sequence(sim: &Sim, mismatches: &mut Vec<String>) -> usize {
    let facts = Facts::global();
    let pw = "Sim-Passw0rd-1";
    let u = sim
        .create_user(
            "lifecycle.seq@example.com",
            "Life",
            "Cycle",
            "?activate=false",
            Some(pw),
        )
        .await;
    let id = u["id"].as_str().unwrap().to_string();
    let steps: Vec<(&str, String, Value)> = vec![
        (
            "activateUser",
            format!("/api/v1/users/{id}/lifecycle/activate?sendEmail=false"),
            json!({}),
        ),
        (
            "suspendUser",
            format!("/api/v1/users/{id}/lifecycle/suspend"),
            json!({}),
        ),
        (
            "unsuspendUser",
            format!("/api/v1/users/{id}/lifecycle/unsuspend"),
            json!({}),
        ),
        (
            "resetFactors",
            format!("/api/v1/users/{id}/lifecycle/reset_factors"),
            json!({}),
        ),
        (
            "changePassword",
            format!("/api/v1/users/{id}/credentials/change_password"),
            json!({"oldPassword": {"value": pw}, "newPassword": {"value": "Sim-Passw0rd-2"}}),
        ),
        (
            "changeRecoveryQuestion",
            format!("/api/v1/users/{id}/credentials/change_recovery_question"),
            json!({"password": {"value": "Sim-Passw0rd-2"}, "recovery_question": {"question": "Favourite colour?", "answer": "blue"}}),
        ),
        (
            "forgotPassword",
            format!("/api/v1/users/{id}/credentials/forgot_password?sendEmail=false"),
            json!({}),
        ),
        (
            "resetPassword",
            format!("/api/v1/users/{id}/lifecycle/reset_password?sendEmail=false"),
            json!({}),
        ),
        (
            "expirePassword",
            format!("/api/v1/users/{id}/lifecycle/expire_password"),
            json!({}),
        ),
        (
            "expirePasswordWithTempPassword",
            format!("/api/v1/users/{id}/lifecycle/expire_password_with_temp_password"),
            json!({}),
        ),
        (
            "unlockUser",
            format!("/api/v1/users/{id}/lifecycle/unlock"),
            json!({}),
        ),
        (
            "deactivateUser",
            format!("/api/v1/users/{id}/lifecycle/deactivate"),
            json!({}),
        ),
        (
            "activateUser",
            format!("/api/v1/users/{id}/lifecycle/activate?sendEmail=false"),
            json!({}),
        ),
    ];
    let mut checked = 0;
    for (op, path, body) in steps {
        if op == "unlockUser" {
            let r = sim
                .client
                .post(sim.url(&format!("/__sim/users/{id}/status")))
                .json(&json!({"status": "LOCKED_OUT"}))
                .send()
                .await
                .unwrap();
            assert!(r.status().is_success());
        }
        let r = sim.post(&path, body).await;
        let st = r.status().as_u16();
        let text = r.text().await.unwrap();
        let what = format!("POST {path} ({op}) → {st}");
        if st >= 300 {
            mismatches.push(format!("{what}: the step failed: {text}"));
            continue;
        }
        if !facts.success_statuses(op).contains(&st) {
            mismatches.push(format!(
                "{what}: the facts answer {:?}",
                facts.success_statuses(op)
            ));
            continue;
        }
        if let Some(node) = facts.response_schema(op, st) {
            let v: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
            checked += 1;
            for m in schema::check(&v, node) {
                mismatches.push(format!("{what}: {m}"));
            }
        }
    }
    checked
}
