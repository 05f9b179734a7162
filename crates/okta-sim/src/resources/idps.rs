//! Identity providers, stored by the generic layer with what Okta requires and adds on create: `type` and
//! `name`, `issuerMode`, and a default `policy` (just-in-time provisioning, account link, subject by email).

use serde_json::{Map, Value, json};

use crate::errors::{ApiError, ApiResult};

pub fn on_create(m: &mut Map<String, Value>) -> ApiResult<()> {
    for f in ["type", "name"] {
        if m.get(f).and_then(Value::as_str).is_none_or(str::is_empty) {
            return Err(ApiError::validation(f, "The field cannot be left blank"));
        }
    }
    m.entry("issuerMode").or_insert(json!("ORG_URL"));
    m.entry("protocol").or_insert(Value::Null);
    m.entry("properties").or_insert(Value::Null);
    let policy = m.entry("policy").or_insert_with(|| json!({}));
    if let Some(p) = policy.as_object_mut() {
        p.entry("provisioning").or_insert_with(|| {
            json!({"action": "AUTO", "profileMaster": false, "groups": {"action": "NONE"}, "conditions": {"deprovisioned": {"action": "NONE"}, "suspended": {"action": "NONE"}}})
        });
        p.entry("accountLink")
            .or_insert_with(|| json!({"action": "AUTO", "filter": null}));
        p.entry("subject").or_insert_with(|| {
            json!({"userNameTemplate": {"template": "idpuser.email"}, "matchType": "USERNAME", "filter": null})
        });
        p.entry("maxClockSkew").or_insert(json!(0));
    }
    Ok(())
}
