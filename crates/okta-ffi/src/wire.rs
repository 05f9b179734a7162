//! The JSON shapes that cross the boundary, and only here: okta-core knows nothing of them.
//!
//! In: the configuration a session is opened with ([`ConfigWire`], camelCase, as the glue's
//! `OktaConfiguration.WriteCoreConfig` writes it) and one request ([`RequestWire`]).
//! Out: a response's meta ([`response_meta`]), an error ([`error_json`]) and the attempt log
//! ([`attempts_json`]).

use std::collections::BTreeMap;

use okta_core::auth::{DeviceAuthorization, InteractiveAuthorization, TokenStatus};
use okta_core::{
    ApiError, ApiRequest, ApiResponse, Attempt, AuthorizationMode, Config, Delivery, Error, LostAnswer, Next,
    TransportKind,
};
use serde::Deserialize;
use serde_json::{Value, json};

/// `Config` as the glue sends it; absent fields take the core's defaults.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct ConfigWire {
    base_url: String,
    api_token: Option<String>,
    api_key_prefix: Option<String>,
    access_token: Option<String>,
    default_headers: BTreeMap<String, String>,
    request_timeout_ms: Option<u64>,
    max_retries: Option<u32>,
    max_api_capacity: Option<u32>,
    max_concurrency: Option<u32>,
    proxy: Option<String>,
    skip_certificate_check: bool,
    user_agent: Option<String>,
    client_id: Option<String>,
    scopes: Vec<String>,
    private_key: Option<String>,
    private_key_id: Option<String>,
    authorization_mode: Option<AuthorizationModeWire>,
    use_dpop: bool,
}

/// `authorizationMode`, the values of the Okta SDKs' `OKTA_CLIENT_AUTHORIZATIONMODE`.
#[derive(Deserialize, Clone, Copy)]
enum AuthorizationModeWire {
    #[serde(rename = "SSWS", alias = "ssws", alias = "Ssws")]
    Ssws,
    #[serde(alias = "bearer", alias = "BEARER")]
    Bearer,
    #[serde(alias = "privatekey", alias = "PRIVATEKEY", alias = "privateKey")]
    PrivateKey,
}

impl From<ConfigWire> for Config {
    fn from(wire: ConfigWire) -> Config {
        Config {
            base_url: wire.base_url,
            api_token: wire.api_token,
            api_key_prefix: wire.api_key_prefix,
            access_token: wire.access_token,
            default_headers: wire.default_headers,
            request_timeout_ms: wire.request_timeout_ms,
            max_retries: wire.max_retries,
            max_api_capacity: wire.max_api_capacity,
            max_concurrency: wire.max_concurrency,
            proxy: wire.proxy,
            skip_certificate_check: wire.skip_certificate_check,
            user_agent: wire.user_agent,
            client_id: wire.client_id,
            scopes: wire.scopes,
            private_key: wire.private_key,
            private_key_id: wire.private_key_id,
            authorization_mode: wire.authorization_mode.map(|mode| match mode {
                AuthorizationModeWire::Ssws => AuthorizationMode::Ssws,
                AuthorizationModeWire::Bearer => AuthorizationMode::Bearer,
                AuthorizationModeWire::PrivateKey => AuthorizationMode::PrivateKey,
            }),
            use_dpop: wire.use_dpop,
        }
    }
}

/// The configuration JSON of `okta_session_open`.
pub fn parse_config(json: &[u8]) -> Result<Config, Error> {
    serde_json::from_slice::<ConfigWire>(json)
        .map(Config::from)
        .map_err(|e| Error::Request(format!("malformed configuration from the PowerShell glue: {e}")))
}

/// One request: method, path template, `[[name, value]]` pairs, or a `uri` to call as is.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct RequestWire {
    method: String,
    path: String,
    path_params: Vec<(String, String)>,
    query: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    uri: Option<String>,
}

impl RequestWire {
    pub fn into_request(self, body: &[u8]) -> ApiRequest {
        ApiRequest {
            method: self.method,
            path: self.path,
            path_params: self.path_params,
            query: self.query,
            headers: self.headers,
            uri: self.uri,
            body: (!body.is_empty()).then(|| body.to_vec()),
        }
    }
}

