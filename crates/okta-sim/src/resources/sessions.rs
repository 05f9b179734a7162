//! `POST /api/v1/sessions`: a session from a session token (one minted by the simulator's authn flows or any
//! non-empty token: the simulator cannot tell them apart), stored where `GET/DELETE /api/v1/sessions/{id}` and
//! `…/lifecycle/refresh` find it.

use chrono::{Duration, Utc};
use serde_json::{Value, json};

use crate::errors::{ApiError, ApiResult};
use crate::reply::Reply;
use crate::resources::Ctx;
use crate::util::ts;

pub fn create(ctx: &Ctx, body: &Value) -> ApiResult<Reply> {
    let Some(token) = body["sessionToken"].as_str().filter(|t| !t.is_empty()) else {
        return Err(ApiError::validation(
            "sessionToken",
            "The field cannot be left blank",
        ));
    };
    let base = ctx.base().to_string();
    let token = token.to_string();
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
        let _ = token;
        org.generic
            .entry("/api/v1/sessions".into())
            .or_default()
            .insert(id, s.clone());
        Ok(Reply::json(s))
    })
}
