//! Event hooks: CRUD, activate/deactivate, and verify — which calls the hook's URL with Okta's one-time
//! verification challenge (`GET`, header `X-Okta-Verification-Challenge`) and expects `{"verification": <it>}`.

use chrono::Utc;
use serde_json::{Map, Value, json};

use super::Ctx;
use super::logs;
use crate::errors::{ApiError, ApiResult};
use crate::reply::Reply;
use crate::store::Org;
use crate::util::ts;

fn render(h: &Value, base: &str) -> Value {
    let mut v = h.clone();
    let id = h["id"].as_str().unwrap_or("");
    let me = format!("{base}/api/v1/eventHooks/{id}");
    let op = if h["status"] == "ACTIVE" {
        "deactivate"
    } else {
        "activate"
    };
    v["_links"] = json!({
        "self": {"href": me},
        "verify": {"href": format!("{me}/lifecycle/verify"), "hints": {"allow": ["POST"]}},
        op: {"href": format!("{me}/lifecycle/{op}"), "hints": {"allow": ["POST"]}},
    });
    v
}

fn target(h: &Value) -> Value {
    let id = h["id"].as_str().unwrap_or("");
    let name = h["name"].as_str().unwrap_or("");
    logs::target(id, "EventHook", name, name)
}

/// Records a change to hook `h` in the System Log and answers with the hook.
fn logged(ctx: &Ctx, org: &mut Org, h: &Value, event: &str, message: &str) -> Reply {
    logs::record(
        org,
        &ctx.actor,
        &ctx.request_id,
        event,
        message,
        vec![target(h)],
    );
    Reply::json(render(h, ctx.base()))
}

fn validate(body: &Map<String, Value>) -> ApiResult<()> {
    match body.get("name") {
        Some(Value::String(s)) if !s.trim().is_empty() => {}
        _ => {
            return Err(ApiError::validation(
                "name",
                "The field cannot be left blank",
            ));
        }
    }
    let items = body
        .get("events")
        .and_then(|e| e.get("items"))
        .and_then(Value::as_array);
    if items.is_none_or(|i| i.is_empty()) {
        return Err(ApiError::validation(
            "events",
            "The field cannot be left blank",
        ));
    }
    let uri = body
        .get("channel")
        .and_then(|c| c.get("config"))
        .and_then(|c| c.get("uri"))
        .and_then(Value::as_str);
    match uri {
        Some(u) if u.starts_with("https://") || u.starts_with("http://") => Ok(()),
        Some(_) => Err(ApiError::validation(
            "channel.config.uri",
            "The URI must be an absolute http(s) URL",
        )),
        None => Err(ApiError::validation(
            "channel.config.uri",
            "The field cannot be left blank",
        )),
    }
}

fn stored_from(body: Map<String, Value>) -> Map<String, Value> {
    let mut channel = body.get("channel").cloned().unwrap_or(json!({}));
    if channel.get("type").is_none() {
        channel["type"] = json!("HTTP");
    }
    if channel.get("version").is_none() {
        channel["version"] = json!("1.0.0");
    }
    let mut events = body.get("events").cloned().unwrap_or(json!({}));
    if events.get("type").is_none() {
        events["type"] = json!("EVENT_TYPE");
    }
    let mut m = Map::new();
    m.insert(
        "name".into(),
        body.get("name").cloned().unwrap_or(Value::Null),
    );
    m.insert(
        "description".into(),
        body.get("description").cloned().unwrap_or(Value::Null),
    );
    m.insert("events".into(), events);
    m.insert("channel".into(), channel);
    m
}

pub fn list(ctx: &Ctx) -> ApiResult<Reply> {
    let items: Vec<Value> = ctx
        .store()
        .read(|org| org.hooks.values().map(|h| render(h, ctx.base())).collect());
    Ok(Reply::json(Value::Array(items)))
}

pub fn create(ctx: &Ctx) -> ApiResult<Reply> {
    let body = ctx.json_object()?;
    validate(&body)?;
    ctx.store().write(|org| {
        let id = org.new_id("who");
        let now = ts(&Utc::now());
        let mut m = Map::new();
        m.insert("id".into(), json!(id));
        m.insert("status".into(), json!("ACTIVE"));
        m.insert("verificationStatus".into(), json!("UNVERIFIED"));
        m.extend(stored_from(body));
        m.insert("created".into(), json!(now));
        m.insert("createdBy".into(), json!(ctx.actor.id));
        m.insert("lastUpdated".into(), json!(now));
        let h = Value::Object(m);
        org.hooks.insert(id, h.clone());
        Ok(logged(
            ctx,
            org,
            &h,
            "event_hook.created",
            "Event hook created",
        ))
    })
}

pub fn get(ctx: &Ctx, id: &str) -> ApiResult<Reply> {
    ctx.store().read(|org| match org.hooks.get(id) {
        Some(h) => Ok(Reply::json(render(h, ctx.base()))),
        None => Err(ApiError::not_found(id, "EventHook")),
    })
}

pub fn replace(ctx: &Ctx, id: &str) -> ApiResult<Reply> {
    let body = ctx.json_object()?;
    validate(&body)?;
    ctx.store().write(|org| {
        let h = org
            .hooks
            .get_mut(id)
            .ok_or_else(|| ApiError::not_found(id, "EventHook"))?;
        let uri_changed = h["channel"]["config"]["uri"] != body["channel"]["config"]["uri"];
        for (k, v) in stored_from(body) {
            h[&k] = v;
        }
        if uri_changed {
            h["verificationStatus"] = json!("UNVERIFIED");
        }
        h["lastUpdated"] = json!(ts(&Utc::now()));
        let h = h.clone();
        Ok(logged(
            ctx,
            org,
            &h,
            "event_hook.updated",
            "Event hook updated",
        ))
    })
}

