//! Every other path the facts know, answered as stored JSON by path, so every generated command can be
//! exercised against the simulator.
//!
//! - A template ending in a parameter (`/api/v1/trustedOrigins/{id}`) addresses a member of the collection at
//!   its parent path: GET → the member or 404 E0000007; PUT → replace (created if absent); POST/PATCH → merge;
//!   DELETE → remove.
//! - A template ending in a literal whose GET answers a list (`/api/v1/trustedOrigins`): GET → the stored members,
//!   paged with the route's limits; POST → create (id, created, lastUpdated added).
//! - `…/lifecycle/activate|deactivate|…` → sets the parent member's `status`.
//! - Any other literal path is a single object: GET → stored or `{}`; PUT/POST/PATCH → store; DELETE → remove.
//!
//! The status code and whether a body is sent come from the facts (201 for some creates, 204, ...).

use chrono::Utc;
use serde_json::{Map, Value, json};

use crate::errors::{ApiError, ApiResult};
use crate::paging::{self, Limits};
use crate::reply::Reply;
use crate::resources::Ctx;
use crate::routes::{BodyKind, RouteTable, Seg};
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

fn with_links(mut v: Value, self_href: &str) -> Value {
    if let Value::Object(m) = &mut v
        && !m.contains_key("_links")
    {
        m.insert("_links".into(), json!({"self": {"href": self_href}}));
    }
    v
}

fn respond(ctx: &Ctx, v: Value) -> Reply {
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
        _ => Reply::json_status(ctx.route.status, v),
    }
}

