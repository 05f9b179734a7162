//! Groups: CRUD, membership, a user's groups, list with q / filter / search / sortBy. The built-in Everyone
//! group (type BUILT_IN) holds every user implicitly and cannot be changed.

use chrono::{DateTime, Utc};
use indexmap::IndexSet;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use super::{Ctx, PageWriter};
use super::logs::{self, Actor};
use super::users;
use crate::errors::{ApiError, ApiResult};
use crate::expr;
use crate::paging::{self, Limits, ListQuery};
use crate::reply::Reply;
use crate::store::Org;
use crate::util::ts;

pub const OKTA_GROUP: &str = "OKTA_GROUP";
pub const BUILT_IN: &str = "BUILT_IN";

const LIMITS: Limits = Limits::new(10_000, 10_000);
const MEMBER_LIMITS: Limits = Limits::new(1000, 1000);

#[derive(Serialize, Deserialize, Clone, Debug)]
#[serde(rename_all = "camelCase")]
pub struct Group {
    pub id: String,
    pub seq: u64,
    pub created: DateTime<Utc>,
    pub last_updated: DateTime<Utc>,
    pub last_membership_updated: DateTime<Utc>,
    #[serde(rename = "type")]
    pub group_type: String,
    pub profile: Map<String, Value>,
    #[serde(default)]
    pub members: IndexSet<String>,
}

impl Group {
    pub fn name(&self) -> &str {
        self.profile
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or("")
    }
    pub fn is_everyone(&self) -> bool {
        self.group_type == BUILT_IN
    }
}

pub fn to_json(g: &Group) -> Value {
    json!({
        "id": g.id,
        "created": ts(&g.created),
        "lastUpdated": ts(&g.last_updated),
        "lastMembershipUpdated": ts(&g.last_membership_updated),
        "objectClass": ["okta:user_group"],
        "type": g.group_type,
        "profile": g.profile,
    })
}

pub fn render(g: &Group, base: &str) -> Value {
    let mut v = to_json(g);
    let me = format!("{base}/api/v1/groups/{}", g.id);
    v["_links"] = json!({
        "logo": [
            {"name": "medium", "href": format!("{base}/assets/img/logos/groups/okta-medium.png"), "type": "image/png"},
            {"name": "large", "href": format!("{base}/assets/img/logos/groups/okta-large.png"), "type": "image/png"}
        ],
        "users": {"href": format!("{me}/users")},
        "apps": {"href": format!("{me}/apps")},
    });
    v
}

fn group_target(g: &Group) -> Value {
    logs::target(&g.id, "UserGroup", g.name(), g.name())
}

fn profile_from(body: &Map<String, Value>) -> ApiResult<Map<String, Value>> {
    let profile = match body.get("profile") {
        Some(Value::Object(p)) => p.clone(),
        Some(_) => return Err(ApiError::malformed_body()),
        None => Map::new(),
    };
    match profile.get("name") {
        Some(Value::String(s)) if !s.trim().is_empty() => Ok(profile),
        _ => Err(ApiError::validation(
            "name",
            "The field cannot be left blank",
        )),
    }
}

fn check_unique_name(org: &Org, name: &str, except: Option<&str>) -> ApiResult<()> {
    if org
        .groups
        .values()
        .any(|g| Some(g.id.as_str()) != except && g.name().eq_ignore_ascii_case(name))
    {
        return Err(ApiError::validation(
            "name",
            "An object with this field already exists in the current organization",
        ));
    }
    Ok(())
}

/// Checks that group `id` exists (404) and is not the built-in Everyone group (403 with `refusal`).
fn changeable(org: &Org, id: &str, refusal: &str) -> ApiResult<()> {
    match org.groups.get(id) {
        None => Err(ApiError::not_found(id, "UserGroup")),
        Some(g) if g.is_everyone() => Err(ApiError::forbidden(refusal)),
        Some(_) => Ok(()),
    }
}

