//! Apps: CRUD (created ACTIVE unless `activate=false`), activate/deactivate, delete only when INACTIVE,
//! user and group assignments, a user's app links, a group's apps.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use super::Ctx;
use super::groups;
use super::logs;
use super::users;
use crate::errors::{ApiError, ApiResult};
use crate::expr;
use crate::paging::{self, Limits, ListQuery};
use crate::reply::Reply;
use crate::store::Org;
use crate::util::ts;

const LIMITS: Limits = Limits::new(200, 200);
const USER_LIMITS: Limits = Limits::new(50, 500);
const GROUP_LIMITS: Limits = Limits::new(20, 200);

#[derive(Serialize, Deserialize, Clone, Debug)]
#[serde(rename_all = "camelCase")]
pub struct App {
    pub id: String,
    pub seq: u64,
    pub status: String,
    pub created: DateTime<Utc>,
    pub last_updated: DateTime<Utc>,
    /// Every other property as sent (name, label, signOnMode, settings, credentials, ...).
    pub body: Map<String, Value>,
    /// An OIDC app's client secrets (`/credentials/secrets`); the token endpoint accepts the ACTIVE ones.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub secrets: Vec<Value>,
}

impl App {
    pub fn label(&self) -> &str {
        self.body.get("label").and_then(Value::as_str).unwrap_or("")
    }
    pub fn name(&self) -> &str {
        self.body.get("name").and_then(Value::as_str).unwrap_or("")
    }
}

pub fn to_json(a: &App) -> Value {
    let mut m = Map::new();
    m.insert("id".into(), json!(a.id));
    m.insert("name".into(), json!(a.name()));
    m.insert("label".into(), json!(a.label()));
    m.insert("status".into(), json!(a.status));
    m.insert("created".into(), json!(ts(&a.created)));
    m.insert("lastUpdated".into(), json!(ts(&a.last_updated)));
    m.insert(
        "signOnMode".into(),
        a.body
            .get("signOnMode")
            .cloned()
            .unwrap_or(json!("BOOKMARK")),
    );
    m.insert(
        "accessibility".into(),
        a.body.get("accessibility").cloned().unwrap_or(
            json!({"selfService": false, "errorRedirectUrl": null, "loginRedirectUrl": null}),
        ),
    );
    m.insert(
        "visibility".into(),
        a.body.get("visibility").cloned().unwrap_or(json!({"autoSubmitToolbar": false, "hide": {"iOS": false, "web": false}, "appLinks": {}})),
    );
    m.insert(
        "features".into(),
        a.body.get("features").cloned().unwrap_or(json!([])),
    );
    for (k, v) in &a.body {
        m.entry(k.clone()).or_insert_with(|| v.clone());
    }
    Value::Object(m)
}

pub fn render(a: &App, base: &str) -> Value {
    let mut v = to_json(a);
    let me = format!("{base}/api/v1/apps/{}", a.id);
    let lifecycle = if a.status == "ACTIVE" {
        "deactivate"
    } else {
        "activate"
    };
    v["_links"] = json!({
        "self": {"href": me},
        "users": {"href": format!("{me}/users")},
        "groups": {"href": format!("{me}/groups")},
        lifecycle: {"href": format!("{me}/lifecycle/{lifecycle}"), "method": "POST"},
        "appLinks": [{"name": a.name(), "href": format!("{base}/home/{}/{}/link", a.name(), a.id), "type": "text/html"}],
        "logo": [{"name": "medium", "href": format!("{base}/assets/img/logos/default.6770228fb0dab49a1695ef440a5279bb.png"), "type": "image/png"}],
        "uploadLogo": {"href": format!("{me}/logo"), "hints": {"allow": ["POST"]}},
    });
    // Settings Okta always answers for the app's sign-on mode (a SAML app's signing flags, ...).
    crate::schema::conform(&mut v, &json!({"ref": "Application"}));
    v
}

