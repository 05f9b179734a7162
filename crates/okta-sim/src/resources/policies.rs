//! Policies and their rules (org policies under `/api/v1/policies`, authorization-server policies under
//! `/api/v1/authorizationServers/{id}/policies`), stored by the generic layer with Okta's rules on create:
//! `name` and `type` required, `system: false`, the next `priority` of their list, the rule `type` that matches
//! the policy's, and `conditions`/`actions` present.

use serde_json::{Map, Value, json};

use crate::errors::{ApiError, ApiResult};
use crate::store::Org;

/// The rule type of a policy type (`OKTA_SIGN_ON` policies hold `SIGN_ON` rules).
fn rule_type(policy_type: &str) -> &str {
    match policy_type {
        "OKTA_SIGN_ON" => "SIGN_ON",
        "OAUTH_AUTHORIZATION_POLICY" => "RESOURCE_ACCESS",
        other => other,
    }
}

/// One more than the highest priority among the collection's members of the same type (1 for the first).
fn next_priority(org: &Org, collection: &str, ty: Option<&str>) -> i64 {
    org.generic
        .get(collection)
        .map(|c| {
            c.values()
                .filter(|v| ty.is_none_or(|t| v["type"] == t))
                .filter_map(|v| v["priority"].as_i64())
                .max()
                .unwrap_or(0)
        })
        .unwrap_or(0)
        + 1
}

fn common(org: &Org, collection: &str, m: &mut Map<String, Value>) {
    let ty = m.get("type").and_then(Value::as_str).map(str::to_string);
    let priority = m
        .get("priority")
        .and_then(Value::as_i64)
        .unwrap_or_else(|| next_priority(org, collection, ty.as_deref()));
    m.insert("priority".into(), json!(priority));
    m.insert("system".into(), json!(false));
    m.entry("conditions").or_insert(Value::Null);
}

/// `POST /api/v1/policies`.
pub fn on_create(org: &Org, collection: &str, m: &mut Map<String, Value>) -> ApiResult<()> {
    for f in ["name", "type"] {
        if m.get(f).and_then(Value::as_str).is_none_or(str::is_empty) {
            return Err(ApiError::validation(f, "The field cannot be left blank"));
        }
    }
    m.entry("description").or_insert(Value::Null);
    common(org, collection, m);
    Ok(())
}

/// `POST /api/v1/policies/{policyId}/rules`: the parent policy must exist; the rule's type follows it.
pub fn on_create_rule(org: &Org, collection: &str, m: &mut Map<String, Value>) -> ApiResult<()> {
    let policy_path = collection.trim_end_matches("/rules");
    let (policies, policy_id) = policy_path.rsplit_once('/').unwrap_or(("", ""));
    let Some(policy) = org.generic.get(policies).and_then(|c| c.get(policy_id)) else {
        return Err(ApiError::not_found(policy_id, "Policy"));
    };
    let ty = policy["type"]
        .as_str()
        .map(rule_type)
        .unwrap_or("SIGN_ON")
        .to_string();
    m.entry("type").or_insert(json!(ty));
    if m.get("name")
        .and_then(Value::as_str)
        .is_none_or(str::is_empty)
    {
        return Err(ApiError::validation(
            "name",
            "The field cannot be left blank",
        ));
    }
    common(org, collection, m);
    m.entry("actions").or_insert_with(|| json!({}));
    Ok(())
}

/// `POST /api/v1/authorizationServers/{id}/policies`.
pub fn on_create_server_policy(
    org: &Org,
    collection: &str,
    m: &mut Map<String, Value>,
) -> ApiResult<()> {
    m.entry("type")
        .or_insert(json!("OAUTH_AUTHORIZATION_POLICY"));
    if m.get("name")
        .and_then(Value::as_str)
        .is_none_or(str::is_empty)
    {
        return Err(ApiError::validation(
            "name",
            "The field cannot be left blank",
        ));
    }
    common(org, collection, m);
    m.entry("conditions").and_modify(|c| {
        if c.is_null() {
            *c = json!({"clients": {"include": ["ALL_CLIENTS"]}});
        }
    });
    Ok(())
}