/// Creates a group inside a write (also used by the seeder).
pub fn insert_group(
    org: &mut Org,
    profile: Map<String, Value>,
    group_type: &str,
    at: DateTime<Utc>,
) -> String {
    let id = org.new_id("00g");
    let seq = org.next_seq();
    org.groups.insert(
        id.clone(),
        Group {
            id: id.clone(),
            seq,
            created: at,
            last_updated: at,
            last_membership_updated: at,
            group_type: group_type.to_string(),
            profile,
            members: IndexSet::new(),
        },
    );
    id
}

pub fn create(ctx: &Ctx) -> ApiResult<Reply> {
    let body = ctx.json_object()?;
    let profile = profile_from(&body)?;
    ctx.store().write(|org| {
        check_unique_name(org, profile["name"].as_str().unwrap_or(""), None)?;
        let id = insert_group(org, profile, OKTA_GROUP, Utc::now());
        let g = &org.groups[&id];
        let (t, v) = (group_target(g), render(g, ctx.base()));
        logs::record(
            org,
            &ctx.actor,
            &ctx.request_id,
            "group.lifecycle.create",
            "Create Okta group",
            vec![t],
        );
        Ok(Reply::json(v))
    })
}

pub fn get(ctx: &Ctx, id: &str) -> ApiResult<Reply> {
    ctx.store().read(|org| match org.groups.get(id) {
        Some(g) => Ok(Reply::json(render(g, ctx.base()))),
        None => Err(ApiError::not_found(id, "UserGroup")),
    })
}

pub fn replace(ctx: &Ctx, id: &str) -> ApiResult<Reply> {
    let body = ctx.json_object()?;
    let profile = profile_from(&body)?;
    ctx.store().write(|org| {
        changeable(org, id, "The Everyone group cannot be modified.")?;
        check_unique_name(org, profile["name"].as_str().unwrap_or(""), Some(id))?;
        let g = org.groups.get_mut(id).expect("checked");
        g.profile = profile;
        g.last_updated = Utc::now();
        let (t, v) = (group_target(g), render(g, ctx.base()));
        logs::record(
            org,
            &ctx.actor,
            &ctx.request_id,
            "group.profile.update",
            "Update Okta group profile",
            vec![t],
        );
        Ok(Reply::json(v))
    })
}

pub fn delete(ctx: &Ctx, id: &str) -> ApiResult<Reply> {
    ctx.store().write(|org| {
        changeable(org, id, "The Everyone group cannot be deleted.")?;
        let g = org.groups.shift_remove(id).expect("checked");
        org.tombstones.insert(g.id.clone(), g.seq);
        for a in org.app_groups.values_mut() {
            a.shift_remove(id);
        }
        logs::record(
            org,
            &ctx.actor,
            &ctx.request_id,
            "group.lifecycle.delete",
            "Delete Okta group",
            vec![group_target(&g)],
        );
        Ok(Reply::no_content())
    })
}

/// `GET /api/v1/groups`.
pub fn list(ctx: &Ctx) -> ApiResult<Reply> {
    let lq = ListQuery::parse(
        &ctx.query,
        LIMITS,
        Some(&expr::GROUPS_SEARCH),
        &expr::GROUPS_FILTER,
    )?;
    let base = ctx.base();
    let (page, next) = ctx
        .store()
        .read(|org| -> ApiResult<(Vec<Value>, Option<String>)> {
            let keep = |g: &Group| {
                lq.text
                    .as_deref()
                    .is_none_or(|t| g.name().to_lowercase().starts_with(t))
            };
            let (page, next) = lq.page(org, &org.groups, keep, to_json)?;
            Ok((page.into_iter().map(|g| render(g, base)).collect(), next))
        })?;
    Ok(ctx.page_reply(page, lq.limit, next))
}