pub(super) fn app_target(a: &App) -> Value {
    logs::target(&a.id, "AppInstance", a.name(), a.label())
}

fn validate(body: &Map<String, Value>) -> ApiResult<()> {
    match body.get("label") {
        Some(Value::String(s)) if !s.trim().is_empty() => {}
        _ => {
            return Err(ApiError::validation(
                "label",
                "The field cannot be left blank",
            ));
        }
    }
    match body.get("signOnMode") {
        Some(Value::String(s)) if !s.trim().is_empty() => Ok(()),
        None if body.get("name").is_some() => Ok(()),
        _ => Err(ApiError::validation(
            "signOnMode",
            "The field cannot be left blank",
        )),
    }
}

fn default_name(body: &Map<String, Value>) -> String {
    match body
        .get("signOnMode")
        .and_then(Value::as_str)
        .unwrap_or("BOOKMARK")
    {
        "OPENID_CONNECT" => "oidc_client".into(),
        "BOOKMARK" => "bookmark".into(),
        "SAML_2_0"
        | "SAML_1_1"
        | "AUTO_LOGIN"
        | "BROWSER_PLUGIN"
        | "WS_FEDERATION"
        | "SECURE_PASSWORD_STORE" => {
            let label = body.get("label").and_then(Value::as_str).unwrap_or("app");
            let slug: String = label
                .to_lowercase()
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
                .collect();
            format!("simorg_{slug}_1")
        }
        other => other.to_lowercase(),
    }
}

fn clean_body(mut body: Map<String, Value>) -> Map<String, Value> {
    for k in [
        "id",
        "status",
        "created",
        "lastUpdated",
        "_links",
        "_embedded",
    ] {
        body.remove(k);
    }
    if !body.contains_key("name") {
        let n = default_name(&body);
        body.insert("name".into(), json!(n));
    }
    body
}

fn is_oidc(body: &Map<String, Value>) -> bool {
    body.get("signOnMode").and_then(Value::as_str) == Some("OPENID_CONNECT")
}

/// What Okta fills in on an OIDC app: `credentials.oauthClient.client_id` = the app id, the auth method
/// (client_secret_basic unless given), a generated `client_secret` for the secret methods (kept from `previous`
/// on a replace), and an id and status on each registered JWK (a replace that does not mention
/// `settings.oauthClient.jwks` keeps the keys). These are what the token endpoint checks.
fn oidc_defaults(
    id: &str,
    body: &mut Map<String, Value>,
    previous: Option<&Map<String, Value>>,
    fresh_secret: String,
) {
    if !is_oidc(body) {
        return;
    }
    let creds = body.entry("credentials").or_insert_with(|| json!({}));
    if !creds["oauthClient"].is_object() {
        creds["oauthClient"] = json!({"autoKeyRotation": true});
    }
    let c = creds["oauthClient"].as_object_mut().expect("object");
    c.insert("client_id".into(), json!(id));
    let method = c
        .entry("token_endpoint_auth_method")
        .or_insert_with(|| json!("client_secret_basic"))
        .as_str()
        .unwrap_or("")
        .to_string();
    if matches!(method.as_str(), "client_secret_basic" | "client_secret_post" | "client_secret_jwt")
        && !c.get("client_secret").is_some_and(Value::is_string)
    {
        let kept = previous.and_then(|p| p.get("credentials")?.get("oauthClient")?.get("client_secret")).cloned();
        let secret = kept.unwrap_or_else(|| json!(fresh_secret));
        c.insert("client_secret".into(), secret);
    }
    // A PUT that does not mention the keys keeps them (the JWKS API manages the same list).
    let prev_jwks = previous.and_then(|p| p.get("settings")?.get("oauthClient")?.get("jwks")).cloned();
    if let Some(jwks) = prev_jwks {
        let settings = body.entry("settings").or_insert_with(|| json!({}));
        if settings.is_object() {
            if !settings["oauthClient"].is_object() {
                settings["oauthClient"] = json!({});
            }
            if settings["oauthClient"].get("jwks").is_none() {
                settings["oauthClient"]["jwks"] = jwks;
            }
        }
    }
    if let Some(keys) = body
        .get_mut("settings")
        .and_then(|s| s.get_mut("oauthClient"))
        .and_then(|s| s.get_mut("jwks"))
        .and_then(|j| j.get_mut("keys"))
        .and_then(Value::as_array_mut)
    {
        for k in keys.iter_mut().filter_map(Value::as_object_mut) {
            super::app_jwks::key_defaults(k);
        }
    }
}

