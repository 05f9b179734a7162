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

const SYSTEM_SCOPES: &[&str] = &[
    "openid",
    "profile",
    "email",
    "address",
    "phone",
    "offline_access",
    "device_sso",
];

fn new_key(org: &mut Org) -> Value {
    let kid = org.random_string(43);
    let n = org.random_string(342);
    json!({"alg": "RS256", "e": "AQAB", "kid": kid, "kty": "RSA", "n": n, "status": "ACTIVE", "use": "sig"})
}

/// `POST /api/v1/authorizationServers`.
pub fn on_create(org: &mut Org, id: &str, m: &mut Map<String, Value>) -> ApiResult<()> {
    if m.get("name")
        .and_then(Value::as_str)
        .is_none_or(str::is_empty)
    {
        return Err(ApiError::validation(
            "name",
            "The field cannot be left blank",
        ));
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
    if m.get("name")
        .and_then(Value::as_str)
        .is_none_or(str::is_empty)
    {
        return Err(ApiError::validation(
            "name",
            "The field cannot be left blank",
        ));
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
    if m.get("name")
        .and_then(Value::as_str)
        .is_none_or(str::is_empty)
    {
        return Err(ApiError::validation(
            "name",
            "The field cannot be left blank",
        ));
    }
    m.insert("system".into(), json!(false));
    m.entry("status").or_insert(json!("ACTIVE"));
    m.entry("valueType").or_insert(json!("EXPRESSION"));
    m.entry("alwaysIncludeInToken").or_insert(json!(true));
    m.entry("conditions")
        .or_insert_with(|| json!({"scopes": []}));
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

fn associations_path(server: &str) -> String {
    format!("/api/v1/authorizationServers/{server}/associatedServers")
}

/// The stored id of a server addressed by id or name, or 404.
fn server_id(org: &Org, key: &str) -> ApiResult<String> {
    org.generic
        .get("/api/v1/authorizationServers")
        .and_then(|c| {
            c.iter()
                .find(|(k, v)| *k == key || v["name"] == key)
                .map(|(k, _)| k.clone())
        })
        .ok_or_else(|| ApiError::not_found(key, "AuthorizationServer"))
}

fn server_json(org: &Org, base: &str, id: &str) -> Option<Value> {
    let mut v = org
        .generic
        .get("/api/v1/authorizationServers")?
        .get(id)?
        .clone();
    if let Some(issuer) = v["issuer"].as_str() {
        v["issuer"] = json!(issuer.replacen("{base}", base, 1));
    }
    v["_links"] = json!({"self": {"href": format!("{base}/api/v1/authorizationServers/{id}")}});
    Some(v)
}

/// `POST …/associatedServers` `{"trusted": [...], "untrusted": [...]}`: answers the servers now associated.
pub fn associate(ctx: &Ctx, server: &str) -> ApiResult<Reply> {
    let body = ctx.json()?;
    let base = ctx.base().to_string();
    ctx.store().write(|org| {
        let me = server_id(org, server)?;
        let mut added = Vec::new();
        for (list, trusted) in [("trusted", true), ("untrusted", false)] {
            for key in body[list]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
            {
                let other = server_id(org, key)?;
                added.push((other, trusted));
            }
        }
        let c = org.generic.entry(associations_path(&me)).or_default();
        for (other, trusted) in &added {
            c.insert(other.clone(), json!({"trusted": trusted}));
        }
        let answer: Vec<Value> = added
            .iter()
            .filter_map(|(o, _)| server_json(org, &base, o))
            .collect();
        Ok(Reply::json(Value::Array(answer)))
    })
}

/// `GET …/associatedServers?trusted=true|false`.
pub fn associated(ctx: &Ctx, server: &str) -> ApiResult<Reply> {
    let base = ctx.base().to_string();
    let trusted = ctx
        .query
        .get("trusted")
        .map(|t| t.eq_ignore_ascii_case("true"));
    let q = ctx.query.get("q").map(str::to_lowercase);
    ctx.store().read(|org| {
        let me = server_id(org, server)?;
        let list: Vec<Value> = org
            .generic
            .get(&associations_path(&me))
            .into_iter()
            .flatten()
            .filter(|(_, a)| trusted.is_none_or(|t| a["trusted"] == t))
            .filter_map(|(o, _)| server_json(org, &base, o))
            .filter(|s| {
                q.as_ref().is_none_or(|q| {
                    s["name"]
                        .as_str()
                        .is_some_and(|n| n.to_lowercase().contains(q.as_str()))
                })
            })
            .collect();
        Ok(Reply::json(Value::Array(list)))
    })
}

/// `DELETE …/associatedServers/{associatedServerId}`.
pub fn dissociate(ctx: &Ctx, server: &str, other: &str) -> ApiResult<Reply> {
    ctx.store().write(|org| {
        let me = server_id(org, server)?;
        match org
            .generic
            .get_mut(&associations_path(&me))
            .and_then(|c| c.shift_remove(other))
        {
            Some(_) => Ok(Reply::no_content()),
            None => Err(ApiError::not_found(other, "AssociatedServer")),
        }
    })
}