pub fn handle(ctx: &Ctx, segs: &[&str]) -> ApiResult<Reply> {
    let route = ctx.route;
    if ctx.method == http::Method::OPTIONS {
        return Ok(Reply::empty(route.status).header("allow", "OPTIONS, POST"));
    }
    let path = concrete(segs);
    let base = ctx.base().to_string();
    let method = ctx.method.as_str();
    let ends_in_param = matches!(route.segs.last(), Some(Seg::Param(_)));

    // Lifecycle-style actions on a member: …/{id}/lifecycle/<op>
    if method == "POST" && segs.len() >= 3 && segs[segs.len() - 2] == "lifecycle" && !ends_in_param
    {
        let op = segs[segs.len() - 1];
        let member_path = concrete(&segs[..segs.len() - 2]);
        let (coll, id) = member_path.rsplit_once('/').unwrap_or(("", ""));
        let status = match op {
            "activate" | "enable" | "unsuspend" => Some("ACTIVE"),
            "deactivate" | "disable" => Some("INACTIVE"),
            "suspend" => Some("SUSPENDED"),
            _ => None,
        };
        let (coll, id) = (coll.to_string(), id.to_string());
        return ctx.store().write(|org| {
            let member = org.generic.get_mut(&coll).and_then(|c| c.get_mut(&id));
            let v = match member {
                Some(m) => {
                    if let Some(s) = status {
                        m["status"] = json!(s);
                        m["lastUpdated"] = json!(ts(&Utc::now()));
                    }
                    let m = m.clone();
                    log_change(org, ctx, &coll, &id, op);
                    m
                }
                None => json!({"id": id, "status": status}),
            };
            Ok(respond(ctx, with_links(v, &format!("{base}{member_path}"))))
        });
    }

    if ends_in_param {
        let (coll, id) = path.rsplit_once('/').unwrap_or(("", ""));
        let (coll, id) = (coll.to_string(), id.to_string());
        let kind = kind_of(segs);
        let self_href = format!("{base}{path}");
        return match method {
            "GET" => {
                ctx.store().read(
                    |org| match org.generic.get(&coll).and_then(|c| c.get(&id)) {
                        Some(v) => Ok(respond(ctx, with_links(v.clone(), &self_href))),
                        None => Err(ApiError::not_found(&id, &kind)),
                    },
                )
            }
            "DELETE" => ctx.store().write(|org| {
                match org.generic.get_mut(&coll).and_then(|c| c.shift_remove(&id)) {
                    Some(_) => {
                        org.generic
                            .retain(|k, _| !k.starts_with(&format!("{path}/")));
                        log_change(org, ctx, &coll, &id, "delete");
                        Ok(respond(ctx, Value::Null))
                    }
                    None => Err(ApiError::not_found(&id, &kind)),
                }
            }),
            "PUT" | "POST" | "PATCH" => {
                let body = ctx.json_object()?;
                ctx.store().write(|org| {
                    let now = ts(&Utc::now());
                    let c = org.generic.entry(coll.clone()).or_default();
                    let existing = c.get(&id).cloned();
                    if existing.is_none() && method != "PUT" {
                        return Err(ApiError::not_found(&id, &kind));
                    }
                    let mut m: Map<String, Value> = match (&existing, method) {
                        (Some(Value::Object(old)), "POST" | "PATCH") => {
                            let mut m = old.clone();
                            for (k, v) in body {
                                m.insert(k, v);
                            }
                            m
                        }
                        _ => body,
                    };
                    m.insert("id".into(), json!(id));
                    let created = existing
                        .as_ref()
                        .and_then(|e| e.get("created").cloned())
                        .unwrap_or(json!(now));
                    m.insert("created".into(), created);
                    m.insert("lastUpdated".into(), json!(now));
                    m.remove("_links");
                    let v = Value::Object(m);
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
                    Ok(respond(ctx, with_links(v, &self_href)))
                })
            }
            _ => Err(ApiError::method_not_allowed()),
        };
    }

    let is_collection = RouteTable::global().lists(&route.template);
    match (method, is_collection) {
        ("GET", true) => {
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
            let (items, next) =
                ctx.store()
                    .read(|org| -> ApiResult<(Vec<Value>, Option<String>)> {
                        let Some(c) = org.generic.get(&path) else {
                            return Ok((Vec::new(), None));
                        };
                        let start = match &after {
                            Some(a) => c.get_index_of(a).map(|i| i + 1).unwrap_or(c.len()),
                            None => 0,
                        };
                        let rest: Vec<(&String, &Value)> = c.iter().skip(start).collect();
                        let page: Vec<Value> = rest
                            .iter()
                            .take(limit)
                            .map(|(id, v)| with_links((*v).clone(), &format!("{base}{path}/{id}")))
                            .collect();
                        let next = if rest.len() > limit {
                            rest.get(limit - 1).map(|(id, _)| (*id).clone())
                        } else {
                            None
                        };
                        Ok((page, next))
                    })?;
            if route.paginated {
                Ok(ctx.page_reply(items, limit, next))
            } else {
                Ok(Reply::json(Value::Array(items)))
            }
        }
        ("POST", true) => {
            let body = ctx.json()?;
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
                m.entry("status").or_insert(json!("ACTIVE"));
                m.insert("created".into(), json!(now));
                m.insert("lastUpdated".into(), json!(now));
                m.remove("_links");
                let v = Value::Object(m);
                org.generic
                    .entry(path.clone())
                    .or_default()
                    .insert(id.clone(), v.clone());
                log_change(org, ctx, &path, &id, "create");
                Ok(respond(ctx, with_links(v, &format!("{base}{path}/{id}"))))
            })
        }
        ("DELETE", true) => ctx.store().write(|org| {
            org.generic.remove(&path);
            Ok(respond(ctx, Value::Null))
        }),
        ("GET", false) => ctx.store().read(|org| {
            let v = org.singletons.get(&path).cloned().unwrap_or_else(|| {
                if route.body == BodyKind::Array {
                    json!([])
                } else {
                    json!({})
                }
            });
            Ok(respond(ctx, v))
        }),
        ("DELETE", false) => ctx.store().write(|org| {
            org.singletons.remove(&path);
            Ok(respond(ctx, Value::Null))
        }),
        (_, _) => {
            // PUT/POST/PATCH on a single object (settings, actions): merge into what is stored and echo it.
            let body = ctx.json()?;
            ctx.store().write(|org| {
                let entry = org
                    .singletons
                    .entry(path.clone())
                    .or_insert_with(|| json!({}));
                match (entry.as_object_mut(), body) {
                    (Some(m), Value::Object(b)) => {
                        if method == "PUT" {
                            m.clear();
                        }
                        m.extend(b);
                    }
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
