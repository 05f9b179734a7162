//! Users: create, get by id / login / short name, partial update (POST) vs replace (PUT), lifecycle with
//! Okta's allowed-state rules, two-step delete, list with q / filter / search / sortBy / limit / after.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use super::{Ctx, PageWriter};
use super::logs::{self, Actor};
use crate::errors::{ApiError, ApiResult};
use crate::expr;
use crate::paging::{Limits, ListQuery};
use crate::reply::Reply;
use crate::store::Org;
use crate::util::{ts, ts_opt};

pub const STAGED: &str = "STAGED";
pub const PROVISIONED: &str = "PROVISIONED";
pub const ACTIVE: &str = "ACTIVE";
pub const RECOVERY: &str = "RECOVERY";
pub const PASSWORD_EXPIRED: &str = "PASSWORD_EXPIRED";
pub const LOCKED_OUT: &str = "LOCKED_OUT";
pub const SUSPENDED: &str = "SUSPENDED";
pub const DEPROVISIONED: &str = "DEPROVISIONED";

pub const ALL_STATUSES: &[&str] = &[
    STAGED,
    PROVISIONED,
    ACTIVE,
    RECOVERY,
    PASSWORD_EXPIRED,
    LOCKED_OUT,
    SUSPENDED,
    DEPROVISIONED,
];

const REQUIRED: &[&str] = &["login", "email", "firstName", "lastName"];
const LIMITS: Limits = Limits::new(200, 200);

#[derive(Serialize, Deserialize, Clone, Debug)]
#[serde(rename_all = "camelCase")]
pub struct User {
    pub id: String,
    pub seq: u64,
    pub status: String,
    pub created: DateTime<Utc>,
    pub activated: Option<DateTime<Utc>>,
    pub status_changed: Option<DateTime<Utc>>,
    pub last_login: Option<DateTime<Utc>>,
    pub last_updated: DateTime<Utc>,
    pub password_changed: Option<DateTime<Utc>>,
    pub type_id: String,
    pub profile: Map<String, Value>,
    /// Whether a password is set (its value is never kept nor returned).
    #[serde(default)]
    pub has_password: bool,
    #[serde(default)]
    pub recovery_question: Option<String>,
    pub provider_type: String,
    pub provider_name: String,
}

impl User {
    pub fn login(&self) -> &str {
        self.profile
            .get("login")
            .and_then(Value::as_str)
            .unwrap_or("")
    }
    pub fn display_name(&self) -> String {
        let f = self
            .profile
            .get("firstName")
            .and_then(Value::as_str)
            .unwrap_or("");
        let l = self
            .profile
            .get("lastName")
            .and_then(Value::as_str)
            .unwrap_or("");
        format!("{f} {l}").trim().to_string()
    }
    fn set_status(&mut self, status: &str) {
        let now = Utc::now();
        self.status = status.to_string();
        self.status_changed = Some(now);
        self.last_updated = now;
    }
}

/// The user's JSON as Okta sends it (without `_links`), also what `search` / `filter` evaluate.
pub fn to_json(u: &User) -> Value {
    let mut creds = Map::new();
    if u.has_password {
        creds.insert("password".into(), json!({}));
    }
    if let Some(q) = &u.recovery_question {
        creds.insert("recovery_question".into(), json!({"question": q}));
    }
    if let Some(email) = u.profile.get("email").and_then(Value::as_str) {
        creds.insert(
            "emails".into(),
            json!([{"value": email, "status": "VERIFIED", "type": "PRIMARY"}]),
        );
    }
    creds.insert(
        "provider".into(),
        json!({"type": u.provider_type, "name": u.provider_name}),
    );
    json!({
        "id": u.id,
        "status": u.status,
        "created": ts(&u.created),
        "activated": ts_opt(&u.activated),
        "statusChanged": ts_opt(&u.status_changed),
        "lastLogin": ts_opt(&u.last_login),
        "lastUpdated": ts(&u.last_updated),
        "passwordChanged": ts_opt(&u.password_changed),
        "type": {"id": u.type_id},
        "profile": u.profile,
        "credentials": creds,
    })
}

