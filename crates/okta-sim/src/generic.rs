//! Every other path the facts know, answered as stored JSON by path, so every generated command can be
//! exercised against the simulator. The facts drive the details: answer schemas, list filters, defaults.
//!
//! - A template ending in a parameter (`/api/v1/trustedOrigins/{id}`) addresses a member of the collection at
//!   its parent path, by id or, for resources keyed by a name, by `name` / `primary.name` / `associated.name`:
//!   GET → the member or 404 E0000007; PUT → replace (created if absent; server-owned fields survive);
//!   POST/PATCH → deep merge; DELETE → remove.
//! - A template ending in a literal whose GET answers a list (`/api/v1/trustedOrigins`), or an object wrapping one
//!   list (`/api/v1/domains` → `{"domains": [...]}`): GET → the stored members, filtered by the query parameters
//!   the facts define (`type`, `status`, `q`, `filter`, `search`, ...), paged with the route's limits; POST → create
//!   (id, created, lastUpdated; `status` from the schema: ACTIVE, or INACTIVE with `activate=false`).
//! - `…/lifecycle/activate|deactivate|…` → sets the member's `status`; members carry the lifecycle `_links` their
//!   status allows.
//! - Any other literal path is a single object: GET → stored or `{}`; PUT/POST/PATCH → store; DELETE → remove.
//!
//! Every JSON answer is conformed to the facts' schema for its status (required properties a real org always
//! sends are added, a list stays a list); the status code and whether a body is sent come from the facts.

use chrono::Utc;
use serde_json::{Map, Value, json};

use crate::errors::{ApiError, ApiResult};
use crate::facts::Facts;
use crate::paging::{self, Limits};
use crate::reply::Reply;
use crate::resources::Ctx;
use crate::routes::{BodyKind, RouteTable, Seg};
use crate::schema;
use crate::util::ts;

fn concrete(segs: &[&str]) -> String {
    format!("/{}", segs.join("/"))
}

/// A readable kind name for 404s: the tag-like last literal before the id (`trustedOrigins` → `TrustedOrigin`).
fn kind_of(segs: &[&str]) -> String {
    let word = segs
        .get(segs.len().saturating_sub(2))
        .copied()
        .unwrap_or("Resource");
    let mut k: String = word
        .chars()
        .take(1)
        .flat_map(char::to_uppercase)
        .chain(word.chars().skip(1))
        .collect();
    if k.ends_with('s') && k.len() > 1 {
        k.pop();
    }
    k
}

fn id_prefix(collection: &str) -> String {
    // Stable per collection: "0" + two letters of the last path word, like Okta's 3-character prefixes.
    let word = collection.rsplit('/').next().unwrap_or("x");
    let letters: String = word
        .chars()
        .filter(|c| c.is_ascii_alphabetic())
        .take(2)
        .collect::<String>()
        .to_lowercase();
    format!("0{letters:x<2}")
}

/// Records a System Log event for a generic change: `<kind>.lifecycle.<action>` on the member.
fn log_change(org: &mut crate::store::Org, ctx: &Ctx, collection: &str, id: &str, action: &str) {
    let word = collection.rsplit('/').next().unwrap_or("resource");
    let mut kind: String = word
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect::<String>();
    if kind.ends_with('s') {
        kind.pop();
    }
    let kind = kind.to_lowercase();
    let target = crate::resources::logs::target(id, &kind, id, id);
    crate::resources::logs::record(
        org,
        &ctx.actor,
        &ctx.request_id,
        &format!("{kind}.lifecycle.{action}"),
        &format!("{action} {kind}"),
        vec![target],
    );
}

/// Adds `_links`: keeps stored ones, sets `self`, and offers the lifecycle actions the member's status allows.
fn with_links(mut v: Value, self_href: &str, member_template: Option<&str>) -> Value {
    let status = v
        .get("status")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let actions = member_template
        .map(|t| RouteTable::global().lifecycle_actions(t))
        .unwrap_or_default();
    let Value::Object(m) = &mut v else { return v };
    let links = m.entry("_links").or_insert_with(|| json!({}));
    if !links.is_object() {
        *links = json!({});
    }
    let l = links.as_object_mut().expect("links object");
    l.entry("self")
        .or_insert_with(|| json!({"href": self_href}));
    for a in actions {
        let offered = match a {
            "activate" => status != "ACTIVE",
            "deactivate" => status == "ACTIVE",
            _ => true,
        };
        if offered {
            l.insert(
                a.to_string(),
                json!({"href": format!("{self_href}/lifecycle/{a}"), "hints": {"allow": ["POST"]}}),
            );
        } else {
            l.remove(a);
        }
    }
    v
}

