//! The byte layouts that cross the boundary.
//!
//! A session is opened once per configuration (`okta_session_open`, see `sessions`); then
//! `okta_send(session, request, body)` — `request` is UTF-8 JSON `{"request": ApiRequest}` (see
//! `wire::RequestWire`), `body` the raw JSON body (empty = no body). `okta_pages_open` takes the
//! same envelope plus an optional `"end"`.
//!
//! Response: one buffer `[u32 little-endian meta length][meta JSON][body bytes]`, so a large body
//! is never copied into a JSON string. Meta is `{"status", "headers", "nextUri", "requestId"}`
//! on success, or `{"error": {...}}` (see `wire::error_json`) with the error body after it.
//! Both carry `"attempts"`: the request's attempt log (`wire::attempt_json`, one object per
//! attempt: `attempt`, `pacedMs`, `pacedReason`, `status`, `failure`, `requestId`, `elapsedMs`,
//! `next` = `done`|`retry`|`giveUp`, `waitMs`, `reason`), for `-Verbose`.
//!
//! The session's configuration carries the retry and pacing policy: `maxRetries` (absent or null:
//! 4; 0: off), `maxApiCapacity` (1–100, absent: 100), `maxConcurrency` (absent or 0: 10).

use okta_core::{ApiRequest, ApiResponse, Attempt, Client, Error, Logged};
use serde::Deserialize;

use crate::wire::{self, RequestWire};

/// What every request export receives besides the session handle.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RequestEnvelope {
    request: RequestWire,
    /// Page streams only: "next" (default), "empty" or "follow:<ms>".
    #[serde(default)]
    end: Option<String>,
}

fn parse(envelope: &[u8]) -> Result<RequestEnvelope, Error> {
    serde_json::from_slice(envelope)
        .map_err(|e| Error::Request(format!("malformed request envelope from the PowerShell glue: {e}")))
}

/// The session and the request of an `okta_send`.
pub fn parse_request(session: u64, envelope: &[u8], body: &[u8]) -> Result<(Client, ApiRequest), Error> {
    let client = crate::sessions::get(session)?;
    let RequestEnvelope { request, .. } = parse(envelope)?;
    Ok((client, request.into_request(body)))
}

/// The session, request and end of an `okta_pages_open` (no body).
pub fn parse_pages_request(session: u64, envelope: &[u8]) -> Result<(Client, ApiRequest, Option<String>), Error> {
    let client = crate::sessions::get(session)?;
    let RequestEnvelope { request, end } = parse(envelope)?;
    Ok((client, request.into_request(&[]), end))
}

pub fn encode_handle(handle: u64) -> Vec<u8> {
    encode_meta(&serde_json::json!({ "handle": handle }))
}

/// A page: the response meta plus `"more"` (whether another page follows).
pub fn encode_page(response: &ApiResponse, more: bool) -> Vec<u8> {
    let mut meta = wire::response_meta(response);
    meta["more"] = serde_json::Value::Bool(more);
    frame(&serde_json::to_vec(&meta).expect("a serde_json::Value always serializes"), &response.body)
}

/// A meta-only frame (no body).
pub fn encode_meta(meta: &serde_json::Value) -> Vec<u8> {
    frame(&serde_json::to_vec(meta).expect("a serde_json::Value always serializes"), &[])
}

pub fn encode_done() -> Vec<u8> {
    frame(br#"{"done":true}"#, &[])
}

pub fn encode_error(error: &Error) -> Vec<u8> {
    encode_error_with_attempts(error, &[])
}

/// A request's outcome with its attempt log in the meta.
pub fn encode_logged(logged: &Logged) -> Vec<u8> {
    match &logged.result {
        Ok(response) => {
            let mut meta = wire::response_meta(response);
            meta["attempts"] = wire::attempts_json(&logged.attempts);
            frame(&serde_json::to_vec(&meta).expect("a serde_json::Value always serializes"), &response.body)
        }
        Err(error) => encode_error_with_attempts(error, &logged.attempts),
    }
}

pub fn encode_error_with_attempts(error: &Error, attempts: &[Attempt]) -> Vec<u8> {
    let meta = serde_json::to_vec(&serde_json::json!({
        "error": wire::error_json(error),
        "attempts": wire::attempts_json(attempts),
    }))
    .expect("a serde_json::Value always serializes");
    let body = error.api().map(|api| api.body.as_slice()).unwrap_or_default();
    frame(&meta, body)
}

fn frame(meta: &[u8], body: &[u8]) -> Vec<u8> {
    let meta_len = u32::try_from(meta.len()).expect("response metadata is far below 4 GiB");
    let mut out = Vec::with_capacity(4 + meta.len() + body.len());
    out.extend_from_slice(&meta_len.to_le_bytes());
    out.extend_from_slice(meta);
    out.extend_from_slice(body);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use okta_core::{ApiResponse, Next};

    fn unframe(buffer: &[u8]) -> (serde_json::Value, Vec<u8>) {
        let meta_len = u32::from_le_bytes(buffer[..4].try_into().unwrap()) as usize;
        (serde_json::from_slice(&buffer[4..4 + meta_len]).unwrap(), buffer[4 + meta_len..].to_vec())
    }

    fn attempt(number: u32, status: u16, next: Next, wait_ms: u64) -> Attempt {
        Attempt {
            attempt: number,
            paced_ms: 0,
            paced_reason: None,
            status: Some(status),
            failure: None,
            request_id: Some(format!("req-{number}")),
            elapsed_ms: 3,
            next,
            wait_ms,
            reason: "why".into(),
        }
    }

    #[test]
    fn success_meta_carries_the_attempt_log_and_the_body_follows() {
        let logged = Logged {
            result: Ok(ApiResponse {
                status: 200,
                headers: vec![("x-okta-request-id".into(), "req-2".into())],
                body: b"{\"id\":1}".to_vec(),
                next_uri: None,
                request_id: Some("req-2".into()),
            }),
            attempts: vec![attempt(1, 429, Next::Retry, 30_000), attempt(2, 200, Next::Done, 0)],
        };
        let (meta, body) = unframe(&encode_logged(&logged));
        assert_eq!(meta["status"], 200);
        assert_eq!(meta["requestId"], "req-2");
        assert_eq!(meta["attempts"][0]["status"], 429);
        assert_eq!(meta["attempts"][0]["next"], "retry");
        assert_eq!(meta["attempts"][0]["waitMs"], 30_000);
        assert_eq!(meta["attempts"][1]["next"], "done");
        assert_eq!(body, b"{\"id\":1}");
    }

    #[test]
    fn error_meta_carries_the_attempt_log_too() {
        let logged = Logged {
            result: Err(Error::Transport {
                kind: okta_core::TransportKind::Timeout,
                message: "gave up".into(),
            }),
            attempts: vec![attempt(1, 429, Next::GiveUp, 0)],
        };
        let (meta, body) = unframe(&encode_logged(&logged));
        assert_eq!(meta["error"]["kind"], "transport");
        assert_eq!(meta["attempts"][0]["next"], "giveUp");
        assert!(body.is_empty());
        let (plain, _) = unframe(&encode_error(&Error::Config("BaseUrl".into())));
        assert_eq!(plain["attempts"], serde_json::json!([]));
    }
}
