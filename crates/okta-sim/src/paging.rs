//! `limit` / `after` paging and the `Link` headers.
//!
//! Every list answers `Link: <…>; rel="self"`; when more remain, a second, separate
//! `Link: <…?limit=N&after=CURSOR>; rel="next"` header. URLs are absolute with the simulator's base URL and keep
//! the request's other query parameters. Cursors are opaque to clients: for records in creation order the
//! cursor is the id of the last record on the page (resolved to its creation sequence, so deletions between
//! pages do not skip or repeat records); sorted lists use an offset.

use crate::errors::{ApiError, ApiResult};
use crate::util::Query;

#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub default: usize,
    pub max: usize,
}

impl Limits {
    pub const fn new(default: usize, max: usize) -> Self {
        Limits { default, max }
    }
}

/// Reads `limit`: absent → default; above the maximum → the maximum; not a number → 400.
pub fn limit(q: &Query, limits: Limits) -> ApiResult<usize> {
    match q.get("limit") {
        None | Some("") => Ok(limits.default.min(limits.max)),
        Some(s) => {
            let n: i64 = s
                .trim()
                .parse()
                .map_err(|_| ApiError::validation("limit", "The value must be an integer"))?;
            if n < 1 {
                return Ok(limits.default.min(limits.max));
            }
            Ok((n as usize).min(limits.max))
        }
    }
}

/// One page of `items` (already filtered and ordered by `seq`): those after `after_seq`, at most `limit`.
/// Returns the page and, when more remain, the cursor item (the last on the page).
pub fn page_by_seq<T>(
    items: Vec<(u64, T)>,
    after_seq: Option<u64>,
    limit: usize,
) -> (Vec<T>, bool) {
    let mut rest = items
        .into_iter()
        .filter(|(s, _)| after_seq.is_none_or(|a| *s > a))
        .peekable();
    let mut page = Vec::new();
    while page.len() < limit {
        match rest.next() {
            Some((_, t)) => page.push(t),
            None => break,
        }
    }
    let more = rest.peek().is_some();
    (page, more)
}

/// A page of an already-sorted list by offset cursor.
pub fn page_by_offset<T>(
    items: Vec<T>,
    after: Option<&str>,
    limit: usize,
) -> ApiResult<(Vec<T>, Option<String>)> {
    let start: usize = match after {
        None => 0,
        Some(a) => a
            .parse()
            .map_err(|_| ApiError::validation("after", "The cursor is invalid"))?,
    };
    let total = items.len();
    let page: Vec<T> = items.into_iter().skip(start).take(limit).collect();
    let end = start + page.len();
    Ok((
        page,
        if end < total {
            Some(end.to_string())
        } else {
            None
        },
    ))
}

/// The `Link` header values for a list answer.
pub fn links(
    base_url: &str,
    path: &str,
    raw_query: Option<&str>,
    q: &Query,
    limit: usize,
    next: Option<&str>,
) -> Vec<String> {
    let self_url = match raw_query {
        Some(r) if !r.is_empty() => format!("{base_url}{path}?{r}"),
        _ => format!("{base_url}{path}"),
    };
    let mut out = vec![format!("<{self_url}>; rel=\"self\"")];
    if let Some(cursor) = next {
        let qs = q.with(&[("limit", limit.to_string()), ("after", cursor.to_string())]);
        out.push(format!("<{base_url}{path}?{qs}>; rel=\"next\""));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_clamp() {
        let l = Limits::new(200, 200);
        assert_eq!(limit(&Query::parse(None), l).unwrap(), 200);
        assert_eq!(limit(&Query::parse(Some("limit=5")), l).unwrap(), 5);
        assert_eq!(limit(&Query::parse(Some("limit=5000")), l).unwrap(), 200);
        assert!(limit(&Query::parse(Some("limit=abc")), l).is_err());
    }

    #[test]
    fn seq_pages() {
        let items: Vec<(u64, u64)> = (1..=5).map(|i| (i * 10, i)).collect();
        let (p, more) = page_by_seq(items.clone(), None, 2);
        assert_eq!(p, vec![1, 2]);
        assert!(more);
        let (p, more) = page_by_seq(items.clone(), Some(20), 2);
        assert_eq!(p, vec![3, 4]);
        assert!(more);
        let (p, more) = page_by_seq(items.clone(), Some(40), 2);
        assert_eq!(p, vec![5]);
        assert!(!more);
        let (p, more) = page_by_seq(items, Some(35), 10);
        assert_eq!(p, vec![4, 5]);
        assert!(!more);
    }

    #[test]
    fn link_headers() {
        let q = Query::parse(Some("search=status%20eq%20%22ACTIVE%22&limit=2"));
        let l = links(
            "http://h",
            "/api/v1/users",
            Some("search=status%20eq%20%22ACTIVE%22&limit=2"),
            &q,
            2,
            Some("00uX"),
        );
        assert_eq!(
            l[0],
            "<http://h/api/v1/users?search=status%20eq%20%22ACTIVE%22&limit=2>; rel=\"self\""
        );
        assert_eq!(
            l[1],
            "<http://h/api/v1/users?search=status%20eq%20%22ACTIVE%22&limit=2&after=00uX>; rel=\"next\""
        );
    }
}