fn respond(ctx: &Ctx, mut v: Value) -> Reply {
    match ctx.route.body {
        BodyKind::None => Reply::empty(ctx.route.status),
        BodyKind::Text => Reply {
            status: http::StatusCode::from_u16(ctx.route.status).unwrap_or(http::StatusCode::OK),
            headers: Vec::new(),
            body: crate::reply::ReplyBody::Text(
                v.as_str()
                    .map(str::to_string)
                    .unwrap_or_else(|| v.to_string()),
                "text/plain",
            ),
        },
        _ => {
            if let Some(node) =
                Facts::global().response_schema(&ctx.route.operation_id, ctx.route.status)
            {
                schema::conform(&mut v, node);
            }
            with_base(&mut v, ctx.base());
            Reply::json_status(ctx.route.status, v)
        }
    }
}

/// Day-one data names the org's own URL `{base}` (an issuer, a link): fill it in.
fn with_base(v: &mut Value, base: &str) {
    match v {
        Value::String(s) if s.starts_with("{base}") => *s = s.replacen("{base}", base, 1),
        Value::Array(a) => a.iter_mut().for_each(|x| with_base(x, base)),
        Value::Object(m) => m.values_mut().for_each(|x| with_base(x, base)),
        _ => {}
    }
}

/// The stored key of a member addressed by id or, for resources keyed otherwise, by what the template's
/// parameter names: a name (linked objects by `primary.name`/`associated.name`, email templates), a label
/// (`{roleIdOrLabel}`), a type (`{methodType}` → `type`), or the field the parameter is named after
/// (`{contactType}`, `{notificationType}`, `{aaguid}`).
fn member_key(c: &indexmap::IndexMap<String, Value>, key: &str, param: &str) -> Option<String> {
    if c.contains_key(key) {
        return Some(key.to_string());
    }
    let by_type = param.ends_with("Type");
    c.iter()
        .find(|(_, v)| {
            v["name"] == key
                || v["primary"]["name"] == key
                || v["associated"]["name"] == key
                || v["label"] == key
                || v[param] == key
                || (by_type && v["type"] == key)
        })
        .map(|(k, _)| k.clone())
}

/// JSON merge: objects merge recursively, `null` removes, anything else replaces.
fn deep_merge(into: &mut Value, patch: Value) {
    match (into, patch) {
        (Value::Object(a), Value::Object(b)) => {
            for (k, v) in b {
                if v.is_null() {
                    a.remove(&k);
                } else {
                    deep_merge(a.entry(k).or_insert(Value::Null), v);
                }
            }
        }
        (slot, v) => *slot = v,
    }
}

/// Resources a real org creates INACTIVE even though they have no `activate` parameter.
fn created_inactive(template: &str) -> bool {
    template == "/api/v1/groups/rules"
}

/// The `status` a new member starts with: what the body asks if the schema allows it; ACTIVE (INACTIVE with
/// `activate=false`) where the schema's statuses include ACTIVE; else the schema's default or first value.
/// None when the resource has no status.
fn initial_status(ctx: &Ctx, body: &Map<String, Value>) -> Option<Value> {
    let facts = Facts::global();
    let op = ctx.route.operation_id.as_str();
    let node = facts.response_schema(op, ctx.route.status)?;
    let as_value = Value::Object(body.clone());
    let p = schema::property(node, "status", Some(&as_value))?;
    let allowed = schema::enum_values(p);
    if let Some(s) = body.get("status").and_then(Value::as_str)
        && (allowed.is_empty() || allowed.iter().any(|a| a == s))
    {
        return Some(json!(s));
    }
    if allowed.iter().any(|a| a == "ACTIVE") {
        let activate = if facts.query_params(op).contains(&"activate") {
            let default = facts
                .query_default(op, "activate")
                .and_then(Value::as_bool)
                .unwrap_or(true);
            ctx.query.flag("activate", default)
        } else {
            !created_inactive(&ctx.route.template)
        };
        return Some(json!(if activate { "ACTIVE" } else { "INACTIVE" }));
    }
    p.get("default")
        .filter(|d| !d.is_null())
        .cloned()
        .or_else(|| allowed.first().map(|s| json!(s)))
}

