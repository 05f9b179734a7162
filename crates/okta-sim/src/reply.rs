//! What a handler answers, before the pipeline adds headers and faults.

use http::StatusCode;
use serde_json::Value;

#[derive(Debug)]
pub enum ReplyBody {
    Json(Value),
    /// JSON already serialised (a list page written straight to bytes).
    JsonBytes(Vec<u8>),
    Text(String, &'static str),
    Empty,
}

#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: Vec<(&'static str, String)>,
    pub body: ReplyBody,
}

impl Reply {
    pub fn json(v: Value) -> Self {
        Reply {
            status: StatusCode::OK,
            headers: Vec::new(),
            body: ReplyBody::Json(v),
        }
    }
    pub fn json_status(status: u16, v: Value) -> Self {
        Reply {
            status: StatusCode::from_u16(status).unwrap_or(StatusCode::OK),
            headers: Vec::new(),
            body: ReplyBody::Json(v),
        }
    }
    /// 204 No Content.
    pub fn no_content() -> Self {
        Reply {
            status: StatusCode::NO_CONTENT,
            headers: Vec::new(),
            body: ReplyBody::Empty,
        }
    }
    /// A status without a payload (200 for lifecycle calls that return nothing): sent as `{}`.
    pub fn empty(status: u16) -> Self {
        Reply {
            status: StatusCode::from_u16(status).unwrap_or(StatusCode::OK),
            headers: Vec::new(),
            body: ReplyBody::Empty,
        }
    }
    pub fn header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }
}
