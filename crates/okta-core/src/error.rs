//! Errors of the core: bad settings, bad request input, transport failures and Okta API errors.
//!
//! Messages are meant to be shown to a PowerShell user as they are, so they name the setting,
//! parameter or `host:port` involved and never contain header values or tokens.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::Value;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A setting of [`crate::Config`] is unusable; the message names it.
    #[error("{0}")]
    Config(String),
    /// The request input is unusable; the message names the parameter.
    #[error("{0}")]
    Request(String),
    /// The HTTP exchange itself failed (no HTTP status was received, or the body was cut).
    #[error("{message}")]
    Transport {
        kind: TransportKind,
        message: String,
    },
    /// A write (POST, PUT, PATCH, DELETE) was sent, or may have been, and its answer was lost
    /// (connection dropped, body cut off, deadline hit while waiting): the change may have been
    /// applied. Reads that fail this way stay [`Error::Transport`]: repeating them is harmless.
    #[error("{0}")]
    OutcomeUnknown(Box<LostAnswer>),
    /// The server answered with a 4xx or 5xx status.
    #[error("{0}")]
    Api(Box<ApiError>),
    /// The caller cancelled the request (Ctrl+C in PowerShell) before it finished.
    #[error("the request was cancelled")]
    Cancelled,
}

/// What went wrong underneath HTTP, so that callers can react (retry, hint) without parsing text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransportKind {
    Connect,
    Timeout,
    Tls,
    Dns,
    Body,
    Other,
}

impl TransportKind {
    /// Whether a failure of this kind happened before the request could leave: connecting,
    /// resolving the host and the TLS handshake come first, so nothing reached the server.
    /// Every other kind happens after sending began, so the server may have acted on it.
    /// (The client only reports `Connect`, `Dns` and `Tls` for failures while connecting.)
    pub fn delivery(self) -> Delivery {
        match self {
            TransportKind::Connect | TransportKind::Dns | TransportKind::Tls => Delivery::NotSent,
            TransportKind::Timeout | TransportKind::Body | TransportKind::Other => {
                Delivery::OutcomeUnknown
            }
        }
    }
}

/// How far a failed request got: what a script and a retry policy must know before sending a
/// write again. See [`Error::delivery`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    /// Nothing reached the server (bad settings or input, connection refused, DNS, TLS
    /// handshake, proxy unreachable): sending it again cannot apply a change twice.
    NotSent,
    /// The request was sent, or may have been, and no complete answer came back: the server
    /// may have applied it. Check before sending a write again.
    OutcomeUnknown,
    /// The server answered (a 4xx/5xx status).
    Answered,
}

/// A write whose answer was lost: what was sent, and how to find out whether it was applied.
#[derive(Debug, Clone)]
pub struct LostAnswer {
    /// `POST`, `PUT`, `PATCH` or `DELETE`.
    pub method: String,
    /// The path that was called (no query string), e.g. `/api/v1/users/00u1/lifecycle/deactivate`.
    pub path: String,
    /// `X-Okta-Request-Id`, when the answer's headers arrived before it was cut off.
    pub request_id: Option<String>,
    pub transport_kind: TransportKind,
    /// The transport failure's own message.
    pub cause: String,
}

impl fmt::Display for LostAnswer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {}: {}. The request was sent but its answer was lost, so the change may have been \
             applied: check (get the resource, or search the System Log) before sending it again",
            self.method, self.path, self.cause
        )?;
        match &self.request_id {
            Some(id) => write!(f, " (Okta request id {id})"),
            None => write!(f, " (no Okta request id was received)"),
        }
    }
}

/// Methods that change something on the server.
pub(crate) fn is_write(method: &str) -> bool {
    ["POST", "PUT", "PATCH", "DELETE"]
        .iter()
        .any(|write| write.eq_ignore_ascii_case(method))
}