/// Inserts an app inside a write (also used by the seeder).
/// Where the generic layer keeps an app's user profile schema (getApplicationUserSchema and its updates).
fn user_schema_path(app_id: &str) -> String {
    format!("/api/v1/meta/schemas/apps/{app_id}/default")
}

/// The app user schema a real org creates with an app: the base `userName` property and an empty custom part.
fn default_user_schema(app_id: &str, body: &Map<String, Value>, at: DateTime<Utc>) -> Value {
    let name = body.get("name").and_then(Value::as_str).unwrap_or("app");
    let label = body.get("label").and_then(Value::as_str).unwrap_or(name);
    let stamp = at.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string();
    json!({
        "id": format!("#sim/meta/schemas/apps/{app_id}/default"),
        "$schema": "http://json-schema.org/draft-04/schema#",
        "name": name,
        "title": format!("{label} User"),
        "description": format!("{label} app user profile"),
        "type": "object",
        "created": stamp,
        "lastUpdated": stamp,
        "definitions": {
            "base": {
                "id": "#base",
                "type": "object",
                "properties": {
                    "userName": {
                        "title": "Username",
                        "type": "string",
                        "required": true,
                        "scope": "NONE",
                        "maxLength": 100,
                        "master": {"type": "PROFILE_MASTER"}
                    }
                },
                "required": ["userName"]
            },
            "custom": {"id": "#custom", "type": "object", "properties": {}, "required": []}
        },
        "properties": {
            "profile": {"allOf": [{"$ref": "#/definitions/custom"}, {"$ref": "#/definitions/base"}]}
        }
    })
}

pub fn insert_app(
    org: &mut Org,
    body: Map<String, Value>,
    active: bool,
    at: DateTime<Utc>,
) -> String {
    let id = org.new_id("0oa");
    let seq = org.next_seq();
    let mut body = clean_body(body);
    // Drawn from the org's generator (deterministic with --seed), only for OIDC apps.
    let secret = if is_oidc(&body) { org.random_string(40) } else { String::new() };
    oidc_defaults(&id, &mut body, None, secret);
    let secrets = super::app_secrets::initial(org, &body, at);
    // Every app has a user profile schema from the start (a real org answers it, never `{}`).
    let schema = default_user_schema(&id, &body, at);
    org.singletons.insert(user_schema_path(&id), schema);
    org.apps.insert(
        id.clone(),
        App {
            id: id.clone(),
            seq,
            status: if active { "ACTIVE" } else { "INACTIVE" }.into(),
            created: at,
            last_updated: at,
            body,
            secrets,
        },
    );
    id
}

pub fn create(ctx: &Ctx) -> ApiResult<Reply> {
    let body = ctx.json_object()?;
    validate(&body)?;
    let activate = ctx.query.flag("activate", true);
    ctx.store().write(|org| {
        let id = insert_app(org, body, activate, Utc::now());
        let a = &org.apps[&id];
        let (t, v) = (app_target(a), render(a, ctx.base()));
        logs::record(
            org,
            &ctx.actor,
            &ctx.request_id,
            "application.lifecycle.create",
            "Create application",
            vec![t.clone()],
        );
        if activate {
            logs::record(
                org,
                &ctx.actor,
                &ctx.request_id,
                "application.lifecycle.activate",
                "Activate application",
                vec![t],
            );
        }
        Ok(Reply::json(v))
    })
}