/// The user's JSON with `_links` (which lifecycle operations its status allows).
pub fn render(u: &User, base: &str) -> Value {
    let mut v = to_json(u);
    let me = format!("{base}/api/v1/users/{}", u.id);
    let mut links = Map::new();
    links.insert("self".into(), json!({"href": me}));
    let ops = lifecycle_links(&u.status);
    for (name, path) in ops {
        links.insert(
            (*name).into(),
            json!({"href": format!("{me}/{path}"), "method": "POST"}),
        );
    }
    links.insert(
        "schema".into(),
        json!({"href": format!("{base}/api/v1/meta/schemas/user/default")}),
    );
    links.insert(
        "type".into(),
        json!({"href": format!("{base}/api/v1/meta/types/user/{}", u.type_id)}),
    );
    v["_links"] = Value::Object(links);
    v
}

/// (link, path under the user) of each POST that `status` allows, in Okta's order.
fn lifecycle_links(status: &str) -> &'static [(&'static str, &'static str)] {
    match status {
        STAGED => &[
            ("activate", "lifecycle/activate"),
            ("deactivate", "lifecycle/deactivate"),
        ],
        PROVISIONED => &[
            ("reactivate", "lifecycle/reactivate"),
            ("deactivate", "lifecycle/deactivate"),
        ],
        DEPROVISIONED => &[("activate", "lifecycle/activate")],
        SUSPENDED => &[
            ("unsuspend", "lifecycle/unsuspend"),
            ("deactivate", "lifecycle/deactivate"),
        ],
        LOCKED_OUT => &[
            ("unlock", "lifecycle/unlock"),
            ("resetPassword", "lifecycle/reset_password"),
            ("deactivate", "lifecycle/deactivate"),
        ],
        _ => &[
            ("suspend", "lifecycle/suspend"),
            ("resetPassword", "lifecycle/reset_password"),
            ("expirePassword", "lifecycle/expire_password"),
            ("resetFactors", "lifecycle/reset_factors"),
            ("deactivate", "lifecycle/deactivate"),
            ("forgotPassword", "credentials/forgot_password"),
            (
                "changeRecoveryQuestion",
                "credentials/change_recovery_question",
            ),
            ("changePassword", "credentials/change_password"),
        ],
    }
}

/// Appends exactly the bytes of `serde_json::to_vec(&render(u, base))`, without building the `Value` tree:
/// a list page writes 200 users per request this way. `render` stays the reference (a test holds the two
/// byte-identical), so a field added there must be added here too.
pub fn write_rendered(out: &mut Vec<u8>, u: &User, base: &str) {
    use crate::jsonw::{key, string, ts, ts_opt, value};
    out.push(b'{');
    key(out, "id");
    string(out, &[&u.id]);
    out.push(b',');
    key(out, "status");
    string(out, &[&u.status]);
    out.push(b',');
    key(out, "created");
    ts(out, &u.created);
    out.push(b',');
    key(out, "activated");
    ts_opt(out, &u.activated);
    out.push(b',');
    key(out, "statusChanged");
    ts_opt(out, &u.status_changed);
    out.push(b',');
    key(out, "lastLogin");
    ts_opt(out, &u.last_login);
    out.push(b',');
    key(out, "lastUpdated");
    ts(out, &u.last_updated);
    out.push(b',');
    key(out, "passwordChanged");
    ts_opt(out, &u.password_changed);
    out.extend_from_slice(b",\"type\":{\"id\":");
    string(out, &[&u.type_id]);
    out.extend_from_slice(b"},");
    key(out, "profile");
    value(out, &u.profile);
    out.push(b',');
    key(out, "credentials");
    out.push(b'{');
    if u.has_password {
        out.extend_from_slice(b"\"password\":{},");
    }
    if let Some(q) = &u.recovery_question {
        out.extend_from_slice(b"\"recovery_question\":{\"question\":");
        string(out, &[q]);
        out.extend_from_slice(b"},");
    }
    if let Some(email) = u.profile.get("email").and_then(Value::as_str) {
        out.extend_from_slice(b"\"emails\":[{\"value\":");
        string(out, &[email]);
        out.extend_from_slice(b",\"status\":\"VERIFIED\",\"type\":\"PRIMARY\"}],");
    }
    out.extend_from_slice(b"\"provider\":{\"type\":");
    string(out, &[&u.provider_type]);
    out.extend_from_slice(b",\"name\":");
    string(out, &[&u.provider_name]);
    out.extend_from_slice(b"}},");
    key(out, "_links");
    let me: [&str; 3] = [base, "/api/v1/users/", &u.id];
    out.extend_from_slice(b"{\"self\":{\"href\":");
    string(out, &me);
    out.push(b'}');
    for (name, path) in lifecycle_links(&u.status) {
        out.push(b',');
        key(out, name);
        out.extend_from_slice(b"{\"href\":");
        string(out, &[me[0], me[1], me[2], "/", path]);
        out.extend_from_slice(b",\"method\":\"POST\"}");
    }
    out.extend_from_slice(b",\"schema\":{\"href\":");
    string(out, &[base, "/api/v1/meta/schemas/user/default"]);
    out.extend_from_slice(b"},\"type\":{\"href\":");
    string(out, &[base, "/api/v1/meta/types/user/", &u.type_id]);
    out.extend_from_slice(b"}}}");
}

