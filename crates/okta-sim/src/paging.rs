//! `limit` / `after` paging and the `Link` headers.
//!
//! Every list answers `Link: <…>; rel="self"`; when more remain, a second, separate
//! `Link: <…?limit=N&after=CURSOR>; rel="next"` header. URLs are absolute with the simulator's base URL and keep
//! the request's other query parameters. Cursors are opaque to clients: for records in creation order the
//! cursor is the id of the last record on the page (resolved to its creation sequence, so deletions between
//! pages do not skip or repeat records); sorted lists use an offset.
//!
//! [`ListQuery`] is the shared shape of the searchable lists (users, groups, apps): `limit`, `search` /
//! `filter`, `q`, `sortBy` / `sortOrder`, `after`, and the evaluate → sort → page pipeline over records.

use indexmap::IndexMap;
use serde_json::Value;

use crate::errors::{ApiError, ApiResult};
use crate::expr::{self, Dialect, Expr};
use crate::store::Org;
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

/// Reads `after`; an empty one is no cursor.
pub fn after(q: &Query) -> Option<&str> {
    q.get("after").filter(|s| !s.is_empty())
}

/// Resolves an `after` cursor (a record id, live or deleted, or a bare sequence number) to its creation
/// sequence.
pub fn cursor_seq(org: &Org, after: &str) -> ApiResult<u64> {
    let seq = org
        .users
        .get(after)
        .map(|u| u.seq)
        .or_else(|| org.groups.get(after).map(|g| g.seq))
        .or_else(|| org.apps.get(after).map(|a| a.seq))
        .or_else(|| org.tombstones.get(after).copied())
        .or_else(|| after.parse::<u64>().ok());
    seq.ok_or_else(|| ApiError::validation("after", "The cursor is invalid"))
}

/// One page of `items` (filtered, in `seq` order) after the `after` cursor; when more remain, the next
/// cursor is the id (`id_of`) of the page's last item.
pub fn page_after_cursor<T>(
    org: &Org,
    items: Vec<(u64, T)>,
    after: Option<&str>,
    limit: usize,
    id_of: impl Fn(&T) -> String,
) -> ApiResult<(Vec<T>, Option<String>)> {
    let after_seq = after.map(|a| cursor_seq(org, a)).transpose()?;
    let (page, more) = page_by_seq(items, after_seq, limit);
    let next = if more { page.last().map(id_of) } else { None };
    Ok((page, next))
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

/// A record of a searchable list: its id is the `after` cursor, its `seq` the creation order.
pub trait Listed {
    fn id(&self) -> &str;
    fn seq(&self) -> u64;
}

// The records of the searchable lists are the ones `cursor_seq` resolves; each has an `id` and a `seq`.
macro_rules! listed {
    ($($t:ty),*) => {$(
        impl Listed for $t {
            fn id(&self) -> &str {
                &self.id
            }
            fn seq(&self) -> u64 {
                self.seq
            }
        }
    )*};
}
listed!(
    crate::resources::users::User,
    crate::resources::groups::Group,
    crate::resources::apps::App
);

/// The parameters of a searchable list, parsed and validated before the store is read.
pub struct ListQuery<'q> {
    pub limit: usize,
    /// `search` when given (it wins over `filter`), else `filter`.
    pub expr: Option<Expr>,
    /// `q`, lowercased; what it is a prefix of is each resource's own business.
    pub text: Option<String>,
    /// `sortBy`: Okta honours it only together with `search`.
    sort_by: Option<&'q str>,
    descending: bool,
    after: Option<&'q str>,
}

impl<'q> ListQuery<'q> {
    /// `search` is `None` for a list without `search` (and so without `sortBy` / `sortOrder`, which are then
    /// ignored). Errors are checked in this order: `limit`, the expression, `sortOrder`.
    pub fn parse(
        q: &'q Query,
        limits: Limits,
        search: Option<&Dialect>,
        filter: &Dialect,
    ) -> ApiResult<Self> {
        let limit = limit(q, limits)?;
        let nonempty = |name: &str| q.get(name).filter(|s| !s.is_empty());
        let search_text = search.and(nonempty("search"));
        let compiled = match (search_text, search, nonempty("filter")) {
            (Some(s), Some(d), _) => Some(expr::compile(s, d)),
            (None, _, Some(f)) => Some(expr::compile(f, filter)),
            _ => None,
        };
        let expr = compiled.transpose().map_err(ApiError::invalid_search)?;
        let descending = match (search, q.get("sortOrder")) {
            (None, _) | (_, None) => false,
            (Some(_), Some(o)) if o.is_empty() || o.eq_ignore_ascii_case("asc") => false,
            (Some(_), Some(o)) if o.eq_ignore_ascii_case("desc") => true,
            (Some(_), Some(o)) => {
                return Err(ApiError::validation(
                    "sortOrder",
                    &format!("'{o}' is not asc or desc"),
                ));
            }
        };
        Ok(ListQuery {
            limit,
            expr,
            text: nonempty("q").map(str::to_lowercase),
            sort_by: search_text.and(nonempty("sortBy")),
            descending,
            after: after(q),
        })
    }