pub(super) fn app_or_404<'a>(org: &'a Org, id: &str) -> ApiResult<&'a App> {
    org.apps
        .get(id)
        .ok_or_else(|| ApiError::not_found(id, "AppInstance"))
}

pub fn get(ctx: &Ctx, id: &str) -> ApiResult<Reply> {
    ctx.store()
        .read(|org| Ok(Reply::json(render(app_or_404(org, id)?, ctx.base()))))
}

pub fn replace(ctx: &Ctx, id: &str) -> ApiResult<Reply> {
    let body = ctx.json_object()?;
    validate(&body)?;
    ctx.store().write(|org| {
        app_or_404(org, id)?;
        let secret = if is_oidc(&body) { org.random_string(40) } else { String::new() };
        let a = org.apps.get_mut(id).expect("checked");
        let name = a.name().to_string();
        let mut body = clean_body(body);
        body.insert("name".into(), json!(name));
        oidc_defaults(id, &mut body, Some(&a.body), secret);
        if org.apps[id].secrets.is_empty() {
            let secrets = super::app_secrets::initial(org, &body, Utc::now());
            org.apps.get_mut(id).expect("checked").secrets = secrets;
        }
        let a = org.apps.get_mut(id).expect("checked");
        a.body = body;
        a.last_updated = Utc::now();
        let (t, v) = (app_target(a), render(a, ctx.base()));
        logs::record(
            org,
            &ctx.actor,
            &ctx.request_id,
            "application.lifecycle.update",
            "Update application",
            vec![t],
        );
        Ok(Reply::json(v))
    })
}

pub fn delete(ctx: &Ctx, id: &str) -> ApiResult<Reply> {
    ctx.store().write(|org| {
        let a = app_or_404(org, id)?;
        if a.status != "INACTIVE" {
            return Err(ApiError::new(
                http::StatusCode::FORBIDDEN,
                "E0000056",
                "Delete application forbidden.",
            )
            .with_cause("The application must be deactivated before it can be deleted."));
        }
        let a = org.apps.shift_remove(id).expect("checked");
        org.singletons.remove(&user_schema_path(id));
        org.tombstones.insert(a.id.clone(), a.seq);
        org.app_users.shift_remove(id);
        org.app_groups.shift_remove(id);
        logs::record(
            org,
            &ctx.actor,
            &ctx.request_id,
            "application.lifecycle.delete",
            "Delete application",
            vec![app_target(&a)],
        );
        Ok(Reply::no_content())
    })
}

pub fn lifecycle(ctx: &Ctx, id: &str, op: &str) -> ApiResult<Reply> {
    let (status, event) = match op {
        "activate" => ("ACTIVE", "application.lifecycle.activate"),
        "deactivate" => ("INACTIVE", "application.lifecycle.deactivate"),
        _ => return Err(ApiError::unknown_path(&ctx.path)),
    };
    ctx.store().write(|org| {
        app_or_404(org, id)?;
        let a = org.apps.get_mut(id).expect("checked");
        if a.status != status {
            a.status = status.into();
            a.last_updated = Utc::now();
            let t = app_target(a);
            logs::record(
                org,
                &ctx.actor,
                &ctx.request_id,
                event,
                "Application lifecycle change",
                vec![t],
            );
        }
        Ok(Reply::empty(200))
    })
}