/// A 4xx/5xx answer, with the Okta or OAuth error fields when the body carried them.
#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    /// Raw body as received (may be HTML from a proxy, or empty).
    pub body: Vec<u8>,
    pub error_code: Option<String>,
    pub error_summary: Option<String>,
    pub error_link: Option<String>,
    pub error_id: Option<String>,
    pub error_causes: Vec<ErrorCause>,
    pub oauth_error: Option<String>,
    pub oauth_error_description: Option<String>,
    pub request_id: Option<String>,
    /// `host:port` that answered; lets a message tell a proxy's page from Okta's answer.
    pub server: String,
    /// `X-Rate-Limit-Reset`: when the rate-limit window resets, in Unix seconds.
    pub rate_limit_reset: Option<i64>,
    /// For a 429 (or a 503 with `Retry-After`): how long to wait before trying again, from
    /// `Retry-After` when present, else `X-Rate-Limit-Reset` minus the answer's `Date`.
    pub retry_after_ms: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorCause {
    pub error_summary: String,
}

impl Error {
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            Error::Api(api) => Some(api),
            _ => None,
        }
    }

    /// The transport failure underneath, for [`Error::Transport`] and [`Error::OutcomeUnknown`].
    pub fn transport_kind(&self) -> Option<TransportKind> {
        match self {
            Error::Transport { kind, .. } => Some(*kind),
            Error::OutcomeUnknown(lost) => Some(lost.transport_kind),
            _ => None,
        }
    }

    /// How far the request got before it failed. This is the one classification that retry
    /// policies and callers use to decide whether sending a request again is safe:
    /// [`Delivery::NotSent`] can always be sent again; [`Delivery::OutcomeUnknown`] may already
    /// have been applied (only idempotent requests are safe to repeat blindly);
    /// [`Delivery::Answered`] is the server's verdict ([`Error::Api`]).
    /// A cancelled request counts as `OutcomeUnknown`: it may have been cancelled after sending.
    pub fn delivery(&self) -> Delivery {
        match self {
            Error::Config(_) | Error::Request(_) => Delivery::NotSent,
            Error::Transport { kind, .. } => kind.delivery(),
            Error::OutcomeUnknown(_) | Error::Cancelled => Delivery::OutcomeUnknown,
            Error::Api(_) => Delivery::Answered,
        }
    }

    /// Whether the request reached the server, or may have: `delivery() != NotSent`.
    pub fn was_sent(&self) -> bool {
        self.delivery() != Delivery::NotSent
    }

    /// Turns a transport failure of a write that may have reached the server into
    /// [`Error::OutcomeUnknown`], which says what was sent and how to check. Everything else
    /// (reads, failures before sending) is returned unchanged.
    pub(crate) fn for_request(self, method: &str, path: &str, request_id: Option<&str>) -> Error {
        match self {
            Error::Transport { kind, message }
                if kind.delivery() == Delivery::OutcomeUnknown && is_write(method) =>
            {
                Error::OutcomeUnknown(Box::new(LostAnswer {
                    method: method.to_ascii_uppercase(),
                    path: path.to_owned(),
                    request_id: request_id.map(str::to_owned),
                    transport_kind: kind,
                    cause: message,
                }))
            }
            other => other,
        }
    }

    /// Lower-case name of the variant (what a caller switches on).
    pub fn kind_name(&self) -> &'static str {
        match self {
            Error::Config(_) => "config",
            Error::Request(_) => "request",
            Error::Transport { .. } => "transport",
            Error::OutcomeUnknown(_) => "outcome_unknown",
            Error::Api(_) => "api",
            Error::Cancelled => "cancelled",
        }
    }
}

/// The fields an error body may carry: Okta's own shape and the OAuth 2.0 one.
#[derive(Default)]
struct ErrorBody {
    error_code: Option<String>,
    error_summary: Option<String>,
    error_link: Option<String>,
    error_id: Option<String>,
    error_causes: Vec<String>,
    error: Option<String>,
    error_description: Option<String>,
}

