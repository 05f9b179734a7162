//! Linked-object values between users (`manager` / `subordinate` and the like). The definitions live in the
//! generic store (`/api/v1/meta/schemas/user/linkedObjects`, found by their primary or associated name); a
//! value links an associated user to one primary user:
//! `PUT /api/v1/users/{associated}/linkedObjects/{primaryName}/{primaryUserId}`; reading
//! `…/linkedObjects/{primaryName}` answers that primary, `…/linkedObjects/{associatedName}` every user linked
//! to this one; `DELETE …/linkedObjects/{primaryName}` removes the link.

use serde_json::{Value, json};

use crate::errors::{ApiError, ApiResult};
use crate::reply::Reply;
use crate::resources::{Ctx, users};
use crate::store::Org;

const DEFINITIONS: &str = "/api/v1/meta/schemas/user/linkedObjects";

/// Where the links of a relationship are kept: associated user id → primary user id.
fn values_path(primary: &str) -> String {
    format!("{DEFINITIONS}/{primary}/values")
}

/// (primary name, whether `name` is the primary side) of a defined relationship, or 404.
fn relationship(org: &Org, name: &str) -> ApiResult<(String, bool)> {
    org.generic
        .get(DEFINITIONS)
        .and_then(|c| {
            c.values().find_map(|d| {
                let primary = d["primary"]["name"].as_str()?.to_string();
                if primary == name {
                    Some((primary, true))
                } else if d["associated"]["name"] == name {
                    Some((primary, false))
                } else {
                    None
                }
            })
        })
        .ok_or_else(|| ApiError::not_found(name, "LinkedObject"))
}

fn user_id(org: &Org, key: &str) -> ApiResult<String> {
    users::resolve(org, key).ok_or_else(|| ApiError::not_found(key, "User"))
}

fn link_to(base: &str, user: &str) -> Value {
    json!({"_links": {"self": {"href": format!("{base}/api/v1/users/{user}")}}})
}

pub fn assign(
    ctx: &Ctx,
    associated: &str,
    primary_name: &str,
    primary_user: &str,
) -> ApiResult<Reply> {
    ctx.store().write(|org| {
        let (primary, is_primary) = relationship(org, primary_name)?;
        if !is_primary {
            return Err(ApiError::bad_request(format!(
                "{primary_name} is not the primary name of a relationship"
            )));
        }
        let a = user_id(org, associated)?;
        let p = user_id(org, primary_user)?;
        if a == p {
            return Err(ApiError::bad_request(
                "a user cannot be linked to itself",
            ));
        }
        org.generic
            .entry(values_path(&primary))
            .or_default()
            .insert(a, json!(p));
        Ok(Reply::no_content())
    })
}

pub fn list(ctx: &Ctx, user: &str, name: &str) -> ApiResult<Reply> {
    let base = ctx.base().to_string();
    ctx.store().read(|org| {
        let (primary, is_primary) = relationship(org, name)?;
        let me = user_id(org, user)?;
        let values = org.generic.get(&values_path(&primary));
        let linked: Vec<Value> = if is_primary {
            values
                .and_then(|v| v.get(&me))
                .and_then(Value::as_str)
                .map(|p| vec![link_to(&base, p)])
                .unwrap_or_default()
        } else {
            values
                .into_iter()
                .flatten()
                .filter(|(_, p)| p.as_str() == Some(me.as_str()))
                .map(|(a, _)| link_to(&base, a))
                .collect()
        };
        Ok(Reply::json(Value::Array(linked)))
    })
}

pub fn remove(ctx: &Ctx, user: &str, name: &str) -> ApiResult<Reply> {
    ctx.store().write(|org| {
        let (primary, _) = relationship(org, name)?;
        let me = user_id(org, user)?;
        if let Some(v) = org.generic.get_mut(&values_path(&primary)) {
            v.shift_remove(&me);
        }
        Ok(Reply::no_content())
    })
}