pub fn user_target(u: &User) -> Value {
    logs::target(&u.id, "User", u.login(), &u.display_name())
}

/// Finds a user by id, login (case-insensitive), or the login's short name (the part before `@`).
pub fn resolve(org: &Org, key: &str) -> Option<String> {
    if org.users.contains_key(key) {
        return Some(key.to_string());
    }
    let lower = key.to_lowercase();
    if let Some(u) = org
        .users
        .values()
        .find(|u| u.login().to_lowercase() == lower)
    {
        return Some(u.id.clone());
    }
    if !key.contains('@') {
        let mut hits = org
            .users
            .values()
            .filter(|u| u.login().split('@').next().unwrap_or("").to_lowercase() == lower);
        if let (Some(u), None) = (hits.next(), hits.next()) {
            return Some(u.id.clone());
        }
    }
    None
}

fn resolve_or_404(org: &Org, key: &str) -> ApiResult<String> {
    resolve(org, key).ok_or_else(|| ApiError::not_found(key, "User"))
}

fn validate_profile(
    org: &Org,
    profile: &Map<String, Value>,
    except_id: Option<&str>,
) -> ApiResult<()> {
    for f in REQUIRED {
        let ok = match profile.get(*f) {
            Some(Value::String(s)) => !s.trim().is_empty(),
            _ => false,
        };
        if !ok {
            return Err(ApiError::validation(f, "The field cannot be left blank"));
        }
    }
    let login = profile["login"].as_str().unwrap_or("");
    if !looks_like_email(login) {
        return Err(ApiError::validation(
            "login",
            "Username must be in the form of an email address",
        ));
    }
    let email = profile["email"].as_str().unwrap_or("");
    if !looks_like_email(email) {
        return Err(ApiError::validation(
            "email",
            "Does not match required pattern",
        ));
    }
    let lower = login.to_lowercase();
    if org
        .users
        .values()
        .any(|u| Some(u.id.as_str()) != except_id && u.login().to_lowercase() == lower)
    {
        return Err(ApiError::validation(
            "login",
            "An object with this field already exists in the current organization",
        ));
    }
    Ok(())
}

fn looks_like_email(s: &str) -> bool {
    match s.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.is_empty()
                && !domain.starts_with('.')
                && !s.contains(char::is_whitespace)
        }
        None => false,
    }
}

fn password_of(creds: Option<&Value>) -> ApiResult<Option<String>> {
    let Some(p) = creds.and_then(|c| c.get("password")) else {
        return Ok(None);
    };
    if let Some(h) = p.get("hash")
        && h.is_object()
    {
        return Ok(Some("<hash>".into()));
    }
    match p.get("value") {
        Some(Value::String(v)) => {
            if v.chars().count() < 8 {
                return Err(ApiError::validation(
                    "password",
                    "Password requirements were not met. Password requirements: at least 8 characters.",
                ));
            }
            Ok(Some(v.clone()))
        }
        _ => Ok(None),
    }
}

fn recovery_question_of(creds: Option<&Value>) -> Option<String> {
    creds
        .and_then(|c| c.get("recovery_question"))
        .and_then(|r| r.get("question"))
        .and_then(Value::as_str)
        .map(str::to_string)
}

fn default_type_id(org: &Org) -> String {
    crate::seed::default_user_type_id(org)
}