/// `GET /api/v1/groups/{id}/users`.
pub fn members(ctx: &Ctx, id: &str) -> ApiResult<Reply> {
    let limit = paging::limit(&ctx.query, MEMBER_LIMITS)?;
    let after = paging::after(&ctx.query);
    let base = ctx.base();
    let (page, next) = ctx
        .store()
        .read(|org| -> ApiResult<(PageWriter, Option<String>)> {
            let g = org
                .groups
                .get(id)
                .ok_or_else(|| ApiError::not_found(id, "UserGroup"))?;
            let (page, next) = if g.is_everyone() {
                // Every user, in creation order: seek past the cursor instead of listing the whole org.
                let start = match after {
                    Some(a) => paging::first_after(&org.users, paging::cursor_seq(org, a)?),
                    None => 0,
                };
                let rest = &org.users.as_slice()[start..];
                let page: Vec<&users::User> = rest.values().take(limit).collect();
                let next = (rest.len() > limit).then(|| page[limit - 1].id.clone());
                (page, next)
            } else {
                let mut v: Vec<(u64, &users::User)> = g
                    .members
                    .iter()
                    .filter_map(|m| org.users.get(m))
                    .map(|u| (u.seq, u))
                    .collect();
                v.sort_by_key(|(s, _)| *s);
                paging::page_after_cursor(org, v, after, limit, |u| u.id.clone())?
            };
            Ok((users::write_page(&page, base), next))
        })?;
    Ok(ctx.page_reply_bytes(page, limit, next))
}

/// Adds a member inside a write; no-op when already a member.
pub fn add_member_in(org: &mut Org, gid: &str, uid: &str, actor: &Actor, request_id: &str) {
    let Some(g) = org.groups.get_mut(gid) else {
        return;
    };
    if g.is_everyone() || !g.members.insert(uid.to_string()) {
        return;
    }
    g.last_membership_updated = Utc::now();
    let gt = group_target(g);
    let ut = org.users.get(uid).map(users::user_target);
    let mut targets = Vec::new();
    targets.extend(ut);
    targets.push(gt);
    logs::record(
        org,
        actor,
        request_id,
        "group.user_membership.add",
        "Add user to group membership",
        targets,
    );
}

/// Checks a membership change: the group exists and is not Everyone (whose members are implicit), and the
/// user resolves (by id or login); returns the user's id.
fn membership_change(org: &Org, gid: &str, uid: &str) -> ApiResult<String> {
    changeable(
        org,
        gid,
        "Membership of the Everyone group cannot be changed.",
    )?;
    users::resolve(org, uid).ok_or_else(|| ApiError::not_found(uid, "User"))
}

pub fn add_member(ctx: &Ctx, gid: &str, uid: &str) -> ApiResult<Reply> {
    ctx.store().write(|org| {
        let uid = membership_change(org, gid, uid)?;
        add_member_in(org, gid, &uid, &ctx.actor, &ctx.request_id);
        Ok(Reply::no_content())
    })
}

pub fn remove_member(ctx: &Ctx, gid: &str, uid: &str) -> ApiResult<Reply> {
    ctx.store().write(|org| {
        let uid = membership_change(org, gid, uid)?;
        let g = org.groups.get_mut(gid).expect("checked");
        if g.members.shift_remove(&uid) {
            g.last_membership_updated = Utc::now();
            let gt = group_target(g);
            let ut = users::user_target(&org.users[&uid]);
            logs::record(
                org,
                &ctx.actor,
                &ctx.request_id,
                "group.user_membership.remove",
                "Remove user from group membership",
                vec![ut, gt],
            );
        }
        Ok(Reply::no_content())
    })
}

/// Ids of the groups a user belongs to, Everyone first.
pub fn groups_of(org: &Org, uid: &str) -> Vec<String> {
    org.groups
        .values()
        .filter(|g| g.is_everyone() || g.members.contains(uid))
        .map(|g| g.id.clone())
        .collect()
}

/// `GET /api/v1/users/{id}/groups`.
pub fn of_user(ctx: &Ctx, key: &str) -> ApiResult<Reply> {
    ctx.store().read(|org| {
        let uid = users::resolve(org, key).ok_or_else(|| ApiError::not_found(key, "User"))?;
        let items: Vec<Value> = groups_of(org, &uid)
            .iter()
            .map(|g| render(&org.groups[g], ctx.base()))
            .collect();
        let n = items.len().max(1);
        Ok(ctx.page_reply(items, n, None))
    })
}