    /// The page of `records` (keyed by id, in creation order: see [`first_after`]) that pass `keep` (the
    /// resource's own rules, `q` among them) and the expression, sorted by `sortBy` when given. `doc` is the
    /// JSON that the expression and the sort read; it is built only when one of them needs it.
    pub fn page<'a, T: Listed>(
        &self,
        org: &Org,
        records: &'a IndexMap<String, T>,
        keep: impl Fn(&T) -> bool,
        doc: impl Fn(&T) -> Value,
    ) -> ApiResult<(Vec<&'a T>, Option<String>)> {
        if self.sort_by.is_none() {
            // In creation order: seek past the cursor through the order itself, then walk only until one
            // record past the page, so a late page of a million users costs what the first one does.
            let after_seq = self.after.map(|a| cursor_seq(org, a)).transpose()?;
            let start = after_seq.map_or(0, |a| first_after(records, a));
            let mut page = Vec::new();
            let mut more = false;
            for r in records.as_slice()[start..].values() {
                if !keep(r) {
                    continue;
                }
                if let Some(e) = &self.expr
                    && !expr::eval(e, &doc(r))
                {
                    continue;
                }
                if page.len() == self.limit {
                    more = true;
                    break;
                }
                page.push(r);
            }
            let next = if more { page.last().map(|r| r.id().to_string()) } else { None };
            return Ok((page, next));
        }
        // Sorted: every hit is needed before the first page is known; each keeps only its sort key.
        let mut hits: Vec<(&T, String)> = Vec::new();
        for r in records.values().filter(|r| keep(r)) {
            let d = doc(r);
            if let Some(e) = &self.expr
                && !expr::eval(e, &d)
            {
                continue;
            }
            hits.push((r, self.sort_by.map(|f| sort_key(&d, f)).unwrap_or_default()));
        }
        // Ties stay in creation order (reversed with the rest for desc).
        hits.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.seq().cmp(&b.0.seq())));
        if self.descending {
            hits.reverse();
        }
        let sorted = hits.into_iter().map(|(r, _)| r).collect();
        page_by_offset(sorted, self.after, self.limit)
    }
}

/// The position of the first record created after sequence `after_seq`. Records are kept in creation order
/// (each is appended with the next sequence number, deletions keep the order, and a loaded state is put back in
/// order: [`crate::store::Org::restore_creation_order`]), so this is a binary search, not a scan.
pub fn first_after<T: Listed>(records: &IndexMap<String, T>, after_seq: u64) -> usize {
    records.as_slice().partition_point(|_, r| r.seq() <= after_seq)
}

/// The `sortBy` key of a document: the value at a dotted path; strings compare case-insensitively, a
/// missing or null value as the empty string (first ascending), anything else as its JSON text.
fn sort_key(doc: &Value, path: &str) -> String {
    let v = path
        .split('.')
        .try_fold(doc, |cur, part| cur.get(part))
        .unwrap_or(&Value::Null);
    match v {
        Value::String(s) => s.to_lowercase(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
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
    fn sort_keys() {
        let doc = serde_json::json!({"profile": {"name": "Ada", "n": 3, "x": null}});
        assert_eq!(sort_key(&doc, "profile.name"), "ada");
        assert_eq!(sort_key(&doc, "profile.n"), "3");
        assert_eq!(sort_key(&doc, "profile.x"), "");
        assert_eq!(sort_key(&doc, "profile.missing.deeper"), "");
    }

    #[test]
    fn list_query_rules() {
        use crate::expr::{GROUPS_FILTER, GROUPS_SEARCH};
        let parse = |raw: &str, search: bool| {
            let q = Query::parse(Some(raw));
            let search = search.then_some(&GROUPS_SEARCH);
            ListQuery::parse(&q, Limits::new(5, 10), search, &GROUPS_FILTER).map(|l| {
                (
                    l.limit,
                    l.expr.is_some(),
                    l.sort_by.map(str::to_string),
                    l.descending,
                )
            })
        };
        let search = "search=type%20eq%20%22OKTA_GROUP%22";
        assert_eq!(
            parse(
                &format!("{search}&sortBy=profile.name&sortOrder=DESC&limit=50"),
                true
            )
            .unwrap(),
            (10, true, Some("profile.name".into()), true)
        );
        // sortBy without search is ignored; sortOrder is still checked where it is accepted.
        assert_eq!(
            parse("sortBy=profile.name", true).unwrap(),
            (5, false, None, false)
        );
        assert!(parse("sortOrder=sideways", true).is_err());
        // A list without search takes neither search nor sortOrder.
        assert_eq!(
            parse(&format!("{search}&sortOrder=sideways"), false).unwrap(),
            (5, false, None, false)
        );
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