pub fn create(ctx: &Ctx) -> ApiResult<Reply> {
    let body = ctx.json_object()?;
    let q = &ctx.query;
    let activate = q.flag("activate", true);
    let provider = q.flag("provider", false);
    let next_login = q.get("nextLogin").map(str::to_string);
    if let Some(n) = &next_login {
        if n != "changePassword" {
            return Err(ApiError::validation(
                "nextLogin",
                "The value must be changePassword",
            ));
        }
        if !activate {
            return Err(ApiError::bad_request(
                "nextLogin=changePassword requires activate=true",
            ));
        }
    }
    let profile = match body.get("profile") {
        Some(Value::Object(p)) => p.clone(),
        Some(_) => return Err(ApiError::malformed_body()),
        None => Map::new(),
    };
    let creds = body.get("credentials");
    let password = password_of(creds)?;
    let recovery = recovery_question_of(creds);
    let (provider_type, provider_name) = match creds.and_then(|c| c.get("provider")) {
        Some(p) => (
            p.get("type")
                .and_then(Value::as_str)
                .unwrap_or("OKTA")
                .to_string(),
            p.get("name")
                .and_then(Value::as_str)
                .unwrap_or("OKTA")
                .to_string(),
        ),
        None => ("OKTA".to_string(), "OKTA".to_string()),
    };
    let group_ids: Vec<String> = match body.get("groupIds") {
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect(),
        Some(Value::Null) | None => Vec::new(),
        Some(_) => return Err(ApiError::malformed_body()),
    };
    let type_id = body
        .get("type")
        .and_then(|t| t.get("id"))
        .and_then(Value::as_str)
        .map(str::to_string);

    let rendered = ctx.store().write(|org| -> ApiResult<Value> {
        validate_profile(org, &profile, None)?;
        for g in &group_ids {
            if !org.groups.contains_key(g) {
                return Err(ApiError::not_found(g, "UserGroup"));
            }
        }
        let type_id = match type_id {
            Some(t) => {
                if !crate::seed::user_type_exists(org, &t) {
                    return Err(ApiError::validation(
                        "type",
                        &format!("The user type {t} does not exist"),
                    ));
                }
                t
            }
            None => default_type_id(org),
        };
        let now = Utc::now();
        let status = if !activate {
            STAGED
        } else if next_login.is_some() {
            PASSWORD_EXPIRED
        } else if provider || password.is_some() {
            ACTIVE
        } else {
            PROVISIONED
        };
        let id = org.new_id("00u");
        let seq = org.next_seq();
        let user = User {
            id: id.clone(),
            seq,
            status: status.to_string(),
            created: now,
            activated: if activate { Some(now) } else { None },
            status_changed: if activate { Some(now) } else { None },
            last_login: None,
            last_updated: now,
            password_changed: if password.is_some() { Some(now) } else { None },
            type_id,
            profile,
            has_password: password.is_some(),
            recovery_question: recovery,
            provider_type: if provider && provider_type == "OKTA" {
                "FEDERATION".into()
            } else {
                provider_type
            },
            provider_name: if provider && provider_name == "OKTA" {
                "FEDERATION".into()
            } else {
                provider_name
            },
        };
        let target = user_target(&user);
        let rendered = render(&user, ctx.base());
        org.users.insert(id.clone(), user);
        logs::record(
            org,
            &ctx.actor,
            &ctx.request_id,
            "user.lifecycle.create",
            "Create Okta user",
            vec![target.clone()],
        );
        if activate {
            logs::record(
                org,
                &ctx.actor,
                &ctx.request_id,
                "user.lifecycle.activate",
                "Activate Okta user",
                vec![target.clone()],
            );
        }
        for g in &group_ids {
            super::groups::add_member_in(org, g, &id, &ctx.actor, &ctx.request_id);
        }
        Ok(rendered)
    })?;
    Ok(Reply::json(rendered))
}

pub fn get(ctx: &Ctx, key: &str) -> ApiResult<Reply> {
    ctx.store().read(|org| {
        if key == "me" && resolve(org, &ctx.actor.id).is_none() && ctx.actor.kind == "User" {
            return Ok(Reply::json(render(&token_owner(org, ctx), ctx.base())));
        }
        let key = if key == "me" {
            ctx.actor.id.as_str()
        } else {
            key
        };
        let id = resolve_or_404(org, key)?;
        Ok(Reply::json(render(&org.users[&id], ctx.base())))
    })
}

