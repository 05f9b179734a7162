//! One API call as the callers describe it, and how it becomes a URL.

use std::fmt;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use url::Url;

use crate::config::redact_url_password;
use crate::error::Error;

#[derive(Clone, Default)]
pub struct ApiRequest {
    /// `GET`, `POST`, ... in any case; empty means `GET`.
    pub method: String,
    /// Path template relative to the base URL, e.g. `/api/v1/users/{userId}`.
    pub path: String,
    /// Values for the `{name}` placeholders of `path`.
    pub path_params: Vec<(String, String)>,
    /// Query parameters in the order given.
    pub query: Vec<(String, String)>,
    /// Per-request headers; they win over every other source.
    pub headers: Vec<(String, String)>,
    /// When set, the URL to call as is (absolute, or relative to the base URL); `path`,
    /// `path_params` and `query` are then ignored. Used to follow `Link: rel="next"`.
    pub uri: Option<String>,
    /// JSON bytes; when present the request says `Content-Type: application/json`.
    pub body: Option<Vec<u8>>,
}

/// Unreserved characters (RFC 3986) stay as they are; everything else is escaped, so a path
/// parameter is always exactly one segment and a query value always reaches the server intact.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Debug output ends up in logs: credentials in per-request headers are masked and the body
/// (user profiles, passwords on create) is shown by size only.
impl fmt::Debug for ApiRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(name, value)| {
                let shown = if is_credential_header(name) {
                    "***"
                } else {
                    value.as_str()
                };
                (name.as_str(), shown)
            })
            .collect();
        f.debug_struct("ApiRequest")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("path_params", &self.path_params)
            .field("query", &self.query)
            .field("headers", &headers)
            .field("uri", &self.uri)
            .field(
                "body",
                &self
                    .body
                    .as_ref()
                    .map(|body| format!("{} bytes", body.len())),
            )
            .finish()
    }
}

fn is_credential_header(name: &str) -> bool {
    let name = name.trim().to_ascii_lowercase();
    matches!(
        name.as_str(),
        "authorization" | "proxy-authorization" | "cookie"
    ) || name.contains("token")
        || name.contains("key")
        || name.contains("secret")
}

impl ApiRequest {
    pub fn new(method: &str, path: &str) -> ApiRequest {
        ApiRequest {
            method: method.to_owned(),
            path: path.to_owned(),
            ..ApiRequest::default()
        }
    }

    pub(crate) fn http_method(&self) -> Result<reqwest::Method, Error> {
        let method = self.method.trim();
        if method.is_empty() {
            return Ok(reqwest::Method::GET);
        }
        reqwest::Method::from_bytes(method.to_ascii_uppercase().as_bytes())
            .map_err(|_| Error::Request(format!("Method '{method}' is not a valid HTTP method")))
    }

    /// The full URL of this request against `base`.
    pub(crate) fn url(&self, base: &Url) -> Result<Url, Error> {
        if let Some(uri) = self
            .uri
            .as_deref()
            .map(str::trim)
            .filter(|uri| !uri.is_empty())
        {
            return resolve_uri(uri, base);
        }
        let mut text = join_base(base, &self.expand_path()?);
        for (index, (name, value)) in self.query.iter().enumerate() {
            // A template may carry a literal query of its own ("/x?expand=y").
            let separator = if index == 0 && !text.contains('?') {
                '?'
            } else {
                '&'
            };
            text.push(separator);
            text.push_str(&encode(name));
            text.push('=');
            text.push_str(&encode(value));
        }
        parse_joined(&text)
    }