/// 1xx–3xx answer meta: `{"status", "headers", "nextUri", "requestId"}` (the body follows the meta).
pub fn response_meta(response: &ApiResponse) -> Value {
    json!({
        "status": response.status,
        "headers": response.headers,
        "nextUri": response.next_uri,
        "requestId": response.request_id,
    })
}

/// The attempt log: one object per attempt, for `-Verbose`.
pub fn attempts_json(attempts: &[Attempt]) -> Value {
    Value::Array(attempts.iter().map(attempt_json).collect())
}

pub fn attempt_json(attempt: &Attempt) -> Value {
    json!({
        "attempt": attempt.attempt,
        "pacedMs": attempt.paced_ms,
        "pacedReason": attempt.paced_reason,
        "status": attempt.status,
        "failure": attempt.failure,
        "requestId": attempt.request_id,
        "elapsedMs": attempt.elapsed_ms,
        "next": next_name(attempt.next),
        "waitMs": attempt.wait_ms,
        "reason": attempt.reason,
    })
}

fn next_name(next: Next) -> &'static str {
    match next {
        Next::Done => "done",
        Next::Retry => "retry",
        Next::GiveUp => "giveUp",
    }
}

fn transport_kind_name(kind: TransportKind) -> &'static str {
    match kind {
        TransportKind::Connect => "Connect",
        TransportKind::Timeout => "Timeout",
        TransportKind::Tls => "Tls",
        TransportKind::Dns => "Dns",
        TransportKind::Body => "Body",
        TransportKind::Other => "Other",
    }
}

fn delivery_name(delivery: Delivery) -> &'static str {
    match delivery {
        Delivery::NotSent => "not_sent",
        Delivery::OutcomeUnknown => "outcome_unknown",
        Delivery::Answered => "answered",
    }
}

/// An error as one object: `{"kind", "message", "delivery", "transportKind"?, "lost"?, "api"?}`.
/// No header value is added that the core did not already show, and never a body.
pub fn error_json(error: &Error) -> Value {
    let mut object = json!({
        "kind": error.kind_name(),
        "message": error.to_string(),
        "delivery": delivery_name(error.delivery()),
    });
    match error {
        Error::Transport { kind, .. } => {
            object["transportKind"] = json!(transport_kind_name(*kind));
        }
        Error::OutcomeUnknown(lost) => {
            object["transportKind"] = json!(transport_kind_name(lost.transport_kind));
            object["lost"] = lost_json(lost);
        }
        Error::Api(api) => object["api"] = api_error_json(api),
        Error::Config(_) | Error::Request(_) | Error::Cancelled => {}
    }
    object
}

fn lost_json(lost: &LostAnswer) -> Value {
    json!({
        "method": lost.method,
        "path": lost.path,
        "requestId": lost.request_id,
        "transportKind": transport_kind_name(lost.transport_kind),
        "cause": lost.cause,
    })
}

fn api_error_json(api: &ApiError) -> Value {
    json!({
        "status": api.status,
        "headers": api.headers,
        "errorCode": api.error_code,
        "errorSummary": api.error_summary,
        "errorLink": api.error_link,
        "errorId": api.error_id,
        "errorCauses": api.error_causes.iter().map(|cause| json!({ "errorSummary": cause.error_summary })).collect::<Vec<_>>(),
        "oauthError": api.oauth_error,
        "oauthErrorDescription": api.oauth_error_description,
        "requestId": api.request_id,
        "server": api.server,
        "rateLimitReset": api.rate_limit_reset,
        "retryAfterMs": api.retry_after_ms,
    })
}

/// What a device sign-in shows the user; never the device code.
pub fn device_json(flow: &DeviceAuthorization) -> Value {
    json!({
        "userCode": flow.user_code,
        "verificationUri": flow.verification_uri,
        "verificationUriComplete": flow.verification_uri_complete,
        "expiresIn": flow.expires_in.as_secs(),
        "interval": flow.interval.as_secs(),
    })
}

/// What an interactive sign-in shows the user: `authorizeUrl`, `redirectUri`, `timeout` (s).
pub fn interactive_json(flow: &InteractiveAuthorization) -> Value {
    json!({
        "authorizeUrl": flow.authorize_url.as_str(),
        "redirectUri": flow.redirect_uri,
        "timeout": flow.timeout().as_secs(),
    })
}