/// `GET /api/v1/users/me` with the simulator's API token: the token's owner, the org's super administrator
/// (not a member of the user list, so seeded counts stay as documented).
fn token_owner(org: &Org, ctx: &Ctx) -> User {
    let at = chrono::TimeZone::with_ymd_and_hms(&Utc, 2024, 1, 1, 0, 0, 0)
        .single()
        .expect("valid date");
    let mut profile = Map::new();
    profile.insert("firstName".into(), json!("Sim"));
    profile.insert("lastName".into(), json!("Administrator"));
    profile.insert("email".into(), json!(ctx.actor.alternate_id));
    profile.insert("login".into(), json!(ctx.actor.alternate_id));
    profile.insert("mobilePhone".into(), Value::Null);
    User {
        id: ctx.actor.id.clone(),
        seq: 0,
        status: ACTIVE.to_string(),
        created: at,
        activated: Some(at),
        status_changed: Some(at),
        last_login: Some(at),
        last_updated: at,
        password_changed: Some(at),
        type_id: crate::seed::default_user_type_id(org),
        profile,
        has_password: true,
        recovery_question: None,
        provider_type: "OKTA".into(),
        provider_name: "OKTA".into(),
    }
}

/// `POST` (partial: profile fields not sent are kept) or `PUT` (replace: fields not sent are removed).
pub fn update(ctx: &Ctx, key: &str, replace: bool) -> ApiResult<Reply> {
    let body = ctx.json_object()?;
    let new_profile = match body.get("profile") {
        Some(Value::Object(p)) => Some(p.clone()),
        Some(Value::Null) | None => None,
        Some(_) => return Err(ApiError::malformed_body()),
    };
    if replace && new_profile.is_none() {
        return Err(ApiError::validation(
            "profile",
            "The field cannot be left blank",
        ));
    }
    let creds = body.get("credentials");
    let password = password_of(creds)?;
    let recovery = recovery_question_of(creds);
    ctx.store().write(|org| {
        let id = resolve_or_404(org, key)?;
        let mut profile = org.users[&id].profile.clone();
        if let Some(p) = new_profile {
            if replace {
                profile = p;
            } else {
                for (k, v) in p {
                    profile.insert(k, v);
                }
            }
        }
        validate_profile(org, &profile, Some(&id))?;
        let now = Utc::now();
        let u = org.users.get_mut(&id).expect("resolved");
        u.profile = profile;
        u.last_updated = now;
        if password.is_some() {
            u.has_password = true;
            u.password_changed = Some(now);
        }
        if recovery.is_some() {
            u.recovery_question = recovery;
        }
        let rendered = render(u, ctx.base());
        let target = user_target(u);
        logs::record(
            org,
            &ctx.actor,
            &ctx.request_id,
            "user.account.update_profile",
            "Update user profile for Okta",
            vec![target.clone()],
        );
        if password.is_some() {
            logs::record(
                org,
                &ctx.actor,
                &ctx.request_id,
                "user.account.update_password",
                "Update password for user",
                vec![target],
            );
        }
        Ok(Reply::json(rendered))
    })
}

/// First `DELETE` deactivates (204); a `DELETE` of a DEPROVISIONED user removes it (204).
pub fn delete(ctx: &Ctx, key: &str) -> ApiResult<Reply> {
    ctx.store().write(|org| {
        let id = resolve_or_404(org, key)?;
        if org.users[&id].status != DEPROVISIONED {
            deactivate_in(org, &id, &ctx.actor, &ctx.request_id);
            return Ok(Reply::no_content());
        }
        let u = org.users.shift_remove(&id).expect("resolved");
        org.tombstones.insert(u.id.clone(), u.seq);
        for g in org.groups.values_mut() {
            g.members.shift_remove(&id);
        }
        for a in org.app_users.values_mut() {
            a.shift_remove(&id);
        }
        org.generic
            .retain(|path, _| !path.starts_with(&format!("/api/v1/users/{id}/")));
        logs::record(
            org,
            &ctx.actor,
            &ctx.request_id,
            "user.lifecycle.delete.completed",
            "Delete Okta user completed",
            vec![user_target(&u)],
        );
        Ok(Reply::no_content())
    })
}

fn deactivate_in(org: &mut Org, id: &str, actor: &Actor, request_id: &str) {
    let u = org.users.get_mut(id).expect("exists");
    u.set_status(DEPROVISIONED);
    let t = user_target(u);
    logs::record(
        org,
        actor,
        request_id,
        "user.lifecycle.deactivate",
        "Deactivate Okta user",
        vec![t],
    );
}