/// The status a lifecycle action leads to, in the vocabulary the member already uses.
fn lifecycle_status(op: &str, current: &str) -> Option<&'static str> {
    let enabled_style = matches!(current, "ENABLED" | "DISABLED");
    match op {
        "activate" | "unsuspend" | "reactivate" => Some("ACTIVE"),
        "enable" if enabled_style => Some("ENABLED"),
        "enable" => Some("ACTIVE"),
        "deactivate" => Some("INACTIVE"),
        "disable" if enabled_style => Some("DISABLED"),
        "disable" => Some("INACTIVE"),
        "suspend" => Some("SUSPENDED"),
        _ => None,
    }
}

/// Query parameters that shape paging or expansion, never a filter.
const NOT_FILTERS: &[&str] = &[
    "limit",
    "after",
    "before",
    "cursor",
    "expand",
    "sortBy",
    "sortOrder",
    "activate",
];

/// The filters of a generic list: the query parameters the facts define for the operation.
struct ListFilter {
    q: Option<String>,
    expr: Vec<crate::expr::Expr>,
    fields: Vec<(String, Vec<String>)>,
}

impl ListFilter {
    fn from(ctx: &Ctx) -> ApiResult<ListFilter> {
        let defined = Facts::global().query_params(&ctx.route.operation_id);
        let mut f = ListFilter {
            q: None,
            expr: Vec::new(),
            fields: Vec::new(),
        };
        for (k, v) in &ctx.query.pairs {
            if !defined.contains(&k.as_str()) || NOT_FILTERS.contains(&k.as_str()) || v.is_empty() {
                continue;
            }
            match k.as_str() {
                "q" => f.q = Some(v.to_lowercase()),
                "filter" | "search" => f.expr.push(
                    crate::expr::compile(v, &crate::expr::ANY).map_err(ApiError::invalid_search)?,
                ),
                _ => f.fields.push((
                    k.clone(),
                    v.split(',').map(|s| s.trim().to_lowercase()).collect(),
                )),
            }
        }
        Ok(f)
    }

    fn keeps(&self, item: &Value) -> bool {
        if let Some(q) = &self.q {
            let texts = [
                &item["name"],
                &item["displayName"],
                &item["label"],
                &item["origin"],
                &item["profile"]["name"],
                &item["primary"]["name"],
                &item["associated"]["name"],
            ];
            if !texts
                .iter()
                .filter_map(|t| t.as_str())
                .any(|t| t.to_lowercase().contains(q.as_str()))
            {
                return false;
            }
        }
        if !self.expr.iter().all(|e| crate::expr::eval(e, item)) {
            return false;
        }
        self.fields.iter().all(|(k, wanted)| {
            let field = k.split('.').try_fold(item, |v, part| v.get(part));
            match field {
                // A parameter the stored member does not carry cannot rule it out.
                None | Some(Value::Null) => true,
                Some(Value::String(s)) => wanted.contains(&s.to_lowercase()),
                Some(other @ (Value::Bool(_) | Value::Number(_))) => {
                    wanted.contains(&other.to_string().to_lowercase())
                }
                Some(_) => true,
            }
        })
    }
}

/// How a collection's GET answers: a JSON array, or an object with one array property (`{"domains": [...]}`).
fn list_shape(template: &str) -> Option<Option<String>> {
    let table = RouteTable::global();
    let get = table
        .routes
        .iter()
        .find(|r| r.method == "GET" && r.template == template)?;
    if get.body == BodyKind::Array {
        return Some(None);
    }
    table.member_template(template)?;
    let node = Facts::global().response_schema(&get.operation_id, 200)?;
    schema::single_array_property(node).map(Some)
}

fn member_path_template(ctx: &Ctx, n: usize) -> String {
    ctx.route.segs[..n]
        .iter()
        .map(|s| match s {
            Seg::Lit(l) => format!("/{l}"),
            Seg::Param(p) => format!("/{{{p}}}"),
        })
        .collect()
}