    /// Substitutes `{name}` placeholders with their percent-encoded values.
    fn expand_path(&self) -> Result<String, Error> {
        let template = self.path.as_str();
        let mut expanded = String::with_capacity(template.len() + 32);
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            expanded.push_str(&rest[..open]);
            let after_open = &rest[open + 1..];
            let close = after_open.find('}').ok_or_else(|| {
                Error::Request(format!(
                    "Path '{template}' has a '{{' without a closing '}}'"
                ))
            })?;
            let name = &after_open[..close];
            expanded.push_str(&self.path_segment(name)?);
            rest = &after_open[close + 1..];
        }
        expanded.push_str(rest);
        Ok(expanded)
    }

    fn path_segment(&self, name: &str) -> Result<String, Error> {
        let value = self
            .path_params
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
            .ok_or_else(|| {
                Error::Request(format!(
                    "Path parameter '{name}' has no value (path '{}')",
                    self.path
                ))
            })?;
        // An empty or dot segment would silently address another resource:
        // /groups/{groupId}/users/{userId} with userId "" or ".." is a different endpoint.
        if value.is_empty() || value == "." || value == ".." {
            return Err(Error::Request(format!(
                "Path parameter '{name}' must not be empty, '.' or '..' (got '{value}')"
            )));
        }
        Ok(encode(value))
    }
}

fn encode(text: &str) -> String {
    utf8_percent_encode(text, COMPONENT).to_string()
}

/// The base URL's own path is kept as a prefix (a base of `https://host/okta` + `/api/v1/x`
/// gives `https://host/okta/api/v1/x`), unlike RFC 3986 resolution which would drop it.
fn join_base(base: &Url, path: &str) -> String {
    let mut base_text = base.as_str();
    if let Some(query_start) = base_text.find(['?', '#']) {
        base_text = &base_text[..query_start];
    }
    let base_text = base_text.trim_end_matches('/');
    if path.is_empty() {
        format!("{base_text}/")
    } else if path.starts_with('/') {
        format!("{base_text}{path}")
    } else {
        format!("{base_text}/{path}")
    }
}

fn parse_joined(text: &str) -> Result<Url, Error> {
    Url::parse(text)
        .map_err(|error| Error::Request(format!("Path gives an invalid URL '{text}': {error}")))
}

