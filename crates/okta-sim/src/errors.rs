//! Okta error bodies. Every error the simulator sends is shaped here, nowhere else.
//!
//! Management API: `{errorCode, errorSummary, errorLink, errorId, errorCauses: [{errorSummary}]}`.
//! OAuth endpoints: `{error, error_description}`.

use http::StatusCode;
use serde_json::{Value, json};

#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub summary: String,
    pub causes: Vec<String>,
    /// Extra response headers (`WWW-Authenticate`, `DPoP-Nonce`, ...).
    pub headers: Vec<(&'static str, String)>,
    /// OAuth-style body `{error, error_description}` instead of the Okta one.
    pub oauth: Option<(String, String)>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, summary: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            summary: summary.into(),
            causes: Vec::new(),
            headers: Vec::new(),
            oauth: None,
        }
    }

    pub fn with_cause(mut self, cause: impl Into<String>) -> Self {
        self.causes.push(cause.into());
        self
    }

    pub fn with_header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }

    /// 400 E0000001 "Api validation failed: FIELD" with the cause "FIELD: MESSAGE".
    pub fn validation(field: &str, message: &str) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "E0000001",
            format!("Api validation failed: {field}"),
        )
        .with_cause(format!("{field}: {message}"))
    }

    /// 400 E0000001 with a free-form summary (lifecycle rule violations and the like).
    pub fn bad_request(summary: impl Into<String>) -> Self {
        let s = summary.into();
        Self::new(
            StatusCode::BAD_REQUEST,
            "E0000001",
            format!("Api validation failed: {s}"),
        )
        .with_cause(s)
    }

    /// 400 E0000003 "The request body was not well-formed."
    pub fn malformed_body() -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "E0000003",
            "The request body was not well-formed.",
        )
    }

    /// 404 E0000007 "Not found: Resource not found: ID (KIND)".
    pub fn not_found(id: &str, kind: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "E0000007",
            format!("Not found: Resource not found: {id} ({kind})"),
        )
    }

    /// 404 for a path the org does not serve.
    pub fn unknown_path(path: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "E0000007",
            format!("Not found: Resource not found: {path} (Endpoint)"),
        )
    }

    /// 405 E0000022 for a known path with a method it does not take.
    pub fn method_not_allowed() -> Self {
        Self::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "E0000022",
            "The endpoint does not support the provided HTTP method",
        )
    }

    /// 401 E0000011 "Invalid token provided".
    pub fn invalid_token() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "E0000011",
            "Invalid token provided",
        )
    }

    /// 403 E0000006 for an access token without the endpoint's scope.
    pub fn insufficient_scope(base_url: &str, path: &str, scopes: &[String]) -> Self {
        let www = format!(
            "Bearer authorization_uri=\"{base_url}/oauth2/v1/authorize\", realm=\"IDX\", scope=\"{}\", \
             error=\"insufficient_scope\", error_description=\"The access token provided does not contain the required scopes.\", \
             resource=\"{path}\"",
            scopes.join(" ")
        );
        Self::new(
            StatusCode::FORBIDDEN,
            "E0000006",
            "You do not have permission to perform the requested action",
        )
        .with_header("www-authenticate", www)
    }

    /// 403 E0000006 without scope details.
    pub fn forbidden(cause: &str) -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "E0000006",
            "You do not have permission to perform the requested action",
        )
        .with_cause(cause)
    }

    /// 429 E0000047.
    pub fn rate_limited() -> Self {
        Self::new(
            StatusCode::TOO_MANY_REQUESTS,
            "E0000047",
            "API call exceeded rate limit due to too many requests.",
        )
    }

    /// 400 E0000031 for a malformed or unsupported `search` / `filter` expression.
    pub fn invalid_search(detail: impl Into<String>) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "E0000031",
            "Invalid search criteria.",
        )
        .with_cause(detail)
    }

    /// 500 E0000009 (injected faults).
    pub fn internal(status: u16) -> Self {
        let st = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        Self::new(st, "E0000009", "Internal Server Error")
    }

    /// OAuth endpoints' `{error, error_description}`.
    pub fn oauth(status: StatusCode, error: &str, description: &str) -> Self {
        let mut e = Self::new(status, "", description);
        e.oauth = Some((error.to_string(), description.to_string()));
        e
    }

    pub fn body(&self, error_id: &str) -> Value {
        if let Some((error, description)) = &self.oauth {
            return json!({"error": error, "error_description": description});
        }
        let causes: Vec<Value> = self
            .causes
            .iter()
            .map(|c| json!({"errorSummary": c}))
            .collect();
        json!({
            "errorCode": self.code,
            "errorSummary": self.summary,
            "errorLink": self.code,
            "errorId": error_id,
            "errorCauses": causes,
        })
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        let b = ApiError::not_found("00uX", "User").body("oaeABC");
        assert_eq!(b["errorCode"], "E0000007");
        assert_eq!(
            b["errorSummary"],
            "Not found: Resource not found: 00uX (User)"
        );
        assert_eq!(b["errorLink"], "E0000007");
        assert_eq!(b["errorCauses"], json!([]));
        let v = ApiError::validation(
            "login",
            "An object with this field already exists in the current organization",
        )
        .body("x");
        assert_eq!(
            v["errorCauses"][0]["errorSummary"],
            "login: An object with this field already exists in the current organization"
        );
        let o = ApiError::oauth(StatusCode::BAD_REQUEST, "invalid_scope", "nope").body("x");
        assert_eq!(
            o,
            json!({"error": "invalid_scope", "error_description": "nope"})
        );
    }
}