pub fn delete(ctx: &Ctx, id: &str) -> ApiResult<Reply> {
    ctx.store().write(|org| {
        let h = org
            .hooks
            .get(id)
            .ok_or_else(|| ApiError::not_found(id, "EventHook"))?;
        if h["status"] == "ACTIVE" {
            return Err(ApiError::bad_request(
                "An event hook must be deactivated before it can be deleted",
            ));
        }
        let h = org.hooks.shift_remove(id).expect("checked");
        logs::record(
            org,
            &ctx.actor,
            &ctx.request_id,
            "event_hook.deleted",
            "Event hook deleted",
            vec![target(&h)],
        );
        Ok(Reply::no_content())
    })
}

pub fn lifecycle(ctx: &Ctx, id: &str, op: &str) -> ApiResult<Reply> {
    let (status, event) = match op {
        "activate" => ("ACTIVE", "event_hook.activated"),
        "deactivate" => ("INACTIVE", "event_hook.deactivated"),
        _ => return Err(ApiError::unknown_path(&ctx.path)),
    };
    ctx.store().write(|org| {
        let h = org
            .hooks
            .get_mut(id)
            .ok_or_else(|| ApiError::not_found(id, "EventHook"))?;
        h["status"] = json!(status);
        h["lastUpdated"] = json!(ts(&Utc::now()));
        let h = h.clone();
        Ok(logged(ctx, org, &h, event, "Event hook lifecycle change"))
    })
}

/// Adds the hook's configured headers and auth scheme to an outbound request.
fn with_hook_headers(mut req: reqwest::RequestBuilder, hook: &Value) -> reqwest::RequestBuilder {
    if let Some(headers) = hook["channel"]["config"]["headers"].as_array() {
        for h in headers {
            if let (Some(k), Some(v)) = (h["key"].as_str(), h["value"].as_str()) {
                req = req.header(k, v);
            }
        }
    }
    if let Some(v) = hook["channel"]["config"]["authScheme"]["value"].as_str() {
        let key = hook["channel"]["config"]["authScheme"]["key"]
            .as_str()
            .unwrap_or("Authorization");
        req = req.header(key, v);
    }
    req
}

/// Delivers events to active, verified hooks subscribed to their type (fire and forget, like Okta's
/// at-least-once delivery without the retries).
pub fn deliver(state: &std::sync::Arc<crate::server::AppState>, pending: Vec<(Value, Value)>) {
    for (hook, event) in pending {
        let uri = hook["channel"]["config"]["uri"]
            .as_str()
            .unwrap_or("")
            .to_string();
        let body = json!({
            "eventType": "com.okta.event_hook",
            "eventTypeVersion": "1.0",
            "cloudEventsVersion": "0.1",
            "source": format!("{}/api/v1/eventHooks/{}", state.base_url, hook["id"].as_str().unwrap_or("")),
            "eventId": event["uuid"],
            "data": {"events": [event]},
            "eventTime": event["published"],
            "contentType": "application/json",
        });
        let req = with_hook_headers(
            state
                .http
                .post(&uri)
                .header("content-type", "application/json")
                .body(body.to_string()),
            &hook,
        );
        tokio::spawn(async move {
            let _ = req.timeout(std::time::Duration::from_secs(5)).send().await;
        });
    }
}

pub async fn verify(ctx: &Ctx, id: &str) -> ApiResult<Reply> {
    let (hook, challenge) = ctx.store().write(|org| {
        let h = org
            .hooks
            .get(id)
            .cloned()
            .ok_or_else(|| ApiError::not_found(id, "EventHook"))?;
        Ok::<_, ApiError>((h, org.random_string(40)))
    })?;
    let uri = hook["channel"]["config"]["uri"]
        .as_str()
        .unwrap_or("")
        .to_string();
    let req = with_hook_headers(
        ctx.state
            .http
            .get(&uri)
            .header("X-Okta-Verification-Challenge", &challenge),
        &hook,
    );
    let verified = match req.timeout(std::time::Duration::from_secs(3)).send().await {
        Ok(resp) if resp.status().is_success() => match resp
            .bytes()
            .await
            .map(|b| serde_json::from_slice::<Value>(&b))
        {
            Ok(Ok(v)) => v["verification"].as_str() == Some(challenge.as_str()),
            _ => false,
        },
        _ => false,
    };
    ctx.store().write(|org| {
        let h = org.hooks.get_mut(id).ok_or_else(|| ApiError::not_found(id, "EventHook"))?;
        if !verified {
            let t = target(h);
            logs::record(org, &ctx.actor, &ctx.request_id, "event_hook.verification_failed", "Event hook verification failed", vec![t]);
            return Err(ApiError::bad_request(
                "Verification of the event hook failed: the endpoint did not answer the verification challenge",
            ));
        }
        h["verificationStatus"] = json!("VERIFIED");
        h["lastUpdated"] = json!(ts(&Utc::now()));
        let h = h.clone();
        logs::record(org, &ctx.actor, &ctx.request_id, "event_hook.verified", "Event hook verified", vec![target(&h)]);
        Ok(Reply::json(render(&h, ctx.base())))
    })
}
