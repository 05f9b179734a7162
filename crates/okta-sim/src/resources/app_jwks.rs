//! An OIDC app's public keys, `/api/v1/apps/{appId}/credentials/jwks[/{keyId}[/lifecycle/…]]`: the same list as
//! the app's `settings.oauthClient.jwks.keys`, which the token endpoint verifies client assertions with (ACTIVE
//! keys only). Keys are checked on add (public RSA ≥ 2048 bits or EC P-256, unique kid); only an INACTIVE key
//! can be deleted.

use chrono::Utc;
use serde_json::{Map, Value, json};

use super::Ctx;
use super::apps::{app_or_404, app_target};
use super::logs;
use crate::errors::{ApiError, ApiResult};
use crate::reply::Reply;
use crate::store::Org;
use crate::util::ts;

/// An id, status and timestamps on a key that lacks them (keys registered with the app itself).
pub fn key_defaults(k: &mut Map<String, Value>) {
    if !k.get("id").is_some_and(Value::is_string) {
        let mut r = rand::rng();
        k.insert(
            "id".into(),
            json!(format!("pks{}", crate::util::random_alnum(&mut r, 17))),
        );
    }
    k.entry("status").or_insert_with(|| json!("ACTIVE"));
    let now = ts(&Utc::now());
    k.entry("created").or_insert_with(|| json!(now));
    k.entry("lastUpdated").or_insert_with(|| json!(now));
}

fn render(app_id: &str, k: &Value, base: &str) -> Value {
    let mut v = k.clone();
    let me = format!(
        "{base}/api/v1/apps/{app_id}/credentials/jwks/{}",
        k["id"].as_str().unwrap_or("")
    );
    let action = if k["status"].as_str() == Some("ACTIVE") {
        "deactivate"
    } else {
        "activate"
    };
    v["_links"] = json!({
        "self": {"href": me},
        action: {"href": format!("{me}/lifecycle/{action}"), "hints": {"allow": ["POST"]}},
    });
    v
}

fn keys_mut<'a>(org: &'a mut Org, app_id: &str) -> ApiResult<&'a mut Vec<Value>> {
    app_or_404(org, app_id)?;
    let app = org.apps.get_mut(app_id).expect("checked");
    let settings = app.body.entry("settings").or_insert_with(|| json!({}));
    if !settings["oauthClient"].is_object() {
        settings["oauthClient"] = json!({});
    }
    let oc = &mut settings["oauthClient"];
    if !oc["jwks"]["keys"].is_array() {
        oc["jwks"] = json!({"keys": []});
    }
    Ok(oc["jwks"]["keys"].as_array_mut().expect("array"))
}

fn keys(org: &Org, app_id: &str) -> ApiResult<Vec<Value>> {
    let app = app_or_404(org, app_id)?;
    Ok(app.body.get("settings").map_or(Vec::new(), |s| {
        s["oauthClient"]["jwks"]["keys"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }))
}

pub fn list(ctx: &Ctx, app_id: &str) -> ApiResult<Reply> {
    ctx.store().read(|org| {
        let out: Vec<Value> = keys(org, app_id)?
            .iter()
            .map(|k| render(app_id, k, ctx.base()))
            .collect();
        Ok(Reply::json(Value::Array(out)))
    })
}

pub fn get(ctx: &Ctx, app_id: &str, key_id: &str) -> ApiResult<Reply> {
    ctx.store().read(|org| {
        keys(org, app_id)?
            .iter()
            .find(|k| k["id"].as_str() == Some(key_id))
            .map(|k| Reply::json(render(app_id, k, ctx.base())))
            .ok_or_else(|| ApiError::not_found(key_id, "OAuth2ClientJsonWebKey"))
    })
}

pub fn add(ctx: &Ctx, app_id: &str) -> ApiResult<Reply> {
    let mut body = ctx.json_object()?;
    for k in ["id", "created", "lastUpdated", "_links"] {
        body.remove(k);
    }
    let jwk = Value::Object(body.clone());
    crate::oauth::jose::check_public_signing_key(&jwk)
        .map_err(|e| ApiError::validation("jwks", &e))?;
    if let Some(s) = body.get("status").and_then(Value::as_str)
        && s != "ACTIVE"
        && s != "INACTIVE"
    {
        return Err(ApiError::validation("status", "must be ACTIVE or INACTIVE"));
    }
    body.entry("use").or_insert_with(|| json!("sig"));
    key_defaults(&mut body);
    ctx.store().write(|org| {
        let list = keys_mut(org, app_id)?;
        if let Some(kid) = body.get("kid").and_then(Value::as_str)
            && list.iter().any(|k| k["kid"].as_str() == Some(kid))
        {
            return Err(ApiError::validation(
                "kid",
                "A key with this kid is already registered for the client",
            ));
        }
        list.push(Value::Object(body.clone()));
        touch(ctx, org, app_id);
        Ok(Reply::json_status(
            201,
            render(app_id, &Value::Object(body), ctx.base()),
        ))
    })
}

fn touch(ctx: &Ctx, org: &mut Org, app_id: &str) {
    let app = org.apps.get_mut(app_id).expect("checked");
    app.last_updated = Utc::now();
    let t = app_target(app);
    logs::record(
        org,
        &ctx.actor,
        &ctx.request_id,
        "application.lifecycle.update",
        "Update application",
        vec![t],
    );
}

pub fn delete(ctx: &Ctx, app_id: &str, key_id: &str) -> ApiResult<Reply> {
    ctx.store().write(|org| {
        let list = keys_mut(org, app_id)?;
        let i = list
            .iter()
            .position(|k| k["id"].as_str() == Some(key_id))
            .ok_or_else(|| ApiError::not_found(key_id, "OAuth2ClientJsonWebKey"))?;
        if list[i]["status"].as_str() == Some("ACTIVE") {
            return Err(ApiError::bad_request(
                "Only an INACTIVE key can be deleted; deactivate it first",
            ));
        }
        list.remove(i);
        touch(ctx, org, app_id);
        Ok(Reply::no_content())
    })
}

pub fn lifecycle(ctx: &Ctx, app_id: &str, key_id: &str, op: &str) -> ApiResult<Reply> {
    let status = match op {
        "activate" => "ACTIVE",
        "deactivate" => "INACTIVE",
        _ => return Err(ApiError::unknown_path(&ctx.path)),
    };
    ctx.store().write(|org| {
        let list = keys_mut(org, app_id)?;
        let k = list
            .iter_mut()
            .find(|k| k["id"].as_str() == Some(key_id))
            .ok_or_else(|| ApiError::not_found(key_id, "OAuth2ClientJsonWebKey"))?;
        k["status"] = json!(status);
        k["lastUpdated"] = json!(ts(&Utc::now()));
        let v = k.clone();
        touch(ctx, org, app_id);
        Ok(Reply::json(render(app_id, &v, ctx.base())))
    })
}