fn not_allowed(summary: &str) -> ApiError {
    ApiError::new(
        http::StatusCode::FORBIDDEN,
        "E0000038",
        "This operation is not allowed in the user's current status.",
    )
    .with_cause(summary)
}

/// `POST /api/v1/users/{id}/lifecycle/{op}`.
pub fn lifecycle(ctx: &Ctx, key: &str, op: &str) -> ApiResult<Reply> {
    let send_email = ctx.query.flag("sendEmail", true);
    let base = ctx.base().to_string();
    ctx.store().write(|org| {
        let id = resolve_or_404(org, key)?;
        let token = org.random_string(20);
        let actor = &ctx.actor;
        let rid = &ctx.request_id;
        let u = org.users.get_mut(&id).expect("resolved");
        let status = u.status.clone();
        let (event, message, reply): (&str, &str, Reply) = match op {
            "activate" => {
                if status != STAGED && status != DEPROVISIONED {
                    return Err(ApiError::new(
                        http::StatusCode::FORBIDDEN,
                        "E0000016",
                        "Activation failed because the user is already active",
                    ));
                }
                let to = if u.has_password || u.provider_type != "OKTA" { ACTIVE } else { PROVISIONED };
                u.set_status(to);
                u.activated = Some(Utc::now());
                (
                    "user.lifecycle.activate",
                    "Activate Okta user",
                    activation_reply(send_email, &base, &token),
                )
            }
            "reactivate" => {
                if status != PROVISIONED {
                    return Err(not_allowed("Only users in PROVISIONED status can be reactivated."));
                }
                u.last_updated = Utc::now();
                ("user.lifecycle.reactivate", "Reactivate Okta user", activation_reply(send_email, &base, &token))
            }
            "deactivate" => {
                if status != DEPROVISIONED {
                    u.set_status(DEPROVISIONED);
                }
                ("user.lifecycle.deactivate", "Deactivate Okta user", Reply::empty(200))
            }
            "suspend" => {
                if status != ACTIVE {
                    return Err(ApiError::bad_request("Cannot suspend a user that is not active"));
                }
                u.set_status(SUSPENDED);
                ("user.lifecycle.suspend", "Suspend Okta user", Reply::empty(200))
            }
            "unsuspend" => {
                if status != SUSPENDED {
                    return Err(ApiError::bad_request("Cannot unsuspend a user that is not suspended"));
                }
                u.set_status(ACTIVE);
                ("user.lifecycle.unsuspend", "Unsuspend Okta user", Reply::empty(200))
            }
            "unlock" => {
                if status != LOCKED_OUT {
                    return Err(ApiError::new(http::StatusCode::FORBIDDEN, "E0000032", "Unlock is not allowed for this user."));
                }
                u.set_status(ACTIVE);
                ("user.account.unlock", "Unlock user account", Reply::empty(200))
            }
            "reset_password" => {
                if ![ACTIVE, RECOVERY, PASSWORD_EXPIRED, LOCKED_OUT].contains(&status.as_str()) {
                    return Err(ApiError::new(
                        http::StatusCode::FORBIDDEN,
                        "E0000017",
                        "Reset password is not allowed in the user's current status",
                    ));
                }
                u.set_status(RECOVERY);
                let reply = if send_email {
                    Reply::json(json!({}))
                } else {
                    Reply::json(json!({"resetPasswordUrl": format!("{base}/reset_password/{token}")}))
                };
                ("user.account.reset_password", "Fake reset password link for user", reply)
            }
            "expire_password" | "expire_password_with_temp_password" => {
                if ![ACTIVE, RECOVERY, PASSWORD_EXPIRED, LOCKED_OUT].contains(&status.as_str()) {
                    return Err(not_allowed("Expire password is not allowed in the user's current status."));
                }
                u.set_status(PASSWORD_EXPIRED);
                let reply = if op == "expire_password" && !ctx.query.flag("tempPassword", false) {
                    Reply::json(render(u, &base))
                } else {
                    Reply::json(json!({"tempPassword": token.chars().take(10).collect::<String>(), "user": render(u, &base)}))
                };
                ("user.account.expire_password", "Expire user password", reply)
            }
            "reset_factors" => {
                if status == DEPROVISIONED {
                    return Err(not_allowed("Cannot reset factors of a deactivated user."));
                }
                u.last_updated = Utc::now();
                ("user.mfa.factor.reset_all", "Reset all factors for user", Reply::empty(200))
            }
            _ => return Err(ApiError::unknown_path(ctx.path.as_str())),
        };
        let target = user_target(u);
        if op == "reset_factors" {
            org.generic.remove(&format!("/api/v1/users/{id}/factors"));
        }
        logs::record(org, actor, rid, event, message, vec![target]);
        Ok(reply)
    })
}

