//! The System Log: an event for every change, and `GET /api/v1/logs`.
//!
//! Events are appended in order with a sequence number; the `after` cursor is that number. Every page has a
//! `rel="next"` link, also when empty, so a polling client keeps following it (Okta's "polling" mode).
//! `since` defaults to 7 days before `until` (default: now); `sortOrder` ASCENDING (default) or DESCENDING;
//! `filter` is the expression language ([`crate::expr::LOGS_FILTER`]); `q` is space-separated keywords, all of
//! which must appear (case-insensitive) in the event.

use chrono::{Duration, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::Ctx;
use crate::errors::{ApiError, ApiResult};
use crate::paging::{self, Limits};
use crate::reply::Reply;
use crate::store::Org;
use crate::util::{parse_ts, ts};

#[derive(Serialize, Deserialize, Clone)]
pub struct LogEntry {
    pub seq: u64,
    pub event: Value,
}

/// Who made a change (the token's owner).
#[derive(Debug, Clone)]
pub struct Actor {
    pub id: String,
    pub kind: String,
    pub alternate_id: String,
    pub display_name: String,
}

impl Actor {
    pub fn admin() -> Actor {
        Actor {
            id: "00usimadmin000000000".into(),
            kind: "User".into(),
            alternate_id: "admin@okta-sim.local".into(),
            display_name: "Sim Administrator".into(),
        }
    }
    pub fn client(client_id: &str) -> Actor {
        Actor {
            id: client_id.into(),
            kind: "PublicClientApp".into(),
            alternate_id: client_id.into(),
            display_name: client_id.into(),
        }
    }
}

pub fn target(id: &str, kind: &str, alternate_id: &str, display_name: &str) -> Value {
    json!({"id": id, "type": kind, "alternateId": alternate_id, "displayName": display_name, "detailEntry": null})
}

/// Appends an event.
pub fn record(
    org: &mut Org,
    actor: &Actor,
    request_id: &str,
    event_type: &str,
    message: &str,
    targets: Vec<Value>,
) {
    let seq = org.next_seq();
    let uuid = uuid_like(org);
    let now = Utc::now();
    let event = json!({
        "uuid": uuid,
        "published": ts(&now),
        "eventType": event_type,
        "version": "0",
        "severity": "INFO",
        "legacyEventType": null,
        "displayMessage": message,
        "actor": {"id": actor.id, "type": actor.kind, "alternateId": actor.alternate_id, "displayName": actor.display_name, "detailEntry": null},
        "client": {"userAgent": null, "zone": "null", "device": "Unknown", "id": null, "ipAddress": "127.0.0.1", "geographicalContext": null},
        "device": null,
        "authenticationContext": {"authenticationProvider": null, "credentialProvider": null, "credentialType": null, "issuer": null, "interface": null, "authenticationStep": 0, "externalSessionId": "trs-okta-sim"},
        "outcome": {"result": "SUCCESS", "reason": null},
        "securityContext": {"asNumber": null, "asOrg": null, "isp": null, "domain": null, "isProxy": null},
        "debugContext": {"debugData": {"requestId": request_id, "requestUri": null}},
        "transaction": {"type": "WEB", "id": request_id, "detail": {}},
        "target": targets,
        "request": {"ipChain": [{"ip": "127.0.0.1", "geographicalContext": null, "version": "V4", "source": null}]},
    });
    for hook in org.hooks.values() {
        let subscribed = hook["events"]["items"]
            .as_array()
            .is_some_and(|i| i.iter().any(|t| t == event_type));
        if subscribed && hook["status"] == "ACTIVE" && hook["verificationStatus"] == "VERIFIED" {
            org.hook_outbox.push((hook.clone(), event.clone()));
        }
    }
    org.logs.push(LogEntry { seq, event });
}

fn uuid_like(org: &mut Org) -> String {
    let hex: String = {
        use rand::Rng;
        (0..32)
            .map(|_| std::char::from_digit(org.rng.0.random_range(0..16), 16).unwrap())
            .collect()
    };
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

const LIMITS: Limits = Limits::new(100, 1000);

pub fn list(ctx: &Ctx) -> ApiResult<Reply> {
    let q = &ctx.query;
    let limit = paging::limit(q, LIMITS)?;
    let parse_time = |name: &str| -> ApiResult<Option<chrono::DateTime<Utc>>> {
        match q.get(name) {
            None | Some("") => Ok(None),
            Some(s) => parse_ts(s).map(Some).ok_or_else(|| {
                ApiError::validation(
                    name,
                    &format!("The value '{s}' is not a valid ISO 8601 timestamp"),
                )
            }),
        }
    };
    let until = parse_time("until")?;
    let since = parse_time("since")?;
    let since = since.unwrap_or_else(|| until.unwrap_or_else(Utc::now) - Duration::days(7));
    if let Some(u) = until
        && u < since
    {
        return Err(ApiError::validation(
            "until",
            "The until parameter must be after since",
        ));
    }
    let descending = match q.get("sortOrder") {
        None | Some("") => false,
        Some(s) if s.eq_ignore_ascii_case("ASCENDING") => false,
        Some(s) if s.eq_ignore_ascii_case("DESCENDING") => true,
        Some(s) => {
            return Err(ApiError::validation(
                "sortOrder",
                &format!("'{s}' is not ASCENDING or DESCENDING"),
            ));
        }
    };
    let filter = match q.get("filter") {
        None | Some("") => None,
        Some(f) => Some(
            crate::expr::compile(f, &crate::expr::LOGS_FILTER).map_err(ApiError::invalid_search)?,
        ),
    };
    let terms: Vec<String> = q
        .get("q")
        .unwrap_or("")
        .split_whitespace()
        .map(str::to_lowercase)
        .collect();
    let after: Option<u64> = match q.get("after") {
        None | Some("") => None,
        Some(a) => Some(
            a.parse()
                .map_err(|_| ApiError::validation("after", "The cursor is invalid"))?,
        ),
    };

    let (page, next_cursor) = ctx.store().read(|org| {
        let matches = |e: &LogEntry| -> bool {
            let published = e.event["published"].as_str().and_then(parse_ts);
            if let Some(p) = published
                && (p < since || until.is_some_and(|u| p > u))
            {
                return false;
            }
            if let Some(f) = &filter
                && !crate::expr::eval(f, &e.event)
            {
                return false;
            }
            if !terms.is_empty() {
                let text = e.event.to_string().to_lowercase();
                if !terms.iter().all(|t| text.contains(t.as_str())) {
                    return false;
                }
            }
            true
        };
        if descending {
            // Newest first; the cursor is the seq of the oldest event returned.
            let page: Vec<&LogEntry> = org
                .logs
                .iter()
                .rev()
                .filter(|e| after.is_none_or(|a| e.seq < a))
                .filter(|e| matches(e))
                .take(limit)
                .collect();
            let cursor = page.last().map(|e| e.seq).or(after).unwrap_or(u64::MAX);
            (
                page.into_iter()
                    .map(|e| e.event.clone())
                    .collect::<Vec<_>>(),
                Some(cursor.to_string()),
            )
        } else {
            let items: Vec<&LogEntry> = org
                .logs
                .iter()
                .filter(|e| after.is_none_or(|a| e.seq > a))
                .filter(|e| matches(e))
                .take(limit)
                .collect();
            // Polling: always a next link; its cursor is the last event seen (or the same position when empty).
            let cursor = items.last().map(|e| e.seq).or(after).unwrap_or(0);
            (
                items
                    .into_iter()
                    .map(|e| e.event.clone())
                    .collect::<Vec<_>>(),
                Some(cursor.to_string()),
            )
        }
    });
    Ok(ctx.page_reply(page, limit, next_cursor))
}