impl ApiError {
    /// Builds the error from a raw answer. Only a body that is a JSON object is read for error
    /// fields: a proxy's HTML page or an empty body leaves them all `None`.
    pub fn from_response(
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
        server: String,
    ) -> ApiError {
        let parsed = parse_error_body(&body).unwrap_or_default();
        let request_id = header_value(&headers, "x-okta-request-id").map(str::to_owned);
        let rate_limit_reset = header_value(&headers, "x-rate-limit-reset")
            .and_then(|reset| reset.trim().parse::<i64>().ok());
        let retry_after_ms = retry_after(status, &headers, rate_limit_reset, SystemTime::now());
        ApiError {
            status,
            headers,
            body,
            error_code: parsed.error_code,
            error_summary: parsed.error_summary,
            error_link: parsed.error_link,
            error_id: parsed.error_id,
            error_causes: parsed
                .error_causes
                .into_iter()
                .map(|error_summary| ErrorCause { error_summary })
                .collect(),
            oauth_error: parsed.error,
            oauth_error_description: parsed.error_description,
            request_id,
            server,
            rate_limit_reset,
            retry_after_ms,
        }
    }

    /// First value of a response header (name compared case-insensitively).
    pub fn header(&self, name: &str) -> Option<&str> {
        header_value(&self.headers, name)
    }

    fn is_okta_error(&self) -> bool {
        self.error_code.is_some() || self.error_summary.is_some()
    }
}

/// The wait a 429 (or a 503 with `Retry-After`) asks for. The server's own `Date` is the
/// reference for `X-Rate-Limit-Reset`, so a skewed local clock does not stretch or cut the wait;
/// `now` stands in only when the answer has no usable `Date`.
fn retry_after(
    status: u16,
    headers: &[(String, String)],
    rate_limit_reset: Option<i64>,
    now: SystemTime,
) -> Option<u64> {
    let retry_after = header_value(headers, "retry-after").map(str::trim);
    if status != 429 && !(status == 503 && retry_after.is_some()) {
        return None;
    }
    let server_now = header_value(headers, "date")
        .and_then(|date| httpdate::parse_http_date(date.trim()).ok())
        .unwrap_or(now);
    let millis_until = |instant: SystemTime| {
        let wait = instant.duration_since(server_now).unwrap_or(Duration::ZERO);
        u64::try_from(wait.as_millis()).unwrap_or(u64::MAX)
    };
    if let Some(value) = retry_after {
        if let Ok(seconds) = value.parse::<u64>() {
            return Some(seconds.saturating_mul(1000));
        }
        if let Ok(instant) = httpdate::parse_http_date(value) {
            return Some(millis_until(instant));
        }
    }
    let reset = u64::try_from(rate_limit_reset?).ok()?;
    Some(millis_until(UNIX_EPOCH + Duration::from_secs(reset)))
}

fn parse_error_body(body: &[u8]) -> Option<ErrorBody> {
    // Read through Value rather than a typed struct: one field of an unexpected type (an odd
    // proxy or gateway body) must not throw away the fields that are usable.
    let value: Value = serde_json::from_slice(body).ok()?;
    let object = value.as_object()?;
    let text = |key: &str| object.get(key).and_then(Value::as_str).map(str::to_owned);
    let causes = object
        .get("errorCauses")
        .and_then(Value::as_array)
        .map(|causes| {
            causes
                .iter()
                .filter_map(|cause| cause.get("errorSummary").and_then(Value::as_str))
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    Some(ErrorBody {
        error_code: text("errorCode"),
        error_summary: text("errorSummary"),
        error_link: text("errorLink"),
        error_id: text("errorId"),
        error_causes: causes,
        error: text("error"),
        error_description: text("error_description"),
    })
}

pub(crate) fn header_value<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(key, _)| key.eq_ignore_ascii_case(name))
        .map(|(_, value)| value.as_str())
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_okta_error() {
            write!(f, "Okta API error {}", self.status)?;
            if let Some(code) = &self.error_code {
                write!(f, " ({code})")?;
            }
            if let Some(summary) = &self.error_summary {
                write!(f, ": {summary}")?;
            }
            let causes: Vec<&str> = self
                .error_causes
                .iter()
                .map(|cause| cause.error_summary.as_str())
                // Okta often repeats the summary as the only cause; saying it twice is noise.
                .filter(|cause| Some(*cause) != self.error_summary.as_deref())
                .collect();
            if !causes.is_empty() {
                write!(f, " (causes: {})", causes.join("; "))?;
            }
            return Ok(());
        }
        if let Some(oauth_error) = &self.oauth_error {
            write!(f, "OAuth error {} ({oauth_error})", self.status)?;
            if let Some(description) = &self.oauth_error_description {
                write!(f, ": {description}")?;
            }
            return Ok(());
        }
        write!(f, "HTTP {}", self.status)?;
        if let Some(reason) = http_reason(self.status) {
            write!(f, " {reason}")?;
        }
        write!(f, " from {}", self.server)?;
        let content_type = self.header("content-type").unwrap_or("no content type");
        if self.body.iter().all(u8::is_ascii_whitespace) {
            write!(f, " (empty body)")
        } else if parse_error_body(&self.body).is_some() {
            write!(f, " (JSON body without Okta error fields, {content_type})")
        } else {
            write!(f, " (non-JSON body, {content_type})")
        }
    }
}

