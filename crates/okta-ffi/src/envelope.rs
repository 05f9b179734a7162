//! The byte layouts that cross the boundary.
//!
//! Request: `okta_send(request, body)` — `request` is UTF-8 JSON `{"config": Config, "request": ApiRequest}`,
//! `body` the raw JSON body (empty = no body).
//!
//! Response: one buffer `[u32 little-endian meta length][meta JSON][body bytes]`, so a large body
//! is never copied into a JSON string. Meta is `{"status", "headers", "nextUri", "requestId"}`
//! on success, or `{"error": {...}}` (see `okta_core::Error::to_json`) with the error body after it.
//! Both carry `"attempts"`: the request's attempt log (`okta_core::Attempt`, one object per
//! attempt: `attempt`, `pacedMs`, `pacedReason`, `status`, `failure`, `requestId`, `elapsedMs`,
//! `next` = `done`|`retry`|`giveUp`, `waitMs`, `reason`), for `-Verbose`.
//!
//! Config carries the retry and pacing policy too: `maxRetries` (absent or null: 4; 0: off),
//! `maxApiCapacity` (1–100, absent: 100), `maxConcurrency` (absent or 0: 10).

use okta_core::{ApiResponse, ApiRequest, Attempt, Config, Error, Logged};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct SendEnvelope {
    pub config: Config,
    pub request: ApiRequest,
}

pub fn parse_request(request: &[u8], body: &[u8]) -> Result<(Config, ApiRequest), Error> {
    let SendEnvelope { config, mut request } = serde_json::from_slice(request)
        .map_err(|e| Error::Request(format!("malformed request envelope from the PowerShell glue: {e}")))?;
    request.body = (!body.is_empty()).then(|| body.to_vec());
    Ok((config, request))
}

/// The envelope of `okta_pages_open`: like `okta_send`'s, with an optional `"end"` and no body.
#[derive(Deserialize)]
pub struct PagesEnvelope {
    pub config: Config,
    pub request: ApiRequest,
    #[serde(default)]
    pub end: Option<String>,
}

pub fn parse_pages_request(request: &[u8]) -> Result<(Config, ApiRequest, Option<String>), Error> {
    let PagesEnvelope { config, request, end } = serde_json::from_slice(request)
        .map_err(|e| Error::Request(format!("malformed page-stream envelope from the PowerShell glue: {e}")))?;
    Ok((config, request, end))
}

pub fn encode_handle(handle: u64) -> Vec<u8> {
    frame(&serde_json::to_vec(&serde_json::json!({ "handle": handle })).expect("a number serializes"), &[])
}

/// A page: the response meta plus `"more"` (whether another page follows).
pub fn encode_page(response: &ApiResponse, more: bool) -> Vec<u8> {
    let mut meta = serde_json::to_value(response).expect("ApiResponse serializes: plain strings and numbers");
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
    let attempts = serde_json::to_value(&logged.attempts).expect("attempts serialize: plain strings and numbers");
    match &logged.result {
        Ok(response) => {
            let mut meta = serde_json::to_value(response).expect("ApiResponse serializes: plain strings and numbers");
            meta["attempts"] = attempts;
            frame(&serde_json::to_vec(&meta).expect("a serde_json::Value always serializes"), &response.body)
        }
        Err(error) => encode_error_with_attempts(error, &logged.attempts),
    }
}

pub fn encode_error_with_attempts(error: &Error, attempts: &[Attempt]) -> Vec<u8> {
    let meta = serde_json::to_vec(&serde_json::json!({ "error": error.to_json(), "attempts": attempts }))
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
