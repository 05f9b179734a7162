//! Small shared helpers: timestamps in Okta's format, ids, query strings.

use chrono::{DateTime, SecondsFormat, Utc};
use rand::Rng;

/// Okta's timestamp format: `2024-03-28T16:07:51.000Z`.
pub fn ts(t: &DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

pub fn ts_opt(t: &Option<DateTime<Utc>>) -> serde_json::Value {
    match t {
        Some(t) => serde_json::Value::String(ts(t)),
        None => serde_json::Value::Null,
    }
}

/// Parses an ISO 8601 / RFC 3339 timestamp (with or without fraction; `Z` or offset; date only).
pub fn parse_ts(s: &str) -> Option<DateTime<Utc>> {
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    if let Ok(t) = chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f") {
        return Some(t.and_utc());
    }
    if let Ok(d) = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return d.and_hms_opt(0, 0, 0).map(|t| t.and_utc());
    }
    None
}

/// Percent-encodes a query component (spaces as %20, not +).
pub fn enc(s: &str) -> String {
    const SET: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'_')
        .remove(b'.')
        .remove(b'~');
    percent_encoding::utf8_percent_encode(s, SET).to_string()
}

const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

pub fn random_alnum<R: Rng + ?Sized>(rng: &mut R, n: usize) -> String {
    (0..n)
        .map(|_| ALNUM[rng.random_range(0..ALNUM.len())] as char)
        .collect()
}

/// An Okta-style id: a 3-character prefix (`00u`, `00g`, `0oa`, ...) and 17 alphanumerics.
pub fn okta_id<R: Rng + ?Sized>(rng: &mut R, prefix: &str) -> String {
    format!("{prefix}{}", random_alnum(rng, 20 - prefix.len().min(20)))
}

/// Query parameters in their order, decoded.
#[derive(Debug, Clone, Default)]
pub struct Query {
    pub pairs: Vec<(String, String)>,
}

impl Query {
    pub fn parse(raw: Option<&str>) -> Query {
        let pairs = match raw {
            Some(q) => form_urlencoded::parse(q.as_bytes())
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
            None => Vec::new(),
        };
        Query { pairs }
    }
    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
    /// A boolean parameter (`true`/`false`, case-insensitive); `default` when absent.
    pub fn flag(&self, name: &str, default: bool) -> bool {
        match self.get(name) {
            Some(v) => v.eq_ignore_ascii_case("true") || v == "1",
            None => default,
        }
    }
    /// Serialises back, replacing (or adding) the given parameters.
    pub fn with(&self, replace: &[(&str, String)]) -> String {
        let mut parts: Vec<String> = Vec::new();
        for (k, v) in &self.pairs {
            if replace.iter().any(|(r, _)| r == k) {
                continue;
            }
            parts.push(format!("{}={}", enc(k), enc(v)));
        }
        for (k, v) in replace {
            parts.push(format!("{}={}", enc(k), enc(v)));
        }
        parts.join("&")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps() {
        let t = parse_ts("2024-03-28T16:07:51Z").unwrap();
        assert_eq!(ts(&t), "2024-03-28T16:07:51.000Z");
        assert!(parse_ts("2024-03-28T16:07:51.123+02:00").is_some());
        assert!(parse_ts("2024-03-28").is_some());
        assert!(parse_ts("yesterday").is_none());
    }

    #[test]
    fn ids() {
        let mut r = rand::rng();
        let id = okta_id(&mut r, "00u");
        assert_eq!(id.len(), 20);
        assert!(id.starts_with("00u"));
    }

    #[test]
    fn query_roundtrip() {
        let q = Query::parse(Some("search=profile.login%20eq%20%22a%40b.c%22&limit=2"));
        assert_eq!(q.get("search"), Some("profile.login eq \"a@b.c\""));
        let s = q.with(&[("limit", "5".into()), ("after", "X".into())]);
        assert_eq!(
            s,
            "search=profile.login%20eq%20%22a%40b.c%22&limit=5&after=X"
        );
    }
}