fn http_reason(status: u16) -> Option<&'static str> {
    reqwest::StatusCode::from_u16(status)
        .ok()
        .and_then(|status| status.canonical_reason())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api_error(status: u16, content_type: &str, body: &str) -> ApiError {
        ApiError::from_response(
            status,
            vec![
                ("content-type".into(), content_type.into()),
                ("x-okta-request-id".into(), "req-1".into()),
            ],
            body.as_bytes().to_vec(),
            "127.0.0.1:8080".into(),
        )
    }

    #[test]
    fn okta_body_fields_and_display() {
        let error = api_error(
            404,
            "application/json",
            r#"{"errorCode":"E0000007","errorSummary":"Not found: Resource not found: nobody (User)",
               "errorLink":"E0000007","errorId":"oae123","errorCauses":[]}"#,
        );
        assert_eq!(error.error_code.as_deref(), Some("E0000007"));
        assert_eq!(error.error_id.as_deref(), Some("oae123"));
        assert_eq!(error.request_id.as_deref(), Some("req-1"));
        assert_eq!(
            error.to_string(),
            "Okta API error 404 (E0000007): Not found: Resource not found: nobody (User)"
        );
    }

    #[test]
    fn okta_causes_are_listed_once() {
        let error = api_error(
            400,
            "application/json",
            r#"{"errorCode":"E0000001","errorSummary":"Api validation failed: login",
               "errorCauses":[{"errorSummary":"login: already exists"},{"errorSummary":"email: bad"}]}"#,
        );
        assert_eq!(
            error.to_string(),
            "Okta API error 400 (E0000001): Api validation failed: login \
             (causes: login: already exists; email: bad)"
        );
    }

    #[test]
    fn oauth_body() {
        let error = api_error(
            400,
            "application/json",
            r#"{"error":"invalid_grant","error_description":"The refresh token is invalid."}"#,
        );
        assert_eq!(error.oauth_error.as_deref(), Some("invalid_grant"));
        assert_eq!(error.error_code, None);
        assert_eq!(
            error.to_string(),
            "OAuth error 400 (invalid_grant): The refresh token is invalid."
        );
    }

    #[test]
    fn html_body_is_not_parsed() {
        let error = api_error(502, "text/html", "<html><body>Bad Gateway</body></html>");
        assert_eq!(error.error_code, None);
        assert_eq!(error.error_summary, None);
        assert_eq!(
            error.to_string(),
            "HTTP 502 Bad Gateway from 127.0.0.1:8080 (non-JSON body, text/html)"
        );
    }

    #[test]
    fn odd_json_keeps_usable_fields() {
        let error = api_error(
            500,
            "application/json",
            r#"{"errorCode":"E0000009","errorSummary":42,"errorCauses":"nope"}"#,
        );
        assert_eq!(error.error_code.as_deref(), Some("E0000009"));
        assert_eq!(error.error_summary, None);
        assert!(error.error_causes.is_empty());
    }

    #[test]
    fn empty_and_foreign_json_bodies() {
        assert_eq!(
            api_error(401, "application/json", "").to_string(),
            "HTTP 401 Unauthorized from 127.0.0.1:8080 (empty body)"
        );
        assert_eq!(
            api_error(500, "application/json", r#"{"message":"boom"}"#).to_string(),
            "HTTP 500 Internal Server Error from 127.0.0.1:8080 \
             (JSON body without Okta error fields, application/json)"
        );
    }
}
