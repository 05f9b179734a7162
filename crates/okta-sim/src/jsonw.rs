//! Writing JSON straight into a byte buffer, for the answers that must cost next to nothing (a 200-user list
//! page): no `Value` tree per record, no allocation per field. Every function writes exactly the bytes
//! `serde_json::to_vec` writes for the same value (compact form, its string escaping, `Okta`'s timestamp form);
//! the tests hold them to that.

use chrono::{DateTime, Datelike, Timelike, Utc};
use serde::Serialize;

/// Any serialisable value, through serde_json itself (profiles and other free-form maps).
pub fn value<T: Serialize + ?Sized>(out: &mut Vec<u8>, v: &T) {
    serde_json::to_writer(&mut *out, v).expect("serialising into a Vec cannot fail");
}

/// A JSON string whose text is the concatenation of `parts` (a URL from a base, a path and an id).
pub fn string(out: &mut Vec<u8>, parts: &[&str]) {
    out.push(b'"');
    for p in parts {
        escape_into(out, p);
    }
    out.push(b'"');
}

/// `"key":` (keys are the writer's own literals: no escaping needed).
pub fn key(out: &mut Vec<u8>, k: &str) {
    out.push(b'"');
    out.extend_from_slice(k.as_bytes());
    out.extend_from_slice(b"\":");
}

/// String contents escaped as serde_json does: `"` and `\`, the short escapes, other control characters as
/// `\u00xx` (lowercase hex); everything else, non-ASCII included, as is.
fn escape_into(out: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    // Ids, URLs and statuses never need escaping: one pass to check, one copy.
    if !bytes.iter().any(|&b| b < 0x20 || b == b'"' || b == b'\\') {
        out.extend_from_slice(bytes);
        return;
    }
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let short: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0x08 => b"\\b",
            0x0c => b"\\f",
            0x00..=0x1f => b"",
            _ => continue,
        };
        out.extend_from_slice(&bytes[start..i]);
        if short.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.extend_from_slice(b"\\u00");
            out.push(HEX[(b >> 4) as usize]);
            out.push(HEX[(b & 0xf) as usize]);
        } else {
            out.extend_from_slice(short);
        }
        start = i + 1;
    }
    out.extend_from_slice(&bytes[start..]);
}

/// A timestamp as [`crate::util::ts`] writes it (`2024-03-28T16:07:51.000Z`), as a JSON string.
pub fn ts(out: &mut Vec<u8>, t: &DateTime<Utc>) {
    // Read the fields from the naive UTC time: `DateTime`'s own accessors apply the (zero) offset each call.
    let t = t.naive_utc();
    let (year, nanos) = (t.year(), t.nanosecond());
    // Years of four digits and no leap second: the fixed-width form; anything else through chrono.
    if !(0..=9999).contains(&year) || nanos >= 1_000_000_000 {
        return string(out, &[&crate::util::ts(&t.and_utc())]);
    }
    out.push(b'"');
    push_digits(out, year as u32, 4);
    out.push(b'-');
    push_digits(out, t.month(), 2);
    out.push(b'-');
    push_digits(out, t.day(), 2);
    out.push(b'T');
    push_digits(out, t.hour(), 2);
    out.push(b':');
    push_digits(out, t.minute(), 2);
    out.push(b':');
    push_digits(out, t.second(), 2);
    out.push(b'.');
    push_digits(out, nanos / 1_000_000, 3);
    out.extend_from_slice(b"Z\"");
}

fn push_digits(out: &mut Vec<u8>, n: u32, width: u32) {
    for p in (0..width).rev() {
        out.push(b'0' + (n / 10u32.pow(p) % 10) as u8);
    }
}

/// An optional timestamp: the string, or `null`.
pub fn ts_opt(out: &mut Vec<u8>, t: &Option<DateTime<Utc>>) {
    match t {
        Some(t) => ts(out, t),
        None => out.extend_from_slice(b"null"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn strings_escape_as_serde_json_does() {
        let mut tricky: String = (0u8..0x80).map(char::from).collect();
        tricky.push_str("é 漢字 🙂 \u{2028} \"quoted\" back\\slash");
        for s in [tricky.as_str(), "", "plain", "\"", "a\u{7f}b"] {
            let mut out = Vec::new();
            string(&mut out, &[s]);
            assert_eq!(out, serde_json::to_vec(s).unwrap(), "{s:?}");
        }
        let mut out = Vec::new();
        string(&mut out, &["http://h", "/api/v1/users/", "00u\"x"]);
        assert_eq!(
            out,
            serde_json::to_vec("http://h/api/v1/users/00u\"x").unwrap()
        );
    }

    #[test]
    fn timestamps_match_util_ts() {
        let samples = [
            Utc.with_ymd_and_hms(2024, 1, 2, 3, 4, 5).unwrap(),
            Utc.with_ymd_and_hms(1999, 12, 31, 23, 59, 59).unwrap()
                + chrono::Duration::nanoseconds(999_999_999),
            Utc.with_ymd_and_hms(2026, 12, 1, 17, 0, 0).unwrap()
                + chrono::Duration::microseconds(123_456),
            Utc.with_ymd_and_hms(5, 6, 7, 8, 9, 10).unwrap(),
            Utc.with_ymd_and_hms(12345, 1, 1, 0, 0, 0).unwrap(),
            Utc::now(),
        ];
        for t in samples {
            let mut out = Vec::new();
            ts(&mut out, &t);
            assert_eq!(
                out,
                serde_json::to_vec(&crate::util::ts(&t)).unwrap(),
                "{t:?}"
            );
        }
        let mut out = Vec::new();
        ts_opt(&mut out, &None);
        assert_eq!(out, b"null");
    }
}