fn resolve_uri(uri: &str, base: &Url) -> Result<Url, Error> {
    // Messages echo the Uri with any user:password@ masked.
    let shown = redact_url_password(uri);
    match Url::parse(uri) {
        // The Authorization header goes with the request: never to another origin than the org's.
        Ok(url) if matches!(url.scheme(), "http" | "https") && url.origin() != base.origin() => {
            Err(Error::Request(format!(
                "Uri '{shown}' is not on the configured BaseUrl ({}); the credentials are only sent to the org's own origin",
                base.origin().ascii_serialization()
            )))
        }
        Ok(url) if matches!(url.scheme(), "http" | "https") => Ok(url),
        Ok(_) => Err(Error::Request(format!(
            "Uri '{shown}' must be an http or https URL, or a path relative to the BaseUrl"
        ))),
        Err(url::ParseError::RelativeUrlWithoutBase) => Url::parse(&join_base(base, uri))
            .map_err(|error| Error::Request(format!("Uri '{shown}' is not a valid URL: {error}"))),
        Err(error) => Err(Error::Request(format!(
            "Uri '{shown}' is not a valid URL: {error}"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> Url {
        Url::parse("https://myorg.okta.com/").unwrap()
    }

    fn request(path: &str, params: &[(&str, &str)]) -> ApiRequest {
        ApiRequest {
            path: path.into(),
            path_params: params
                .iter()
                .map(|(name, value)| ((*name).into(), (*value).into()))
                .collect(),
            ..ApiRequest::default()
        }
    }

    #[test]
    fn path_params_are_one_encoded_segment() {
        let cases = [
            ("ada@example.com", "/api/v1/users/ada%40example.com"),
            ("a/b", "/api/v1/users/a%2Fb"),
            ("what?#x y", "/api/v1/users/what%3F%23x%20y"),
            ("Zoë", "/api/v1/users/Zo%C3%AB"),
            ("00u1-ab_c.d~e", "/api/v1/users/00u1-ab_c.d~e"),
            ("100%", "/api/v1/users/100%25"),
        ];
        for (value, path) in cases {
            let url = request("/api/v1/users/{userId}", &[("userId", value)])
                .url(&base())
                .unwrap();
            assert_eq!(url.path(), path, "value {value:?}");
        }
    }

    #[test]
    fn several_params_and_literal_text() {
        let url = request(
            "/api/v1/groups/{groupId}/users/{userId}",
            &[("userId", "u1"), ("groupId", "g1")],
        )
        .url(&base())
        .unwrap();
        assert_eq!(
            url.as_str(),
            "https://myorg.okta.com/api/v1/groups/g1/users/u1"
        );
    }

    #[test]
    fn missing_and_dangerous_params_are_errors_naming_the_parameter() {
        for (params, name) in [
            (&[][..], "userId"),
            (&[("userid", "x")][..], "userId"),
            (&[("userId", "")][..], "userId"),
            (&[("userId", "..")][..], "userId"),
        ] {
            let error = request("/api/v1/users/{userId}", params)
                .url(&base())
                .unwrap_err();
            assert!(matches!(error, Error::Request(_)));
            assert!(error.to_string().contains(name), "{error}");
        }
        let error = request("/api/v1/users/{userId", &[])
            .url(&base())
            .unwrap_err();
        assert!(
            error.to_string().contains("/api/v1/users/{userId"),
            "{error}"
        );
    }

    #[test]
    fn base_path_prefix_is_kept() {
        let base = Url::parse("http://127.0.0.1:8080/okta/").unwrap();
        let url = request("/api/v1/users", &[]).url(&base).unwrap();
        assert_eq!(url.as_str(), "http://127.0.0.1:8080/okta/api/v1/users");
    }

    #[test]
    fn query_is_encoded_in_order() {
        let mut request = request("/api/v1/users", &[]);
        request.query = vec![
            ("search".into(), "profile.lastName eq \"Lovelace\"".into()),
            ("limit".into(), "2".into()),
            ("q".into(), "a&b=c+d#e ü".into()),
        ];
        let url = request.url(&base()).unwrap();
        assert_eq!(
            url.query(),
            Some(
                "search=profile.lastName%20eq%20%22Lovelace%22&limit=2&q=a%26b%3Dc%2Bd%23e%20%C3%BC"
            )
        );
        let decoded: Vec<(String, String)> = url.query_pairs().into_owned().collect();
        assert_eq!(decoded, request.query);
    }

    #[test]
    fn uri_is_used_as_is() {
        let mut request = request("/ignored/{x}", &[]);
        request.query = vec![("ignored".into(), "1".into())];
        request.uri = Some("https://myorg.okta.com/api/v1/users?after=00u%2B1&limit=2".into());
        assert_eq!(
            request.url(&base()).unwrap().as_str(),
            "https://myorg.okta.com/api/v1/users?after=00u%2B1&limit=2"
        );
        request.uri = Some("/api/v1/users?after=a%20b".into());
        let base = Url::parse("http://127.0.0.1:9/okta").unwrap();
        assert_eq!(
            request.url(&base).unwrap().as_str(),
            "http://127.0.0.1:9/okta/api/v1/users?after=a%20b"
        );
        request.uri = Some("ftp://x/y".into());
        assert!(request.url(&base).unwrap_err().to_string().contains("Uri"));
    }

    #[test]
    fn debug_masks_credentials_and_body() {
        let mut request = ApiRequest::new("POST", "/api/v1/users");
        request.headers = vec![
            ("Authorization".into(), "SSWS SECRET1".into()),
            ("X-Api-Key".into(), "SECRET2".into()),
            ("X-Trace".into(), "visible".into()),
        ];
        request.body = Some(br#"{"credentials":{"password":{"value":"SECRET3"}}}"#.to_vec());
        let debug = format!("{request:?}");
        assert!(!debug.contains("SECRET"), "{debug}");
        assert!(
            debug.contains("visible") && debug.contains("bytes"),
            "{debug}"
        );
    }

    #[test]
    fn methods() {
        assert_eq!(
            ApiRequest::new("", "/").http_method().unwrap(),
            reqwest::Method::GET
        );
        assert_eq!(
            ApiRequest::new("post", "/").http_method().unwrap(),
            reqwest::Method::POST
        );
        let error = ApiRequest::new("GE T", "/").http_method().unwrap_err();
        assert!(error.to_string().contains("Method"), "{error}");
    }
}
