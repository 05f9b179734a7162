//! The byte layouts that cross the boundary.
//!
//! Request: `okta_send(request, body)` — `request` is UTF-8 JSON `{"config": Config, "request": ApiRequest}`,
//! `body` the raw JSON body (empty = no body).
//!
//! Response: one buffer `[u32 little-endian meta length][meta JSON][body bytes]`, so a large body
//! is never copied into a JSON string. Meta is `{"status", "headers", "nextUri", "requestId"}`
//! on success, or `{"error": {...}}` (see `okta_core::Error::to_json`) with the error body after it.

use okta_core::{ApiRequest, ApiResponse, Config, Error};
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

pub fn encode_done() -> Vec<u8> {
    frame(br#"{"done":true}"#, &[])
}

pub fn encode_response(response: &ApiResponse) -> Vec<u8> {
    let meta = serde_json::to_vec(response).expect("ApiResponse serializes: plain strings and numbers");
    frame(&meta, &response.body)
}

pub fn encode_error(error: &Error) -> Vec<u8> {
    let meta = serde_json::to_vec(&serde_json::json!({ "error": error.to_json() }))
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
