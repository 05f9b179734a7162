//! `POST /api/v1/sessions`: a session from a session token (any non-empty one), stored where
//! `GET/DELETE /api/v1/sessions/{id}` and `…/lifecycle/refresh` (which extends it) find it.

use chrono::{Duration, Utc};
use serde_json::{Value, json};

use crate::errors::{ApiError, ApiResult};
use crate::reply::Reply;
use crate::resources::Ctx;
use crate::util::ts;

pub fn create(ctx: &Ctx, body: &Value) -> ApiResult<Reply> {
    // The simulator mints no session tokens (no /api/v1/authn), so any non-empty one is accepted.
    if body["sessionToken"].as_str().is_none_or(str::is_empty) {
        return Err(ApiError::validation(
            "sessionToken",
            "The field cannot be left blank",
        ));
    }
    let base = ctx.base().to_string();
    ctx.store().write(|org| {
        // The token names no user the simulator knows: the session belongs to the first active user.
        let user = org
            .users
            .values()
            .find(|u| u.status == "ACTIVE")
            .map(|u| (u.id.clone(), u.profile.get("login").cloned().unwrap_or(Value::Null)));
        let (user_id, login) = user.unwrap_or_else(|| ("00usimadmin000000000".into(), json!("admin@example.com")));
        let id = format!("102{}", org.random_string(22));
        let now = Utc::now();
        let s = json!({
            "id": id,
            "userId": user_id,
            "login": login,
            "createdAt": ts(&now),
            "expiresAt": ts(&(now + Duration::hours(2))),
            "status": "ACTIVE",
            "lastPasswordVerification": ts(&now),
            "lastFactorVerification": Value::Null,
            "amr": ["pwd"],
            "idp": {"id": "00oSimOrg00000000001", "type": "OKTA"},
            "mfaActive": false,
            "_links": {
                "self": {"href": format!("{base}/api/v1/sessions/{id}"), "hints": {"allow": ["GET", "DELETE"]}},
                "refresh": {"href": format!("{base}/api/v1/sessions/{id}/lifecycle/refresh"), "hints": {"allow": ["POST"]}},
                "user": {"name": "", "href": format!("{base}/api/v1/users/{user_id}"), "hints": {"allow": ["GET"]}},
            },
        });
        org.generic
            .entry("/api/v1/sessions".into())
            .or_default()
            .insert(id, s.clone());
        Ok(Reply::json(s))
    })
}

/// `POST /api/v1/sessions/{id}/lifecycle/refresh`: two more hours from now.
pub fn refresh(session: &mut Value) {
    session["expiresAt"] = json!(ts(&(Utc::now() + Duration::hours(2))));
}
