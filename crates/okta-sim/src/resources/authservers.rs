//! Custom authorization servers, stored by the generic layer with what Okta adds: an issuer and a signing key
//! on create (with the system scopes every server has), defaults for scopes and claims, and key rotation
//! (`…/credentials/lifecycle/keyRotate` answers the server's keys, the new one ACTIVE).

use chrono::Utc;
use serde_json::{Map, Value, json};

use crate::errors::{ApiError, ApiResult};
use crate::reply::Reply;
use crate::resources::Ctx;
use crate::store::Org;
use crate::util::ts;

const SYSTEM_SCOPES: &[&str] = &["openid", "profile", "email", "address", "phone", "offline_access", "device_sso"];

fn new_key(org: &mut Org) -> Value {
    let kid = org.random_string(43);
    let n = org.random_string(342);
    json!({"alg": "RS256", "e": "AQAB", "kid": kid, "kty": "RSA", "n": n, "status": "ACTIVE", "use": "sig"})
}

/// `POST /api/v1/authorizationServers`.
pub fn on_create(org: &mut Org, id: &str, m: &mut Map<String, Value>) -> ApiResult<()> {
    if m.get("name").and_then(Value::as_str).is_none_or(str::is_empty) {
        return Err(ApiError::validation("name", "The field cannot be left blank"));
    }
    m.entry("audiences").or_insert_with(|| json!([]));
    m.entry("description").or_insert(Value::Null);
    m.insert("issuer".into(), json!(format!("{{base}}/oauth2/{id}")));
    m.entry("issuerMode").or_insert(json!("ORG_URL"));
    let key = new_key(org);
    let now = ts(&Utc::now());
    m.insert(
        "credentials".into(),
        json!({"signing": {"kid": key["kid"], "lastRotated": now, "nextRotation": ts(&(Utc::now() + chrono::Duration::days(90))), "rotationMode": "AUTO", "use": "sig"}}),
    );
    let base = format!("/api/v1/authorizationServers/{id}");
    let kid = key["kid"].as_str().unwrap_or_default().to_string();
    org.generic
        .entry(format!("{base}/credentials/keys"))
        .or_default()
        .insert(kid, key);
    for s in SYSTEM_SCOPES {
        let sid = org.new_id("scp");
        org.generic.entry(format!("{base}/scopes")).or_default().insert(
            sid.clone(),
            json!({"id": sid, "name": s, "displayName": s, "description": format!("The {s} scope."), "system": true, "metadataPublish": "ALL_CLIENTS", "consent": "IMPLICIT", "default": false, "optional": false}),
        );
    }
    Ok(())
}

/// `POST …/scopes`.
pub fn on_create_scope(m: &mut Map<String, Value>) -> ApiResult<()> {
    if m.get("name").and_then(Value::as_str).is_none_or(str::is_empty) {
        return Err(ApiError::validation("name", "The field cannot be left blank"));
    }
    m.insert("system".into(), json!(false));
    m.entry("metadataPublish").or_insert(json!("NO_CLIENTS"));
    m.entry("consent").or_insert(json!("IMPLICIT"));
    m.entry("default").or_insert(json!(false));
    m.entry("optional").or_insert(json!(false));
    m.remove("status");
    Ok(())
}

/// `POST …/claims`.
pub fn on_create_claim(m: &mut Map<String, Value>) -> ApiResult<()> {
    if m.get("name").and_then(Value::as_str).is_none_or(str::is_empty) {
        return Err(ApiError::validation("name", "The field cannot be left blank"));
    }
    m.insert("system".into(), json!(false));
    m.entry("status").or_insert(json!("ACTIVE"));
    m.entry("valueType").or_insert(json!("EXPRESSION"));
    m.entry("alwaysIncludeInToken").or_insert(json!(true));
    m.entry("conditions").or_insert_with(|| json!({"scopes": []}));
    Ok(())
}

/// `POST /api/v1/authorizationServers/{id}/credentials/lifecycle/keyRotate`: a new ACTIVE key, the previous
/// ones INACTIVE; answers every key (a list).
pub fn rotate_keys(ctx: &Ctx, server: &str) -> ApiResult<Reply> {
    let base = ctx.base().to_string();
    ctx.store().write(|org| {
        let servers = "/api/v1/authorizationServers";
        let id = org
            .generic
            .get(servers)
            .and_then(|c| {
                c.iter()
                    .find(|(k, v)| *k == server || v["name"] == server)
                    .map(|(k, _)| k.clone())
            })
            .ok_or_else(|| ApiError::not_found(server, "AuthorizationServer"))?;
        let key = new_key(org);
        let kid = key["kid"].as_str().unwrap_or_default().to_string();
        let keys_path = format!("{servers}/{id}/credentials/keys");
        let keys = org.generic.entry(keys_path.clone()).or_default();
        for k in keys.values_mut() {
            k["status"] = json!("INACTIVE");
        }
        keys.insert(kid.clone(), key);
        let answer: Vec<Value> = keys
            .iter()
            .rev()
            .map(|(k, v)| {
                let mut v = v.clone();
                v["_links"] = json!({"self": {"href": format!("{base}{keys_path}/{k}"), "hints": {"allow": ["GET"]}}});
                v
            })
            .collect();
        if let Some(s) = org.generic.get_mut(servers).and_then(|c| c.get_mut(&id)) {
            s["credentials"]["signing"]["kid"] = json!(kid);
            s["credentials"]["signing"]["lastRotated"] = json!(ts(&Utc::now()));
        }
        Ok(Reply::json(Value::Array(answer)))
    })
}
