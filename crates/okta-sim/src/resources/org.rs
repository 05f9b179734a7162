//! The org's Okta Support access: grant (8 hours), extend (24 more hours), revoke. Okta answers these with a
//! 301 to the support settings (`GET /api/v1/org/privacy/oktaSupport`), which the simulator keeps up to date.

use chrono::{Duration, Utc};
use serde_json::{Value, json};

use crate::reply::{Reply, ReplyBody};
use crate::resources::Ctx;
use crate::util::{parse_ts, ts};

const SETTINGS: &str = "/api/v1/org/privacy/oktaSupport";

pub fn support(ctx: &Ctx, action: &str) -> Reply {
    ctx.store().write(|org| {
        let s = org.singletons.entry(SETTINGS.to_string()).or_insert_with(
            || json!({"support": "DISABLED", "expiration": null, "caseNumber": null}),
        );
        match action {
            "grant" => {
                s["support"] = json!("ENABLED");
                s["expiration"] = json!(ts(&(Utc::now() + Duration::hours(8))));
            }
            "extend" => {
                let from = s["expiration"]
                    .as_str()
                    .and_then(parse_ts)
                    .unwrap_or_else(Utc::now);
                s["support"] = json!("ENABLED");
                s["expiration"] = json!(ts(&(from + Duration::hours(24))));
            }
            _ => {
                s["support"] = json!("DISABLED");
                s["expiration"] = Value::Null;
            }
        }
    });
    Reply {
        status: http::StatusCode::MOVED_PERMANENTLY,
        headers: vec![("location", format!("{}{SETTINGS}", ctx.base()))],
        body: ReplyBody::Empty,
    }
}
