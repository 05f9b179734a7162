//! Resources simulated with behaviour, and the dispatcher that picks one (or the generic store) per request.

pub mod app_jwks;
pub mod app_secrets;
pub mod apps;
pub mod authservers;
pub mod brands;
pub mod factors;
pub mod groups;
pub mod hooks;
pub mod idps;
pub mod linked_objects;
pub mod logs;
pub mod org;
pub mod policies;
pub mod roles;
pub mod sessions;
pub mod users;

use std::sync::Arc;

use bytes::Bytes;
use http::{HeaderMap, Method};
use serde_json::{Map, Value};

use crate::errors::{ApiError, ApiResult};
use crate::reply::Reply;
use crate::routes::Route;
use crate::server::AppState;
use crate::store::Store;
use crate::util::Query;
use logs::Actor;

/// One API request, as handlers see it.
pub struct Ctx {
    pub state: Arc<AppState>,
    pub method: Method,
    /// The raw (still percent-encoded) path.
    pub path: String,
    pub raw_query: Option<String>,
    pub query: Query,
    pub headers: HeaderMap,
    pub body: Bytes,
    pub route: &'static Route,
    pub actor: Actor,
    pub request_id: String,
}

impl Ctx {
    pub fn base(&self) -> &str {
        &self.state.base_url
    }
    pub fn store(&self) -> &Store {
        &self.state.store
    }
    /// The body as JSON; an empty body is `{}`; anything unparsable is 400 E0000003.
    pub fn json(&self) -> ApiResult<Value> {
        if self.body.iter().all(|b| b.is_ascii_whitespace()) {
            return Ok(Value::Object(Map::new()));
        }
        serde_json::from_slice(&self.body).map_err(|_| ApiError::malformed_body())
    }
    /// The body as a JSON object.
    pub fn json_object(&self) -> ApiResult<Map<String, Value>> {
        match self.json()? {
            Value::Object(m) => Ok(m),
            _ => Err(ApiError::malformed_body()),
        }
    }
    /// `Link` headers and the JSON array of a page.
    pub fn page_reply(&self, items: Vec<Value>, limit: usize, next: Option<String>) -> Reply {
        self.with_page_links(Reply::json(Value::Array(items)), limit, next)
    }
    /// `Link` headers and a page whose JSON array is already written (see [`PageWriter`]).
    pub fn page_reply_bytes(&self, page: PageWriter, limit: usize, next: Option<String>) -> Reply {
        let r = Reply {
            body: crate::reply::ReplyBody::JsonBytes(page.finish()),
            ..Reply::json(Value::Null)
        };
        self.with_page_links(r, limit, next)
    }
    fn with_page_links(&self, mut r: Reply, limit: usize, next: Option<String>) -> Reply {
        for l in crate::paging::links(
            self.base(),
            &self.path,
            self.raw_query.as_deref(),
            &self.query,
            limit,
            next.as_deref(),
        ) {
            r = r.header("link", l);
        }
        r
    }
}

/// The JSON array of a list page, built by appending each record's bytes: the same bytes as
/// `serde_json::to_vec` of the array of their `Value`s.
pub struct PageWriter {
    buf: Vec<u8>,
    empty: bool,
}

impl PageWriter {
    /// `capacity`: a guess of the page's size in bytes, so the buffer grows once or never.
    pub fn with_capacity(capacity: usize) -> Self {
        let mut buf = Vec::with_capacity(capacity);
        buf.push(b'[');
        PageWriter { buf, empty: true }
    }
    /// The buffer to write the next element into (the separator is already there).
    pub fn item(&mut self) -> &mut Vec<u8> {
        if !self.empty {
            self.buf.push(b',');
        }
        self.empty = false;
        &mut self.buf
    }
    pub fn finish(mut self) -> Vec<u8> {
        self.buf.push(b']');
        self.buf
    }
}