fn activation_reply(send_email: bool, base: &str, token: &str) -> Reply {
    if send_email {
        Reply::json(json!({}))
    } else {
        Reply::json(
            json!({"activationUrl": format!("{base}/welcome/{token}"), "activationToken": token}),
        )
    }
}

/// `POST /api/v1/users/{id}/credentials/{op}`: change_password, change_recovery_question, forgot_password.
pub fn credentials(ctx: &Ctx, key: &str, op: &str) -> ApiResult<Reply> {
    let body = ctx.json_object()?;
    let base = ctx.base().to_string();
    ctx.store().write(|org| {
        let id = resolve_or_404(org, key)?;
        let token = org.random_string(20);
        let u = org.users.get_mut(&id).expect("resolved");
        let (event, reply) = match op {
            "change_password" => {
                let newp = body.get("newPassword").and_then(|p| p.get("value")).and_then(Value::as_str);
                match newp {
                    Some(p) if p.chars().count() >= 8 => {}
                    _ => {
                        return Err(ApiError::validation(
                            "password",
                            "Password requirements were not met. Password requirements: at least 8 characters.",
                        ));
                    }
                }
                if ![ACTIVE, PASSWORD_EXPIRED, RECOVERY].contains(&u.status.as_str()) {
                    return Err(not_allowed("Cannot change the password in the user's current status."));
                }
                let now = Utc::now();
                u.has_password = true;
                u.password_changed = Some(now);
                u.last_updated = now;
                if u.status != ACTIVE {
                    u.set_status(ACTIVE);
                }
                ("user.account.update_password", Reply::json(to_json(u)["credentials"].clone()))
            }
            "change_recovery_question" => {
                let q = body
                    .get("recovery_question")
                    .and_then(|r| r.get("question"))
                    .and_then(Value::as_str)
                    .ok_or_else(|| ApiError::validation("recovery_question", "The field cannot be left blank"))?;
                u.recovery_question = Some(q.to_string());
                u.last_updated = Utc::now();
                ("user.account.update_profile", Reply::json(to_json(u)["credentials"].clone()))
            }
            "forgot_password" | "forgot_password_recovery_question" => {
                if u.status != ACTIVE {
                    return Err(not_allowed("Forgot password is not allowed in the user's current status."));
                }
                let send = ctx.query.flag("sendEmail", true);
                let reply = if send || op == "forgot_password_recovery_question" {
                    Reply::json(json!({}))
                } else {
                    Reply::json(json!({"resetPasswordUrl": format!("{base}/signin/reset-password/{token}")}))
                };
                ("user.account.reset_password", reply)
            }
            _ => return Err(ApiError::unknown_path(ctx.path.as_str())),
        };
        let t = user_target(u);
        logs::record(org, &ctx.actor, &ctx.request_id, event, "User credentials changed", vec![t]);
        Ok(reply)
    })
}

/// `DELETE /api/v1/users/{id}/sessions` → 204.
pub fn clear_sessions(ctx: &Ctx, key: &str) -> ApiResult<Reply> {
    ctx.store().write(|org| {
        let id = resolve_or_404(org, key)?;
        let t = user_target(&org.users[&id]);
        logs::record(
            org,
            &ctx.actor,
            &ctx.request_id,
            "user.session.clear",
            "Clear user session",
            vec![t],
        );
        Ok(Reply::no_content())
    })
}

