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