/// `{"mode", "signedIn", "hasToken", "dpop"}`.
pub fn token_status_json(status: &TokenStatus) -> Value {
    json!({
        "mode": status.mode,
        "signedIn": status.signed_in,
        "hasToken": status.has_token,
        "dpop": status.dpop,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use okta_core::ErrorCause;

    #[test]
    fn configuration_in_camel_case_with_the_cores_defaults() {
        let config = parse_config(
            br#"{"baseUrl":"https://x.okta.com","apiToken":"t","requestTimeoutMs":500,
                "defaultHeaders":{"X-A":"1"},"skipCertificateCheck":true,"userAgent":"ua/1"}"#,
        )
        .unwrap();
        assert_eq!(config.base_url, "https://x.okta.com");
        assert_eq!(config.api_token.as_deref(), Some("t"));
        assert_eq!(config.request_timeout_ms, Some(500));
        assert_eq!(config.default_headers["X-A"], "1");
        assert!(config.skip_certificate_check);
        assert_eq!(config.user_agent.as_deref(), Some("ua/1"));
        assert_eq!(config.max_retries, None, "absent: the core's default");
        let policy = parse_config(br#"{"baseUrl":"b","maxRetries":0,"maxApiCapacity":50,"maxConcurrency":3}"#).unwrap();
        assert_eq!((policy.max_retries, policy.max_api_capacity, policy.max_concurrency), (Some(0), Some(50), Some(3)));
        let null = parse_config(br#"{"baseUrl":"b","maxRetries":null}"#).unwrap();
        assert_eq!(null.max_retries, None);
    }

    #[test]
    fn oauth_settings_and_authorization_modes() {
        let config = parse_config(
            br#"{"baseUrl":"https://x.okta.com","clientId":"0oa1","scopes":["okta.users.read","okta.groups.read"],
                "privateKey":"pem","privateKeyId":"kid1","authorizationMode":"PrivateKey","useDpop":true}"#,
        )
        .unwrap();
        assert_eq!(config.client_id.as_deref(), Some("0oa1"));
        assert_eq!(config.scopes, ["okta.users.read", "okta.groups.read"]);
        assert_eq!(config.private_key.as_deref(), Some("pem"));
        assert_eq!(config.private_key_id.as_deref(), Some("kid1"));
        assert_eq!(config.authorization_mode, Some(AuthorizationMode::PrivateKey));
        assert!(config.use_dpop);
        for (text, mode) in [("SSWS", AuthorizationMode::Ssws), ("ssws", AuthorizationMode::Ssws), ("Bearer", AuthorizationMode::Bearer)] {
            let config = parse_config(format!(r#"{{"authorizationMode":"{text}"}}"#).as_bytes()).unwrap();
            assert_eq!(config.authorization_mode, Some(mode));
        }
        assert!(parse_config(br#"{"authorizationMode":"Magic"}"#).is_err());
    }

    #[test]
    fn an_unknown_setting_is_refused_so_glue_and_core_cannot_drift_apart() {
        let error = parse_config(br#"{"baseUrl":"b","apiTokn":"typo"}"#).unwrap_err();
        assert!(error.to_string().contains("apiTokn"), "{error}");
    }

    #[test]
    fn requests_take_name_value_pairs_and_the_body_separately() {
        let wire: RequestWire = serde_json::from_str(
            r#"{"method":"GET","path":"/api/v1/users/{userId}","pathParams":[["userId","ada"]],
                "query":[["limit","2"]],"headers":[["X-A","1"]]}"#,
        )
        .unwrap();
        let request = wire.into_request(b"");
        assert_eq!(request.path_params, [("userId".to_owned(), "ada".to_owned())]);
        assert_eq!(request.query, [("limit".to_owned(), "2".to_owned())]);
        assert_eq!(request.headers, [("X-A".to_owned(), "1".to_owned())]);
        assert!(request.uri.is_none() && request.body.is_none());
        let with_body: RequestWire = serde_json::from_str(r#"{"method":"POST","uri":"/x?a=1"}"#).unwrap();
        let request = with_body.into_request(b"{}");
        assert_eq!(request.body.as_deref(), Some(&b"{}"[..]));
        assert_eq!(request.uri.as_deref(), Some("/x?a=1"));
    }

    #[test]
    fn response_meta_has_no_body() {
        let meta = response_meta(&ApiResponse {
            status: 200,
            headers: vec![("x-okta-request-id".into(), "req-1".into())],
            body: b"secret-ish body".to_vec(),
            next_uri: None,
            request_id: Some("req-1".into()),
        });
        assert_eq!(meta["status"], 200);
        assert_eq!(meta["requestId"], "req-1");
        assert_eq!(meta["headers"][0], json!(["x-okta-request-id", "req-1"]));
        assert!(meta["nextUri"].is_null());
        assert!(!meta.to_string().contains("secret-ish"));
    }

    #[test]
    fn error_shapes() {
        let api = ApiError {
            status: 429,
            headers: vec![("x-rate-limit-reset".into(), "1700000000".into())],
            body: br#"{"errorCode":"E0000047"}"#.to_vec(),
            error_code: Some("E0000047".into()),
            error_summary: Some("API call exceeded rate limit due to too many requests.".into()),
            error_link: None,
            error_id: Some("oae1".into()),
            error_causes: vec![ErrorCause { error_summary: "cause".into() }],
            oauth_error: None,
            oauth_error_description: None,
            request_id: Some("req-429".into()),
            server: "127.0.0.1:8080".into(),
            rate_limit_reset: Some(1_700_000_000),
            retry_after_ms: Some(17_000),
        };
        let value = error_json(&Error::Api(Box::new(api)));
        assert_eq!(value["kind"], "api");
        assert_eq!(value["delivery"], "answered");
        assert_eq!(value["api"]["status"], 429);
        assert_eq!(value["api"]["errorCode"], "E0000047");
        assert_eq!(value["api"]["requestId"], "req-429");
        assert_eq!(value["api"]["retryAfterMs"], 17_000);
        assert_eq!(value["api"]["errorCauses"][0]["errorSummary"], "cause");
        assert_eq!(value["api"]["headers"][0], json!(["x-rate-limit-reset", "1700000000"]));
        assert!(value["api"].get("body").is_none());
        assert!(value.get("transportKind").is_none());

        let transport = error_json(&Error::Transport { kind: TransportKind::Connect, message: "refused".into() });
        assert_eq!(transport["kind"], "transport");
        assert_eq!(transport["transportKind"], "Connect");
        assert_eq!(transport["delivery"], "not_sent");

        let lost = error_json(&Error::OutcomeUnknown(Box::new(LostAnswer {
            method: "POST".into(),
            path: "/api/v1/users".into(),
            request_id: None,
            transport_kind: TransportKind::Body,
            cause: "cut".into(),
        })));
        assert_eq!(lost["kind"], "outcome_unknown");
        assert_eq!(lost["delivery"], "outcome_unknown");
        assert_eq!(lost["transportKind"], "Body");
        assert_eq!(lost["lost"]["method"], "POST");
        assert_eq!(lost["lost"]["path"], "/api/v1/users");

        assert_eq!(error_json(&Error::Config("BaseUrl".into()))["kind"], "config");
        assert_eq!(error_json(&Error::Request("userId".into()))["kind"], "request");
        assert_eq!(error_json(&Error::Cancelled)["delivery"], "outcome_unknown");
    }

    #[test]
    fn attempts_in_camel_case() {
        let attempt = Attempt {
            attempt: 1,
            paced_ms: 5,
            paced_reason: Some("bucket".into()),
            status: None,
            failure: Some("notSent"),
            request_id: None,
            elapsed_ms: 3,
            next: Next::GiveUp,
            wait_ms: 0,
            reason: "why".into(),
        };
        let value = attempts_json(&[attempt]);
        assert_eq!(value[0]["pacedMs"], 5);
        assert_eq!(value[0]["pacedReason"], "bucket");
        assert_eq!(value[0]["failure"], "notSent");
        assert_eq!(value[0]["next"], "giveUp");
        assert!(value[0]["status"].is_null());
    }

    #[test]
    fn token_status_shape() {
        let value = token_status_json(&TokenStatus { mode: "session", signed_in: true, has_token: false, dpop: None });
        assert_eq!(value, json!({ "mode": "session", "signedIn": true, "hasToken": false, "dpop": null }));
    }
}
