//! Resources simulated with behaviour, and the dispatcher that picks one (or the generic store) per request.

pub mod apps;
pub mod groups;
pub mod hooks;
pub mod logs;
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
        let mut r = Reply::json(Value::Array(items));
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

/// Routes a request that the route table knows to the handler that simulates it.
pub async fn dispatch(ctx: &Ctx, segs: &[String]) -> ApiResult<Reply> {
    let s: Vec<&str> = segs.iter().map(String::as_str).collect();
    let m = ctx.method.as_str();
    match (m, s.as_slice()) {
        // ---- users
        ("GET", ["api", "v1", "users"]) => users::list(ctx),
        ("POST", ["api", "v1", "users"]) => users::create(ctx),
        ("GET", ["api", "v1", "users", id]) => users::get(ctx, id),
        ("POST", ["api", "v1", "users", id]) => users::update(ctx, id, false),
        ("PUT", ["api", "v1", "users", id]) => users::update(ctx, id, true),
        ("DELETE", ["api", "v1", "users", id]) => users::delete(ctx, id),
        ("POST", ["api", "v1", "users", id, "lifecycle", op]) => users::lifecycle(ctx, id, op),
        ("GET", ["api", "v1", "users", id, "groups"]) => groups::of_user(ctx, id),
        ("GET", ["api", "v1", "users", id, "appLinks"]) => apps::app_links(ctx, id),
        ("DELETE", ["api", "v1", "users", id, "sessions"]) => users::clear_sessions(ctx, id),
        ("POST", ["api", "v1", "users", id, "credentials", op]) => users::credentials(ctx, id, op),
        // ---- groups
        ("GET", ["api", "v1", "groups"]) => groups::list(ctx),
        ("POST", ["api", "v1", "groups"]) => groups::create(ctx),
        ("GET", ["api", "v1", "groups", id]) => groups::get(ctx, id),
        ("PUT", ["api", "v1", "groups", id]) => groups::replace(ctx, id),
        ("DELETE", ["api", "v1", "groups", id]) => groups::delete(ctx, id),
        ("GET", ["api", "v1", "groups", id, "users"]) => groups::members(ctx, id),
        ("PUT", ["api", "v1", "groups", gid, "users", uid]) => groups::add_member(ctx, gid, uid),
        ("DELETE", ["api", "v1", "groups", gid, "users", uid]) => {
            groups::remove_member(ctx, gid, uid)
        }
        ("GET", ["api", "v1", "groups", id, "apps"]) => apps::of_group(ctx, id),
        // ---- apps
        ("GET", ["api", "v1", "apps"]) => apps::list(ctx),
        ("POST", ["api", "v1", "apps"]) => apps::create(ctx),
        ("GET", ["api", "v1", "apps", id]) => apps::get(ctx, id),
        ("PUT", ["api", "v1", "apps", id]) => apps::replace(ctx, id),
        ("DELETE", ["api", "v1", "apps", id]) => apps::delete(ctx, id),
        ("POST", ["api", "v1", "apps", id, "lifecycle", op]) => apps::lifecycle(ctx, id, op),
        ("GET", ["api", "v1", "apps", id, "users"]) => apps::list_users(ctx, id),
        ("POST", ["api", "v1", "apps", id, "users"]) => apps::assign_user(ctx, id, None),
        ("GET", ["api", "v1", "apps", id, "users", uid]) => apps::get_user(ctx, id, uid),
        ("POST", ["api", "v1", "apps", id, "users", uid]) => apps::assign_user(ctx, id, Some(uid)),
        ("DELETE", ["api", "v1", "apps", id, "users", uid]) => apps::unassign_user(ctx, id, uid),
        ("GET", ["api", "v1", "apps", id, "groups"]) => apps::list_groups(ctx, id),
        ("GET", ["api", "v1", "apps", id, "groups", gid]) => apps::get_group(ctx, id, gid),
        ("PUT", ["api", "v1", "apps", id, "groups", gid]) => apps::assign_group(ctx, id, gid),
        ("DELETE", ["api", "v1", "apps", id, "groups", gid]) => apps::unassign_group(ctx, id, gid),
        // ---- system log
        ("GET", ["api", "v1", "logs"]) => logs::list(ctx),
        // ---- event hooks
        ("GET", ["api", "v1", "eventHooks"]) => hooks::list(ctx),
        ("POST", ["api", "v1", "eventHooks"]) => hooks::create(ctx),
        ("GET", ["api", "v1", "eventHooks", id]) => hooks::get(ctx, id),
        ("PUT", ["api", "v1", "eventHooks", id]) => hooks::replace(ctx, id),
        ("DELETE", ["api", "v1", "eventHooks", id]) => hooks::delete(ctx, id),
        ("POST", ["api", "v1", "eventHooks", id, "lifecycle", "verify"]) => {
            hooks::verify(ctx, id).await
        }
        ("POST", ["api", "v1", "eventHooks", id, "lifecycle", op]) => hooks::lifecycle(ctx, id, op),
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