/// Users assigned to an app directly or through one of its groups.
fn assigned_users(org: &Org, app_id: &str) -> Vec<(String, &'static str)> {
    let mut out: Vec<(String, &'static str)> = Vec::new();
    if let Some(direct) = org.app_users.get(app_id) {
        out.extend(direct.keys().map(|u| (u.clone(), "USER")));
    }
    if let Some(gs) = org.app_groups.get(app_id) {
        for gid in gs.keys() {
            if let Some(g) = org.groups.get(gid) {
                let members: Vec<String> = if g.is_everyone() {
                    org.users.keys().cloned().collect()
                } else {
                    g.members.iter().cloned().collect()
                };
                for m in members {
                    if !out.iter().any(|(u, _)| *u == m) {
                        out.push((m, "GROUP"));
                    }
                }
            }
        }
    }
    out
}

/// `GET /api/v1/apps`: `filter` and `q`, no `search` (nor `sortBy`).
pub fn list(ctx: &Ctx) -> ApiResult<Reply> {
    let lq = ListQuery::parse(&ctx.query, LIMITS, None, &expr::APPS_FILTER)?;
    // Assignments are only put into the filtered document when the filter asks about them.
    let needs_members = ctx
        .query
        .get("filter")
        .is_some_and(|f| f.contains("user.id") || f.contains("group.id"));
    let base = ctx.base();
    let (page, next) = ctx
        .store()
        .read(|org| -> ApiResult<(Vec<Value>, Option<String>)> {
            let keep = |a: &App| {
                lq.text.as_deref().is_none_or(|t| {
                    a.name().to_lowercase().starts_with(t)
                        || a.label().to_lowercase().starts_with(t)
                })
            };
            let doc = |a: &App| {
                let mut doc = to_json(a);
                if needs_members {
                    let users: Vec<Value> = assigned_users(org, &a.id)
                        .into_iter()
                        .map(|(u, _)| json!({"id": u}))
                        .collect();
                    let groups: Vec<Value> = org
                        .app_groups
                        .get(&a.id)
                        .map(|g| g.keys().map(|k| json!({"id": k})).collect())
                        .unwrap_or_default();
                    doc["user"] = Value::Array(users);
                    doc["group"] = Value::Array(groups);
                }
                doc
            };
            let (page, next) = lq.page(org, &org.apps, keep, doc)?;
            Ok((page.into_iter().map(|a| render(a, base)).collect(), next))
        })?;
    Ok(ctx.page_reply(page, lq.limit, next))
}

fn app_user_json(org: &Org, app: &App, uid: &str, scope: &str, base: &str) -> Value {
    let u = &org.users[uid];
    let stored = org
        .app_users
        .get(&app.id)
        .and_then(|m| m.get(uid))
        .cloned()
        .unwrap_or(json!({}));
    let created = stored
        .get("created")
        .cloned()
        .unwrap_or(json!(ts(&app.created)));
    let last_updated = stored
        .get("lastUpdated")
        .cloned()
        .unwrap_or(created.clone());
    json!({
        "id": uid,
        "externalId": null,
        "created": created,
        "lastUpdated": last_updated,
        "scope": scope,
        "status": if u.status == users::DEPROVISIONED { "INACTIVE" } else { "PROVISIONED" },
        "statusChanged": last_updated,
        "passwordChanged": null,
        "syncState": "DISABLED",
        "credentials": stored.get("credentials").cloned().unwrap_or(json!({"userName": u.login()})),
        "profile": stored.get("profile").cloned().unwrap_or(json!({})),
        "_links": {
            "app": {"href": format!("{base}/api/v1/apps/{}", app.id)},
            "user": {"href": format!("{base}/api/v1/users/{uid}")},
        }
    })
}

pub fn list_users(ctx: &Ctx, id: &str) -> ApiResult<Reply> {
    let limit = paging::limit(&ctx.query, USER_LIMITS)?;
    let after = paging::after(&ctx.query);
    let text = ctx
        .query
        .get("q")
        .filter(|s| !s.is_empty())
        .map(str::to_lowercase);
    let base = ctx.base();
    let (page, next) = ctx
        .store()
        .read(|org| -> ApiResult<(Vec<Value>, Option<String>)> {
            let app = app_or_404(org, id)?;
            let mut items: Vec<(u64, (String, &'static str))> = assigned_users(org, id)
                .into_iter()
                .filter(|(u, _)| org.users.contains_key(u))
                .filter(|(u, _)| {
                    text.as_deref()
                        .is_none_or(|t| users::matches_q(&org.users[u], t))
                })
                .map(|(u, s)| (org.users[&u].seq, (u, s)))
                .collect();
            items.sort_by_key(|(s, _)| *s);
            let (page, next) =
                paging::page_after_cursor(org, items, after, limit, |(u, _)| u.clone())?;
            Ok((
                page.iter()
                    .map(|(u, s)| app_user_json(org, app, u, s, base))
                    .collect(),
                next,
            ))
        })?;
    Ok(ctx.page_reply(page, limit, next))
}

pub fn get_user(ctx: &Ctx, id: &str, uid: &str) -> ApiResult<Reply> {
    ctx.store().read(|org| {
        let app = app_or_404(org, id)?;
        match assigned_users(org, id).into_iter().find(|(u, _)| u == uid) {
            Some((u, scope)) if org.users.contains_key(&u) => {
                Ok(Reply::json(app_user_json(org, app, &u, scope, ctx.base())))
            }
            _ => Err(ApiError::not_found(uid, "AppUser")),
        }
    })
}

/// `POST /api/v1/apps/{id}/users` (assign, body `{id, ...}`) and `POST /api/v1/apps/{id}/users/{uid}` (update).
pub fn assign_user(ctx: &Ctx, id: &str, uid: Option<&str>) -> ApiResult<Reply> {
    let body = ctx.json_object()?;
    let uid = match uid {
        Some(u) => u.to_string(),
        None => body
            .get("id")
            .and_then(Value::as_str)
            .ok_or_else(|| ApiError::validation("id", "The field cannot be left blank"))?
            .to_string(),
    };
    ctx.store().write(|org| {
        app_or_404(org, id)?;
        let uid = users::resolve(org, &uid).ok_or_else(|| ApiError::not_found(&uid, "User"))?;
        let now = ts(&Utc::now());
        let entry = org.app_users.entry(id.to_string()).or_default();
        let fresh = !entry.contains_key(&uid);
        let mut stored = entry
            .get(&uid)
            .cloned()
            .unwrap_or_else(|| json!({"created": now}));
        stored["lastUpdated"] = json!(now);
        if let Some(c) = body.get("credentials") {
            stored["credentials"] = c.clone();
        }
        if let Some(p) = body.get("profile") {
            stored["profile"] = p.clone();
        }
        entry.insert(uid.clone(), stored);
        let app = &org.apps[id];
        let v = app_user_json(org, app, &uid, "USER", ctx.base());
        let (at, ut) = (app_target(app), users::user_target(&org.users[&uid]));
        let event = if fresh {
            "application.user_membership.add"
        } else {
            "application.user_membership.update"
        };
        logs::record(
            org,
            &ctx.actor,
            &ctx.request_id,
            event,
            "Application user membership change",
            vec![ut, at],
        );
        Ok(Reply::json(v))
    })
}

pub fn unassign_user(ctx: &Ctx, id: &str, uid: &str) -> ApiResult<Reply> {
    ctx.store().write(|org| {
        app_or_404(org, id)?;
        let removed = org.app_users.get_mut(id).and_then(|m| m.shift_remove(uid));
        if removed.is_none() {
            return Err(ApiError::not_found(uid, "AppUser"));
        }
        let at = app_target(&org.apps[id]);
        let mut targets = vec![at];
        if let Some(u) = org.users.get(uid) {
            targets.insert(0, users::user_target(u));
        }
        logs::record(
            org,
            &ctx.actor,
            &ctx.request_id,
            "application.user_membership.remove",
            "Remove user from application membership",
            targets,
        );
        Ok(Reply::no_content())
    })
}

fn app_group_json(app_id: &str, gid: &str, stored: &Value, base: &str) -> Value {
    json!({
        "id": gid,
        "lastUpdated": stored.get("lastUpdated").cloned().unwrap_or(Value::Null),
        "priority": stored.get("priority").cloned().unwrap_or(json!(0)),
        "profile": stored.get("profile").cloned().unwrap_or(json!({})),
        "_links": {
            "app": {"href": format!("{base}/api/v1/apps/{app_id}")},
            "group": {"href": format!("{base}/api/v1/groups/{gid}")},
        }
    })
}

pub fn list_groups(ctx: &Ctx, id: &str) -> ApiResult<Reply> {
    let limit = paging::limit(&ctx.query, GROUP_LIMITS)?;
    let after = paging::after(&ctx.query);
    let base = ctx.base();
    let (page, next) = ctx
        .store()
        .read(|org| -> ApiResult<(Vec<Value>, Option<String>)> {
            app_or_404(org, id)?;
            let mut items: Vec<(u64, (String, Value))> = org
                .app_groups
                .get(id)
                .map(|m| {
                    m.iter()
                        .filter_map(|(g, v)| {
                            org.groups.get(g).map(|gr| (gr.seq, (g.clone(), v.clone())))
                        })
                        .collect()
                })
                .unwrap_or_default();
            items.sort_by_key(|(s, _)| *s);
            let (page, next) =
                paging::page_after_cursor(org, items, after, limit, |(g, _)| g.clone())?;
            Ok((
                page.iter()
                    .map(|(g, v)| app_group_json(id, g, v, base))
                    .collect(),
                next,
            ))
        })?;
    Ok(ctx.page_reply(page, limit, next))
}

pub fn get_group(ctx: &Ctx, id: &str, gid: &str) -> ApiResult<Reply> {
    ctx.store().read(|org| {
        app_or_404(org, id)?;
        match org.app_groups.get(id).and_then(|m| m.get(gid)) {
            Some(v) => Ok(Reply::json(app_group_json(id, gid, v, ctx.base()))),
            None => Err(ApiError::not_found(gid, "AppGroupAssignment")),
        }
    })
}

pub fn assign_group(ctx: &Ctx, id: &str, gid: &str) -> ApiResult<Reply> {
    let body = ctx.json_object()?;
    ctx.store().write(|org| {
        app_or_404(org, id)?;
        if !org.groups.contains_key(gid) {
            return Err(ApiError::not_found(gid, "UserGroup"));
        }
        let mut stored = json!({"lastUpdated": ts(&Utc::now()), "priority": body.get("priority").cloned().unwrap_or(json!(0))});
        if let Some(p) = body.get("profile") {
            stored["profile"] = p.clone();
        }
        org.app_groups.entry(id.to_string()).or_default().insert(gid.to_string(), stored.clone());
        let at = app_target(&org.apps[id]);
        let g = &org.groups[gid];
        let gt = logs::target(&g.id, "UserGroup", g.name(), g.name());
        logs::record(org, &ctx.actor, &ctx.request_id, "application.user_membership.add", "Assign group to application", vec![gt, at]);
        Ok(Reply::json(app_group_json(id, gid, &stored, ctx.base())))
    })
}

/// `PATCH /api/v1/apps/{appId}/groups/{groupId}`: JSON Patch operations (`add`/`replace`/`remove`) on the
/// assignment's `priority` and `profile`.
pub fn patch_group(ctx: &Ctx, id: &str, gid: &str) -> ApiResult<Reply> {
    let ops = match ctx.json()? {
        Value::Array(ops) => ops,
        _ => return Err(ApiError::malformed_body()),
    };
    ctx.store().write(|org| {
        app_or_404(org, id)?;
        let Some(stored) = org.app_groups.get_mut(id).and_then(|m| m.get_mut(gid)) else {
            return Err(ApiError::not_found(gid, "AppGroupAssignment"));
        };
        let mut updated = stored.clone();
        for op in &ops {
            let path = op["path"].as_str().unwrap_or("");
            let parts: Vec<&str> = path.trim_start_matches('/').split('/').collect();
            if !matches!(parts.first(), Some(&"priority") | Some(&"profile")) {
                return Err(ApiError::validation(
                    "path",
                    &format!("{path} cannot be patched"),
                ));
            }
            let (parent_path, last) = parts.split_at(parts.len() - 1);
            let mut parent = &mut updated;
            for p in parent_path {
                if !parent[*p].is_object() {
                    parent[*p] = json!({});
                }
                parent = &mut parent[*p];
            }
            match op["op"].as_str() {
                Some("add") | Some("replace") => parent[last[0]] = op["value"].clone(),
                Some("remove") => {
                    if let Some(m) = parent.as_object_mut() {
                        m.remove(last[0]);
                    }
                }
                _ => {
                    return Err(ApiError::validation(
                        "op",
                        "Only add, replace and remove are supported",
                    ));
                }
            }
        }
        updated["lastUpdated"] = json!(ts(&Utc::now()));
        *stored = updated.clone();
        Ok(Reply::json(app_group_json(id, gid, &updated, ctx.base())))
    })
}

pub fn unassign_group(ctx: &Ctx, id: &str, gid: &str) -> ApiResult<Reply> {
    ctx.store().write(|org| {
        app_or_404(org, id)?;
        if org
            .app_groups
            .get_mut(id)
            .and_then(|m| m.shift_remove(gid))
            .is_none()
        {
            return Err(ApiError::not_found(gid, "AppGroupAssignment"));
        }
        let at = app_target(&org.apps[id]);
        logs::record(
            org,
            &ctx.actor,
            &ctx.request_id,
            "application.user_membership.remove",
            "Unassign group from application",
            vec![at],
        );
        Ok(Reply::no_content())
    })
}

/// `GET /api/v1/users/{id}/appLinks`.
pub fn app_links(ctx: &Ctx, key: &str) -> ApiResult<Reply> {
    let base = ctx.base();
    ctx.store().read(|org| {
        let uid = users::resolve(org, key).ok_or_else(|| ApiError::not_found(key, "User"))?;
        let ugroups = groups::groups_of(org, &uid);
        let mut out = Vec::new();
        for a in org.apps.values().filter(|a| a.status == "ACTIVE") {
            let direct = org
                .app_users
                .get(&a.id)
                .is_some_and(|m| m.contains_key(&uid));
            let via_group = org
                .app_groups
                .get(&a.id)
                .is_some_and(|m| m.keys().any(|g| ugroups.contains(g)));
            if direct || via_group {
                out.push(json!({
                    "id": format!("00ub{}", &a.id[4..]),
                    "label": a.label(),
                    "linkUrl": format!("{base}/home/{}/{}/link", a.name(), a.id),
                    "logoUrl": format!("{base}/assets/img/logos/default.png"),
                    "appName": a.name(),
                    "appInstanceId": a.id,
                    "appAssignmentId": format!("0ua{}", &a.id[3..]),
                    "credentialsSetup": false,
                    "hidden": false,
                    "sortOrder": out.len(),
                }));
            }
        }
        Ok(Reply::json(Value::Array(out)))
    })
}

/// `GET /api/v1/groups/{id}/apps`.
pub fn of_group(ctx: &Ctx, gid: &str) -> ApiResult<Reply> {
    let limit = paging::limit(&ctx.query, Limits::new(20, 200))?;
    let after = paging::after(&ctx.query);
    let base = ctx.base();
    let (page, next) = ctx
        .store()
        .read(|org| -> ApiResult<(Vec<Value>, Option<String>)> {
            if !org.groups.contains_key(gid) {
                return Err(ApiError::not_found(gid, "UserGroup"));
            }
            let items: Vec<(u64, &App)> = org
                .apps
                .values()
                .filter(|a| {
                    org.app_groups
                        .get(&a.id)
                        .is_some_and(|m| m.contains_key(gid))
                })
                .map(|a| (a.seq, a))
                .collect();
            let (page, next) =
                paging::page_after_cursor(org, items, after, limit, |a| a.id.clone())?;
            Ok((page.into_iter().map(|a| render(a, base)).collect(), next))
        })?;
    Ok(ctx.page_reply(page, limit, next))
}