/// `GET /api/v1/users`.
pub fn list(ctx: &Ctx) -> ApiResult<Reply> {
    let lq = ListQuery::parse(
        &ctx.query,
        LIMITS,
        Some(&expr::USERS_SEARCH),
        &expr::USERS_FILTER,
    )?;
    let base = ctx.base();
    let (page, next) = ctx
        .store()
        .read(|org| -> ApiResult<(PageWriter, Option<String>)> {
            let keep = |u: &User| {
                // A plain list (and q) leaves DEPROVISIONED users out, as Okta does.
                (lq.expr.is_some() || u.status != DEPROVISIONED)
                    && lq.text.as_deref().is_none_or(|t| matches_q(u, t))
            };
            let (page, next) = lq.page(org, &org.users, keep, to_json)?;
            Ok((write_page(&page, base), next))
        })?;
    Ok(ctx.page_reply_bytes(page, lq.limit, next))
}

/// The JSON array of rendered users (what `render` of each would give), written straight to bytes.
pub fn write_page(users: &[&User], base: &str) -> PageWriter {
    // A seeded user renders to about 1.8 KB.
    let mut w = PageWriter::with_capacity(users.len() * 2048 + 2);
    for u in users {
        write_rendered(w.item(), u, base);
    }
    w
}

/// What `q` (lowercased) finds a user by: a prefix of first name, last name, email or login.
pub fn matches_q(u: &User, q: &str) -> bool {
    ["firstName", "lastName", "email", "login"].iter().any(|f| {
        u.profile
            .get(*f)
            .and_then(Value::as_str)
            .is_some_and(|v| v.to_lowercase().starts_with(q))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn user(status: &str) -> User {
        let at = Utc.with_ymd_and_hms(2024, 2, 3, 4, 5, 6).unwrap() + chrono::Duration::milliseconds(789);
        let mut profile = Map::new();
        profile.insert("firstName".into(), json!("Ada"));
        profile.insert("lastName".into(), json!("Lovelace"));
        profile.insert("email".into(), json!("ada@example.com"));
        profile.insert("login".into(), json!("ada@example.com"));
        profile.insert("mobilePhone".into(), Value::Null);
        User {
            id: "00uabcdefghijklmnopq".into(),
            seq: 7,
            status: status.into(),
            created: at,
            activated: Some(at),
            status_changed: None,
            last_login: Some(Utc::now()),
            last_updated: at,
            password_changed: None,
            type_id: "otyabc".into(),
            profile,
            has_password: false,
            recovery_question: None,
            provider_type: "OKTA".into(),
            provider_name: "OKTA".into(),
        }
    }

    fn assert_same_bytes(u: &User, base: &str) {
        let mut out = Vec::new();
        write_rendered(&mut out, u, base);
        let expected = serde_json::to_vec(&render(u, base)).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            String::from_utf8(expected).unwrap(),
            "status {}",
            u.status
        );
    }

    #[test]
    fn written_user_is_byte_identical_to_rendered_value() {
        for status in ALL_STATUSES {
            assert_same_bytes(&user(status), "http://127.0.0.1:1234");
        }
        // Every optional part present, odd characters, free-form profile values, no email.
        let mut u = user(ACTIVE);
        u.has_password = true;
        u.recovery_question = Some("Who \"am\" I?\n\u{1}é".into());
        u.status_changed = u.activated;
        u.password_changed = Some(Utc.with_ymd_and_hms(1970, 1, 1, 0, 0, 0).unwrap());
        u.provider_type = "FEDERATION".into();
        u.provider_name = "Ac\\me 漢字".into();
        u.profile.insert("department".into(), json!("R&D \t\"x\""));
        u.profile.insert("score".into(), json!(1.5e300));
        u.profile.insert("n".into(), json!(-42));
        u.profile.insert("tags".into(), json!(["a", {"b": [null, true]}]));
        assert_same_bytes(&u, "https://sim.example:8443");
        u.profile.insert("email".into(), json!(17));
        assert_same_bytes(&u, "http://h");
        u.profile.remove("email");
        assert_same_bytes(&u, "http://h");
    }

    #[test]
    fn written_page_is_the_array_of_rendered_users() {
        let users: Vec<User> = ALL_STATUSES.iter().map(|s| user(s)).collect();
        let refs: Vec<&User> = users.iter().collect();
        for n in [0, 1, refs.len()] {
            let bytes = write_page(&refs[..n], "http://h").finish();
            let expected = Value::Array(refs[..n].iter().map(|u| render(u, "http://h")).collect());
            assert_eq!(bytes, serde_json::to_vec(&expected).unwrap(), "{n} users");
        }
    }
}