pub fn handle(ctx: &Ctx, segs: &[&str]) -> ApiResult<Reply> {
    let route = ctx.route;
    if ctx.method == http::Method::OPTIONS {
        return Ok(Reply::empty(route.status).header("allow", "OPTIONS, POST"));
    }
    let path = concrete(segs);
    let base = ctx.base().to_string();
    let method = ctx.method.as_str();
    let last_param = match route.segs.last() {
        Some(Seg::Param(p)) => Some(p.as_str()),
        _ => None,
    };

    // Lifecycle actions on a member: …/{id}/lifecycle/<op>, or …/{id}/{lifecycle} (features).
    let lifecycle_at = if method == "POST"
        && segs.len() >= 3
        && segs[segs.len() - 2] == "lifecycle"
        && last_param.is_none()
    {
        Some(segs.len() - 2)
    } else if method == "POST" && last_param == Some("lifecycle") {
        Some(segs.len() - 1)
    } else {
        None
    };
    // …/credentials/lifecycle/keyRotate, …/connections/default/lifecycle/activate: an action on a single object.
    let lifecycle_at =
        lifecycle_at.filter(|at| matches!(route.segs.get(at - 1), Some(Seg::Param(_))));
    if let Some(at) = lifecycle_at {
        let op = segs[segs.len() - 1];
        let member_path = concrete(&segs[..at]);
        let member_template = member_path_template(ctx, at);
        let (coll, key) = member_path.rsplit_once('/').unwrap_or(("", ""));
        let (coll, key) = (coll.to_string(), key.to_string());
        let kind = kind_of(&segs[..at]);
        let param = match route.segs.get(at - 1) {
            Some(Seg::Param(p)) => p.clone(),
            _ => String::new(),
        };
        return ctx.store().write(|org| {
            let id = org
                .generic
                .get(&coll)
                .and_then(|c| member_key(c, &key, &param))
                .ok_or_else(|| ApiError::not_found(&key, &kind))?;
            let m = org
                .generic
                .get_mut(&coll)
                .and_then(|c| c.get_mut(&id))
                .expect("member found above");
            let current = m["status"].as_str().unwrap_or("").to_string();
            let mut updated = m.clone();
            if let Some(s) = lifecycle_status(op, &current) {
                updated["status"] = json!(s);
                updated["lastUpdated"] = json!(ts(&Utc::now()));
            }
            // Resource rules may refuse the action (a factor without its passCode): nothing changes then.
            crate::resources::on_generic_lifecycle(ctx, &mut updated, op)?;
            *m = updated.clone();
            let m = updated;
            log_change(org, ctx, &coll, &id, op);
            let href = format!("{base}{coll}/{id}");
            Ok(respond(ctx, with_links(m, &href, Some(&member_template))))
        });
    }

    if last_param.is_some() {
        let (coll, key) = path.rsplit_once('/').unwrap_or(("", ""));
        let (coll, key) = (coll.to_string(), key.to_string());
        let kind = kind_of(segs);
        let template = route.template.clone();
        let param = last_param.unwrap_or_default();
        return match method {
            "GET" => ctx.store().read(|org| {
                let c = org.generic.get(&coll);
                match c.and_then(|c| {
                    member_key(c, &key, param).and_then(|k| c.get(&k).map(|v| (k, v)))
                }) {
                    Some((id, v)) => Ok(respond(
                        ctx,
                        with_links(v.clone(), &format!("{base}{coll}/{id}"), Some(&template)),
                    )),
                    None => Err(ApiError::not_found(&key, &kind)),
                }
            }),
            "DELETE" => ctx.store().write(|org| {
                let id = org
                    .generic
                    .get(&coll)
                    .and_then(|c| member_key(c, &key, param));
                match id.and_then(|id| {
                    org.generic
                        .get_mut(&coll)
                        .and_then(|c| c.shift_remove(&id))
                        .map(|v| (id, v))
                }) {
                    Some((id, _)) => {
                        let sub = format!("{coll}/{id}/");
                        org.generic.retain(|k, _| !k.starts_with(&sub));
                        log_change(org, ctx, &coll, &id, "delete");
                        Ok(respond(ctx, Value::Null))
                    }
                    None => Err(ApiError::not_found(&key, &kind)),
                }
            }),
            "PUT" | "POST" | "PATCH" => {
                let body = ctx.json_object()?;
                let coll_template = member_path_template(ctx, route.segs.len() - 1);
                let collection_creates = RouteTable::global()
                    .routes
                    .iter()
                    .any(|r| r.method == "POST" && r.template == coll_template);
                ctx.store().write(|org| {
                    let now = ts(&Utc::now());
                    let id = org
                        .generic
                        .get(&coll)
                        .and_then(|c| member_key(c, &key, param))
                        .unwrap_or_else(|| key.clone());
                    let c = org.generic.entry(coll.clone()).or_default();
                    let existing = c.get(&id).cloned();
                    // PUT creates; so does a POST on a member whose collection has no create of its own
                    // (`POST /api/v1/idps/{idpId}/users/{userId}` links a user).
                    if existing.is_none()
                        && (method == "PATCH" || (method == "POST" && collection_creates))
                    {
                        return Err(ApiError::not_found(&key, &kind));
                    }
                    let mut body = body;
                    body.remove("_links");
                    let mut v = match (&existing, method) {
                        (Some(old), "POST" | "PATCH") => {
                            let mut m = old.clone();
                            deep_merge(&mut m, Value::Object(body));
                            m
                        }
                        (Some(Value::Object(old)), _) => {
                            // A replace keeps what the server owns: id, created, status, links, and any
                            // read-only property the body does not carry.
                            let mut m = body;
                            let node =
                                Facts::global().response_schema(&route.operation_id, route.status);
                            const OWNED: [&str; 5] =
                                ["id", "created", "status", "system", "_links"];
                            let mut owned: Vec<String> = OWNED.map(String::from).to_vec();
                            owned.extend(node.map(schema::read_only_props).unwrap_or_default());
                            for k in owned {
                                if let Some(x) = old.get(&k)
                                    && (OWNED.contains(&k.as_str()) || !m.contains_key(&k))
                                {
                                    m.insert(k, x.clone());
                                }
                            }
                            Value::Object(m)
                        }
                        _ => Value::Object(body),
                    };
                    let m = v.as_object_mut().expect("object");
                    if existing.is_none() {
                        m.entry("id").or_insert(json!(id));
                        m.insert("created".into(), json!(now));
                    }
                    m.insert("lastUpdated".into(), json!(now));
                    c.insert(id.clone(), v.clone());
                    log_change(
                        org,
                        ctx,
                        &coll,
                        &id,
                        if existing.is_some() {
                            "update"
                        } else {
                            "create"
                        },
                    );
                    Ok(respond(
                        ctx,
                        with_links(v, &format!("{base}{coll}/{id}"), Some(&template)),
                    ))
                })
            }
            _ => Err(ApiError::method_not_allowed()),
        };
    }

    let shape = list_shape(&route.template);
    match (method, &shape) {
        ("GET", Some(wrapper)) => {
            let limits = Limits::new(
                route.limit_default.or(route.limit_max).unwrap_or(200),
                route
                    .limit_max
                    .unwrap_or(usize::MAX)
                    .max(route.limit_default.unwrap_or(1)),
            );
            let limit = if route.paginated {
                paging::limit(&ctx.query, limits)?
            } else {
                usize::MAX
            };
            let after = ctx
                .query
                .get("after")
                .filter(|s| !s.is_empty())
                .map(str::to_string);
            let filter = ListFilter::from(ctx)?;
            let member_template = RouteTable::global()
                .member_template(&route.template)
                .map(str::to_string);
            let (items, next) =
                ctx.store()
                    .read(|org| -> ApiResult<(Vec<Value>, Option<String>)> {
                        let Some(c) = org.generic.get(&path) else {
                            return Ok((Vec::new(), None));
                        };
                        let mut kept: Vec<(&String, &Value)> =
                            c.iter().filter(|(_, v)| filter.keeps(v)).collect();
                        // Ordered lists (policies, rules) come back by priority, as Okta lists them.
                        if kept.iter().all(|(_, v)| v["priority"].is_number()) {
                            kept.sort_by_key(|(_, v)| v["priority"].as_i64().unwrap_or(0));
                        }
                        let start = match &after {
                            Some(a) => kept
                                .iter()
                                .position(|(id, _)| *id == a)
                                .map(|i| i + 1)
                                .unwrap_or(kept.len()),
                            None => 0,
                        };
                        let rest = &kept[start.min(kept.len())..];
                        let page: Vec<Value> = rest
                            .iter()
                            .take(limit)
                            .map(|(id, v)| {
                                with_links(
                                    (*v).clone(),
                                    &format!("{base}{path}/{id}"),
                                    member_template.as_deref(),
                                )
                            })
                            .collect();
                        let next = if rest.len() > limit {
                            rest.get(limit - 1).map(|(id, _)| (*id).clone())
                        } else {
                            None
                        };
                        Ok((page, next))
                    })?;
            match wrapper {
                Some(prop) => {
                    let mut m = Map::new();
                    m.insert(prop.clone(), Value::Array(items));
                    Ok(respond(ctx, Value::Object(m)))
                }
                None if route.paginated => {
                    let mut v = Value::Array(items);
                    if let Some(node) = Facts::global().response_schema(&route.operation_id, 200) {
                        schema::conform(&mut v, node);
                    }
                    with_base(&mut v, ctx.base());
                    let Value::Array(items) = v else {
                        unreachable!("conform keeps a list a list")
                    };
                    Ok(ctx.page_reply(items, limit, next))
                }
                None => Ok(respond(ctx, Value::Array(items))),
            }
        }
        ("POST", Some(_)) => {
            let body = ctx.json()?;
            // A create lacking what the request schema requires is Okta's 400 E0000001, naming the field.
            if let Some(node) = Facts::global().request_schema(&route.operation_id)
                && let Some(field) = schema::missing_required(node, &body).first()
            {
                return Err(ApiError::validation(
                    field,
                    "The field cannot be left blank",
                ));
            }
            let member_template = RouteTable::global()
                .member_template(&route.template)
                .map(str::to_string);
            ctx.store().write(|org| {
                let now = ts(&Utc::now());
                let mut m = match body {
                    Value::Object(m) => m,
                    other => {
                        let mut m = Map::new();
                        m.insert("value".into(), other);
                        m
                    }
                };
                let id = match m.get("id").and_then(Value::as_str) {
                    Some(i) if !i.is_empty() => i.to_string(),
                    _ => org.new_id(&id_prefix(&path)),
                };
                m.insert("id".into(), json!(id));
                m.remove("status");
                if let Some(s) = initial_status(ctx, &m) {
                    m.insert("status".into(), s);
                }
                m.insert("created".into(), json!(now));
                m.insert("lastUpdated".into(), json!(now));
                m.remove("_links");
                crate::resources::on_generic_create(ctx, org, &path, &mut m)?;
                let v = Value::Object(m);
                org.generic
                    .entry(path.clone())
                    .or_default()
                    .insert(id.clone(), v.clone());
                log_change(org, ctx, &path, &id, "create");
                Ok(respond(
                    ctx,
                    with_links(v, &format!("{base}{path}/{id}"), member_template.as_deref()),
                ))
            })
        }
        ("DELETE", Some(_)) => ctx.store().write(|org| {
            org.generic.remove(&path);
            Ok(respond(ctx, Value::Null))
        }),
        ("GET", None) => ctx.store().read(|org| {
            let v = org.singletons.get(&path).cloned().unwrap_or_else(|| {
                if route.body == BodyKind::Array {
                    json!([])
                } else {
                    json!({})
                }
            });
            Ok(respond(ctx, v))
        }),
        ("DELETE", None) => ctx.store().write(|org| {
            org.singletons.remove(&path);
            Ok(respond(ctx, Value::Null))
        }),
        (_, _) => {
            // PUT/POST/PATCH on a single object (settings, actions): merge into what is stored and echo it.
            let body = ctx.json()?;
            if let Some(r) = crate::resources::on_generic_action(ctx, segs, &body)? {
                return Ok(r);
            }
            ctx.store().write(|org| {
                // An action on a single object (`…/connections/default/lifecycle/activate`) moves its status.
                if segs.len() > 2
                    && segs[segs.len() - 2] == "lifecycle"
                    && let Some(op) = segs.last()
                {
                    let target = concrete(&segs[..segs.len() - 2]);
                    let obj = org.singletons.entry(target).or_insert_with(|| json!({}));
                    let current = obj["status"].as_str().unwrap_or("").to_string();
                    if let (Some(s), Some(m)) =
                        (lifecycle_status(op, &current), obj.as_object_mut())
                    {
                        m.insert("status".into(), json!(s));
                        let v = obj.clone();
                        return Ok(respond(ctx, v));
                    }
                }
                let entry = org
                    .singletons
                    .entry(path.clone())
                    .or_insert_with(|| json!({}));
                match (entry.as_object_mut(), body) {
                    (Some(m), Value::Object(b)) if method == "PUT" => {
                        m.clear();
                        m.extend(b);
                    }
                    (Some(_), b @ Value::Object(_)) => deep_merge(entry, b),
                    (_, other) => *entry = other,
                }
                let v = entry.clone();
                // An action whose answer is a list (key rotation and the like): answer a list.
                let v = match (route.body, v) {
                    (BodyKind::Array, Value::Array(a)) => Value::Array(a),
                    (BodyKind::Array, Value::Object(m)) if m.is_empty() => json!([]),
                    (BodyKind::Array, other) => json!([other]),
                    (_, other) => other,
                };
                Ok(respond(ctx, v))
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(
            kind_of(&["api", "v1", "trustedOrigins", "x"]),
            "TrustedOrigin"
        );
        assert_eq!(id_prefix("/api/v1/trustedOrigins"), "0tr");
        assert_eq!(id_prefix("/api/v1/x"), "0xx");
    }
}