/// Routes a request that the route table knows to the handler that simulates it.
pub async fn dispatch(ctx: &Ctx, segs: &[String]) -> ApiResult<Reply> {
    let s: Vec<&str> = segs.iter().map(String::as_str).collect();
    let m = ctx.method.as_str();
    // Match on the route's template, not the concrete path: `/api/v1/groups/rules` is listGroupRules (the route
    // table prefers literals), and must not fall into the `/api/v1/groups/{groupId}` handler.
    let t: Vec<&str> = ctx
        .route
        .segs
        .iter()
        .map(|seg| match seg {
            crate::routes::Seg::Lit(l) => l.as_str(),
            crate::routes::Seg::Param(_) => "{}",
        })
        .collect();
    match (m, t.as_slice()) {
        // ---- users
        ("GET", ["api", "v1", "users"]) => users::list(ctx),
        ("POST", ["api", "v1", "users"]) => users::create(ctx),
        ("GET", ["api", "v1", "users", "{}"]) => users::get(ctx, s[3]),
        ("POST", ["api", "v1", "users", "{}"]) => users::update(ctx, s[3], false),
        ("PUT", ["api", "v1", "users", "{}"]) => users::update(ctx, s[3], true),
        ("DELETE", ["api", "v1", "users", "{}"]) => users::delete(ctx, s[3]),
        ("POST", ["api", "v1", "users", "{}", "lifecycle", _]) => users::lifecycle(ctx, s[3], s[5]),
        ("GET", ["api", "v1", "users", "{}", "groups"]) => groups::of_user(ctx, s[3]),
        ("GET", ["api", "v1", "users", "{}", "factors", "catalog"]) => {
            check_parents(ctx, &s)?;
            factors::catalog(ctx, s[3])
        }
        ("GET", ["api", "v1", "users", "{}", "factors", "questions"]) => {
            check_parents(ctx, &s)?;
            factors::questions(ctx)
        }
        ("POST", ["api", "v1", "users", "{}", "factors", "{}", "verify"]) => {
            check_parents(ctx, &s)?;
            factors::verify(ctx, s[3], s[5])
        }
        ("GET", ["api", "v1", "users", "{}", "appLinks"]) => apps::app_links(ctx, s[3]),
        ("DELETE", ["api", "v1", "users", "{}", "sessions"]) => users::clear_sessions(ctx, s[3]),
        ("POST", ["api", "v1", "users", "{}", "credentials", _]) => {
            users::credentials(ctx, s[3], s[5])
        }
        // ---- groups
        ("GET", ["api", "v1", "groups"]) => groups::list(ctx),
        ("POST", ["api", "v1", "groups"]) => groups::create(ctx),
        ("GET", ["api", "v1", "groups", "{}"]) => groups::get(ctx, s[3]),
        ("PUT", ["api", "v1", "groups", "{}"]) => groups::replace(ctx, s[3]),
        ("DELETE", ["api", "v1", "groups", "{}"]) => groups::delete(ctx, s[3]),
        ("GET", ["api", "v1", "groups", "{}", "users"]) => groups::members(ctx, s[3]),
        ("PUT", ["api", "v1", "groups", "{}", "users", "{}"]) => {
            groups::add_member(ctx, s[3], s[5])
        }
        ("DELETE", ["api", "v1", "groups", "{}", "users", "{}"]) => {
            groups::remove_member(ctx, s[3], s[5])
        }
        ("GET", ["api", "v1", "groups", "{}", "apps"]) => apps::of_group(ctx, s[3]),
        // ---- apps
        ("GET", ["api", "v1", "apps"]) => apps::list(ctx),
        ("POST", ["api", "v1", "apps"]) => apps::create(ctx),
        ("GET", ["api", "v1", "apps", "{}"]) => apps::get(ctx, s[3]),
        ("PUT", ["api", "v1", "apps", "{}"]) => apps::replace(ctx, s[3]),
        ("DELETE", ["api", "v1", "apps", "{}"]) => apps::delete(ctx, s[3]),
        ("POST", ["api", "v1", "apps", "{}", "lifecycle", _]) => apps::lifecycle(ctx, s[3], s[5]),
        ("GET", ["api", "v1", "apps", "{}", "credentials", "secrets"]) => app_secrets::list(ctx, s[3]),
        ("POST", ["api", "v1", "apps", "{}", "credentials", "secrets"]) => app_secrets::add(ctx, s[3]),
        ("GET", ["api", "v1", "apps", "{}", "credentials", "secrets", "{}"]) => {
            app_secrets::get(ctx, s[3], s[6])
        }
        ("DELETE", ["api", "v1", "apps", "{}", "credentials", "secrets", "{}"]) => {
            app_secrets::delete(ctx, s[3], s[6])
        }
        ("POST", ["api", "v1", "apps", "{}", "credentials", "secrets", "{}", "lifecycle", _]) => {
            app_secrets::lifecycle(ctx, s[3], s[6], s[8])
        }
        ("GET", ["api", "v1", "apps", "{}", "credentials", "jwks"]) => app_jwks::list(ctx, s[3]),
        ("POST", ["api", "v1", "apps", "{}", "credentials", "jwks"]) => app_jwks::add(ctx, s[3]),
        ("GET", ["api", "v1", "apps", "{}", "credentials", "jwks", "{}"]) => {
            app_jwks::get(ctx, s[3], s[6])
        }
        ("DELETE", ["api", "v1", "apps", "{}", "credentials", "jwks", "{}"]) => {
            app_jwks::delete(ctx, s[3], s[6])
        }
        ("POST", ["api", "v1", "apps", "{}", "credentials", "jwks", "{}", "lifecycle", _]) => {
            app_jwks::lifecycle(ctx, s[3], s[6], s[8])
        }
        ("GET", ["api", "v1", "apps", "{}", "users"]) => apps::list_users(ctx, s[3]),
        ("POST", ["api", "v1", "apps", "{}", "users"]) => apps::assign_user(ctx, s[3], None),
        ("GET", ["api", "v1", "apps", "{}", "users", "{}"]) => apps::get_user(ctx, s[3], s[5]),
        ("POST", ["api", "v1", "apps", "{}", "users", "{}"]) => {
            apps::assign_user(ctx, s[3], Some(s[5]))
        }
        ("DELETE", ["api", "v1", "apps", "{}", "users", "{}"]) => {
            apps::unassign_user(ctx, s[3], s[5])
        }
        ("GET", ["api", "v1", "apps", "{}", "groups"]) => apps::list_groups(ctx, s[3]),
        ("GET", ["api", "v1", "apps", "{}", "groups", "{}"]) => apps::get_group(ctx, s[3], s[5]),
        ("PUT", ["api", "v1", "apps", "{}", "groups", "{}"]) => apps::assign_group(ctx, s[3], s[5]),
        ("PATCH", ["api", "v1", "apps", "{}", "groups", "{}"]) => {
            apps::patch_group(ctx, s[3], s[5])
        }
        ("DELETE", ["api", "v1", "apps", "{}", "groups", "{}"]) => {
            apps::unassign_group(ctx, s[3], s[5])
        }
        // ---- linked-object values between users
        ("PUT", ["api", "v1", "users", "{}", "linkedObjects", "{}", "{}"]) => {
            linked_objects::assign(ctx, s[3], s[5], s[6])
        }
        ("GET", ["api", "v1", "users", "{}", "linkedObjects", "{}"]) => {
            linked_objects::list(ctx, s[3], s[5])
        }
        ("DELETE", ["api", "v1", "users", "{}", "linkedObjects", "{}"]) => {
            linked_objects::remove(ctx, s[3], s[5])
        }
        // ---- authorization servers: trust between servers
        (
            "POST",
            [
                "api",
                "v1",
                "authorizationServers",
                "{}",
                "associatedServers",
            ],
        ) => authservers::associate(ctx, s[3]),
        (
            "GET",
            [
                "api",
                "v1",
                "authorizationServers",
                "{}",
                "associatedServers",
            ],
        ) => authservers::associated(ctx, s[3]),
        (
            "DELETE",
            [
                "api",
                "v1",
                "authorizationServers",
                "{}",
                "associatedServers",
                "{}",
            ],
        ) => authservers::dissociate(ctx, s[3], s[5]),
        // ---- system log
        ("GET", ["api", "v1", "logs"]) => logs::list(ctx),
        // ---- event hooks
        ("GET", ["api", "v1", "eventHooks"]) => hooks::list(ctx),
        ("POST", ["api", "v1", "eventHooks"]) => hooks::create(ctx),
        ("GET", ["api", "v1", "eventHooks", "{}"]) => hooks::get(ctx, s[3]),
        ("PUT", ["api", "v1", "eventHooks", "{}"]) => hooks::replace(ctx, s[3]),
        ("DELETE", ["api", "v1", "eventHooks", "{}"]) => hooks::delete(ctx, s[3]),
        ("POST", ["api", "v1", "eventHooks", "{}", "lifecycle", "verify"]) => {
            hooks::verify(ctx, s[3]).await
        }
        ("POST", ["api", "v1", "eventHooks", "{}", "lifecycle", _]) => {
            hooks::lifecycle(ctx, s[3], s[5])
        }
        // ---- OAuth endpoints
        (_, ["oauth2", ..]) | (_, [".well-known", "openid-configuration"]) => {
            crate::oauth::handle(ctx, &s).await
        }
        // ---- everything else the facts know
        _ => {
            check_parents(ctx, &s)?;
            crate::generic::handle(ctx, &s)
        }
    }
}

