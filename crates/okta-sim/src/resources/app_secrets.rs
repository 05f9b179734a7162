//! An OIDC app's client secrets, `/api/v1/apps/{appId}/credentials/secrets[/{secretId}[/lifecycle/…]]`: at most
//! two; the token endpoint accepts every ACTIVE one (`client_secret_basic` / `client_secret_post`), so a secret
//! can be rotated: add the new one, move clients to it, deactivate and delete the old one. The app's generated
//! `credentials.oauthClient.client_secret` is the first. Only an INACTIVE secret can be deleted, and the last
//! ACTIVE one cannot be deactivated.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use super::Ctx;
use super::apps::{App, app_or_404, app_target};
use super::logs;
use crate::errors::{ApiError, ApiResult};
use crate::reply::Reply;
use crate::store::Org;
use crate::util::ts;

const MAX_SECRETS: usize = 2;

fn entry(id: String, secret: &str, status: &str, at: DateTime<Utc>) -> Value {
    // Okta's secret_hash: a short hash that identifies a secret without showing it.
    let hash = B64.encode(Sha256::digest(secret.as_bytes()));
    json!({
        "id": id, "status": status, "client_secret": secret, "secret_hash": &hash[..22],
        "created": ts(&at), "lastUpdated": ts(&at),
    })
}

/// The secrets of a newly created OIDC app: its generated `client_secret`, if it has one.
pub fn initial(org: &mut Org, body: &Map<String, Value>, at: DateTime<Utc>) -> Vec<Value> {
    let secret = body
        .get("credentials")
        .and_then(|c| c["oauthClient"]["client_secret"].as_str());
    match secret {
        Some(s) => {
            let id = format!("ocs{}", org.random_string(17));
            vec![entry(id, s, "ACTIVE", at)]
        }
        None => Vec::new(),
    }
}

/// The ACTIVE secrets of an app (an app stored before secrets were kept: its `client_secret`).
pub fn active(app: &App) -> Vec<String> {
    if app.secrets.is_empty() {
        return app.body.get("credentials").map_or(Vec::new(), |c| {
            c["oauthClient"]["client_secret"]
                .as_str()
                .map(|s| vec![s.to_string()])
                .unwrap_or_default()
        });
    }
    app.secrets
        .iter()
        .filter(|s| s["status"] == "ACTIVE")
        .filter_map(|s| s["client_secret"].as_str().map(str::to_string))
        .collect()
}

fn render(app_id: &str, s: &Value, base: &str) -> Value {
    let mut v = s.clone();
    let me = format!(
        "{base}/api/v1/apps/{app_id}/credentials/secrets/{}",
        s["id"].as_str().unwrap_or("")
    );
    let action = if s["status"] == "ACTIVE" {
        "deactivate"
    } else {
        "activate"
    };
    let mut links =
        json!({action: {"href": format!("{me}/lifecycle/{action}"), "hints": {"allow": ["POST"]}}});
    if action == "activate" {
        links["delete"] = json!({"href": me, "hints": {"allow": ["DELETE"]}});
    }
    v["_links"] = links;
    v
}

fn secrets_mut<'a>(org: &'a mut Org, app_id: &str) -> ApiResult<&'a mut Vec<Value>> {
    app_or_404(org, app_id)?;
    Ok(&mut org.apps.get_mut(app_id).expect("checked").secrets)
}

fn not_found(id: &str) -> ApiError {
    ApiError::not_found(id, "OAuth2ClientSecret")
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

pub fn list(ctx: &Ctx, app_id: &str) -> ApiResult<Reply> {
    ctx.store().read(|org| {
        let app = app_or_404(org, app_id)?;
        let out: Vec<Value> = app
            .secrets
            .iter()
            .map(|s| render(app_id, s, ctx.base()))
            .collect();
        Ok(Reply::json(Value::Array(out)))
    })
}

pub fn get(ctx: &Ctx, app_id: &str, secret_id: &str) -> ApiResult<Reply> {
    ctx.store().read(|org| {
        app_or_404(org, app_id)?
            .secrets
            .iter()
            .find(|s| s["id"].as_str() == Some(secret_id))
            .map(|s| Reply::json(render(app_id, s, ctx.base())))
            .ok_or_else(|| not_found(secret_id))
    })
}

/// `POST …/secrets`: `{}` (a generated secret) or `{"client_secret": "…", "status": "ACTIVE|INACTIVE"}`; 201.
pub fn add(ctx: &Ctx, app_id: &str) -> ApiResult<Reply> {
    let body = ctx.json_object()?;
    let given = body.get("client_secret").and_then(Value::as_str);
    if given.is_some_and(|s| !(14..=100).contains(&s.len())) {
        return Err(ApiError::validation(
            "client_secret",
            "must be 14 to 100 characters",
        ));
    }
    let status = body
        .get("status")
        .and_then(Value::as_str)
        .unwrap_or("ACTIVE");
    if status != "ACTIVE" && status != "INACTIVE" {
        return Err(ApiError::validation("status", "must be ACTIVE or INACTIVE"));
    }
    ctx.store().write(|org| {
        if app_or_404(org, app_id)?.secrets.len() >= MAX_SECRETS {
            return Err(ApiError::bad_request(
                "You can't have more than two client secrets; delete one first",
            ));
        }
        let secret = given.map_or_else(|| org.random_string(40), str::to_string);
        let id = format!("ocs{}", org.random_string(17));
        let e = entry(id, &secret, status, Utc::now());
        secrets_mut(org, app_id)?.push(e.clone());
        touch(ctx, org, app_id);
        Ok(Reply::json_status(201, render(app_id, &e, ctx.base())))
    })
}

pub fn delete(ctx: &Ctx, app_id: &str, secret_id: &str) -> ApiResult<Reply> {
    ctx.store().write(|org| {
        let list = secrets_mut(org, app_id)?;
        let i = list
            .iter()
            .position(|s| s["id"].as_str() == Some(secret_id))
            .ok_or_else(|| not_found(secret_id))?;
        if list[i]["status"] == "ACTIVE" {
            return Err(ApiError::bad_request(
                "Only an INACTIVE client secret can be deleted; deactivate it first",
            ));
        }
        list.remove(i);
        touch(ctx, org, app_id);
        Ok(Reply::no_content())
    })
}

pub fn lifecycle(ctx: &Ctx, app_id: &str, secret_id: &str, op: &str) -> ApiResult<Reply> {
    let status = match op {
        "activate" => "ACTIVE",
        "deactivate" => "INACTIVE",
        _ => return Err(ApiError::unknown_path(&ctx.path)),
    };
    ctx.store().write(|org| {
        let list = secrets_mut(org, app_id)?;
        let i = list
            .iter()
            .position(|s| s["id"].as_str() == Some(secret_id))
            .ok_or_else(|| not_found(secret_id))?;
        let others_active = list
            .iter()
            .enumerate()
            .any(|(j, s)| j != i && s["status"] == "ACTIVE");
        if status == "INACTIVE" && list[i]["status"] == "ACTIVE" && !others_active {
            return Err(ApiError::bad_request(
                "The only ACTIVE client secret cannot be deactivated",
            ));
        }
        list[i]["status"] = json!(status);
        list[i]["lastUpdated"] = json!(ts(&Utc::now()));
        let v = list[i].clone();
        touch(ctx, org, app_id);
        Ok(Reply::json(render(app_id, &v, ctx.base())))
    })
}