/// For generic sub-resources of users, groups and apps (`/api/v1/users/{id}/factors`, ...): the parent must exist.
fn check_parents(ctx: &Ctx, s: &[&str]) -> ApiResult<()> {
    if s.len() < 5 || !matches!(ctx.route.segs.get(3), Some(crate::routes::Seg::Param(_))) {
        return Ok(());
    }
    let id = s[3];
    match s[2] {
        "users" if id != "me" => ctx.store().read(|o| {
            users::resolve(o, id)
                .map(|_| ())
                .ok_or_else(|| ApiError::not_found(id, "User"))
        }),
        "groups" => ctx.store().read(|o| {
            if o.groups.contains_key(id) {
                Ok(())
            } else {
                Err(ApiError::not_found(id, "UserGroup"))
            }
        }),
        "apps" if s.len() >= 5 => ctx.store().read(|o| {
            if o.apps.contains_key(id) {
                Ok(())
            } else {
                Err(ApiError::not_found(id, "AppInstance"))
            }
        }),
        _ => Ok(()),
    }
}

/// Rules a real org applies when a member of a generic collection is created (priorities, types, defaults).
pub fn on_generic_create(
    ctx: &Ctx,
    org: &mut crate::store::Org,
    collection: &str,
    m: &mut Map<String, Value>,
) -> ApiResult<()> {
    let id = m
        .get("id")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    match ctx.route.template.as_str() {
        "/api/v1/policies" => policies::on_create(org, collection, m),
        "/api/v1/policies/{policyId}/rules"
        | "/api/v1/authorizationServers/{authServerId}/policies/{policyId}/rules" => {
            policies::on_create_rule(org, collection, m)
        }
        "/api/v1/authorizationServers/{authServerId}/policies" => {
            policies::on_create_server_policy(org, collection, m)
        }
        "/api/v1/authorizationServers" => authservers::on_create(org, &id, m),
        "/api/v1/authorizationServers/{authServerId}/scopes" => authservers::on_create_scope(m),
        "/api/v1/authorizationServers/{authServerId}/claims" => authservers::on_create_claim(m),
        "/api/v1/users/{userId}/factors" => factors::on_enroll(ctx, m),
        "/api/v1/users/{userId}/roles" => roles::on_assign(m, "USER"),
        "/api/v1/groups/{groupId}/roles" => roles::on_assign(m, "GROUP"),
        "/api/v1/idps" => idps::on_create(m),
        "/api/v1/brands" => {
            brands::populate(org, &id);
            Ok(())
        }
        "/api/v1/groups/rules" => {
            m.insert("type".into(), serde_json::json!("group_rule"));
            Ok(())
        }
        "/api/v1/zones" => {
            m.insert("system".into(), serde_json::json!(false));
            m.entry("usage").or_insert(serde_json::json!("POLICY"));
            Ok(())
        }
        "/api/v1/trustedOrigins" | "/api/v1/meta/types/user" => {
            m.insert("createdBy".into(), serde_json::json!(ctx.actor.id));
            m.insert("lastUpdatedBy".into(), serde_json::json!(ctx.actor.id));
            if ctx.route.template == "/api/v1/meta/types/user" {
                m.insert("default".into(), serde_json::json!(false));
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

/// Rules of a lifecycle action on a generic member beyond its `status` (a factor's activation code, ...).
pub fn on_generic_lifecycle(ctx: &Ctx, member: &mut Value, op: &str) -> ApiResult<()> {
    match (ctx.route.template.as_str(), op) {
        ("/api/v1/users/{userId}/factors/{factorId}/lifecycle/activate", _) => {
            factors::on_activate(ctx, member)
        }
        ("/api/v1/sessions/{sessionId}/lifecycle/refresh", _) => {
            sessions::refresh(member);
            Ok(())
        }
        _ => Ok(()),
    }
}

/// Actions on single paths that answer something other than the stored object (sessions, key rotation).
pub fn on_generic_action(ctx: &Ctx, segs: &[&str], body: &Value) -> ApiResult<Option<Reply>> {
    Ok(Some(match ctx.route.template.as_str() {
        "/api/v1/sessions" => sessions::create(ctx, body)?,
        "/api/v1/authorizationServers/{authServerId}/credentials/lifecycle/keyRotate" => {
            authservers::rotate_keys(ctx, segs[3])?
        }
        "/api/v1/org/privacy/oktaSupport/grant"
        | "/api/v1/org/privacy/oktaSupport/extend"
        | "/api/v1/org/privacy/oktaSupport/revoke" => org::support(ctx, segs[segs.len() - 1]),
        _ => return Ok(None),
    }))
}
