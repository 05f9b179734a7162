//! `Link` header parsing (RFC 8288), just enough to find Okta's `rel="next"` page.

use url::Url;

/// The absolute URL of the `rel="next"` link among `headers` (any number of `Link` headers,
/// each with any number of comma-separated links), or `None`.
///
/// A relative target is resolved against `request_url`; an absolute one is returned exactly as
/// the server sent it, so a paging cursor in its query string is never re-encoded.
pub fn next_link(headers: &[(String, String)], request_url: &Url) -> Option<String> {
    headers
        .iter()
        .filter(|(name, _)| name.eq_ignore_ascii_case("link"))
        .flat_map(|(_, value)| parse_links(value))
        .find(|link| link.has_rel("next"))
        .and_then(|link| resolve(link.target, request_url))
}

fn resolve(target: &str, base: &Url) -> Option<String> {
    match Url::parse(target) {
        Ok(_) => Some(target.to_owned()),
        Err(url::ParseError::RelativeUrlWithoutBase) => base.join(target).ok().map(String::from),
        Err(_) => None,
    }
}

struct Link<'a> {
    target: &'a str,
    rel: Option<String>,
}

impl Link<'_> {
    /// `rel` may hold several space-separated relation types, compared case-insensitively.
    fn has_rel(&self, wanted: &str) -> bool {
        self.rel.as_deref().is_some_and(|rel| {
            rel.split_ascii_whitespace()
                .any(|relation| relation.eq_ignore_ascii_case(wanted))
        })
    }
}

/// Splits one header value into links. A malformed link is skipped up to the next top-level
/// comma, so one bad entry does not hide a good `next` after it.
fn parse_links(value: &str) -> Vec<Link<'_>> {
    let mut links = Vec::new();
    let mut cursor = Cursor {
        text: value,
        pos: 0,
    };
    loop {
        cursor.skip_while(|c| c == ',' || c.is_whitespace());
        if cursor.at_end() {
            break;
        }
        match parse_link(&mut cursor) {
            Some(link) => links.push(link),
            None => cursor.skip_to_top_level_comma(),
        }
    }
    links
}

fn parse_link<'a>(cursor: &mut Cursor<'a>) -> Option<Link<'a>> {
    if !cursor.eat('<') {
        return None;
    }
    // Commas are legal inside the URI; only '>' ends it.
    let target = cursor.take_until(|c| c == '>');
    if !cursor.eat('>') {
        return None;
    }
    let mut rel = None;
    loop {
        cursor.skip_while(char::is_whitespace);
        if !cursor.eat(';') {
            break;
        }
        cursor.skip_while(char::is_whitespace);
        let name = cursor.take_until(|c| c == '=' || c == ';' || c == ',' || c.is_whitespace());
        cursor.skip_while(char::is_whitespace);
        let value = if cursor.eat('=') {
            cursor.skip_while(char::is_whitespace);
            Some(cursor.take_param_value())
        } else {
            None
        };
        // RFC 8288: only the first rel parameter counts.
        if rel.is_none() && name.eq_ignore_ascii_case("rel") {
            rel = value;
        }
    }
    cursor.skip_while(char::is_whitespace);
    if !cursor.at_end() && !cursor.peek_is(',') {
        return None;
    }
    Some(Link {
        target: target.trim(),
        rel,
    })
}

struct Cursor<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn rest(&self) -> &'a str {
        &self.text[self.pos..]
    }

    fn at_end(&self) -> bool {
        self.pos >= self.text.len()
    }

    fn peek_is(&self, expected: char) -> bool {
        self.rest().starts_with(expected)
    }

    fn eat(&mut self, expected: char) -> bool {
        if self.peek_is(expected) {
            self.pos += expected.len_utf8();
            true
        } else {
            false
        }
    }

    fn skip_while(&mut self, keep_going: impl Fn(char) -> bool) {
        self.take_until(|c| !keep_going(c));
    }

    fn take_until(&mut self, stop: impl Fn(char) -> bool) -> &'a str {
        let rest = self.rest();
        let len = rest.find(stop).unwrap_or(rest.len());
        self.pos += len;
        &rest[..len]
    }

    /// A token, or a quoted string with backslash escapes (which may contain ',' and ';').
    fn take_param_value(&mut self) -> String {
        if !self.eat('"') {
            return self
                .take_until(|c| c == ';' || c == ',' || c.is_whitespace())
                .to_owned();
        }
        let mut value = String::new();
        let mut chars = self.rest().char_indices();
        while let Some((index, c)) = chars.next() {
            match c {
                '"' => {
                    self.pos += index + 1;
                    return value;
                }
                '\\' => {
                    if let Some((_, escaped)) = chars.next() {
                        value.push(escaped);
                    }
                }
                _ => value.push(c),
            }
        }
        // Unterminated quote: take what is there rather than failing the whole header.
        self.pos = self.text.len();
        value
    }

    fn skip_to_top_level_comma(&mut self) {
        let mut in_angle = false;
        let mut in_quote = false;
        let mut escaped = false;
        for (index, c) in self.rest().char_indices() {
            if in_quote {
                match (escaped, c) {
                    (true, _) => escaped = false,
                    (false, '\\') => escaped = true,
                    (false, '"') => in_quote = false,
                    _ => {}
                }
                continue;
            }
            match c {
                '<' => in_angle = true,
                '>' => in_angle = false,
                '"' if !in_angle => in_quote = true,
                ',' if !in_angle => {
                    self.pos += index + 1;
                    return;
                }
                _ => {}
            }
        }
        self.pos = self.text.len();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request_url() -> Url {
        Url::parse("https://myorg.okta.com/api/v1/users?limit=2").unwrap()
    }

    fn next_of(values: &[&str]) -> Option<String> {
        let headers: Vec<(String, String)> = values
            .iter()
            .map(|value| ("link".to_owned(), (*value).to_owned()))
            .collect();
        next_link(&headers, &request_url())
    }

    #[test]
    fn table_of_link_headers() {
        let next = "https://myorg.okta.com/api/v1/users?after=00u1&limit=2";
        let cases: &[(&str, &[&str], Option<&str>)] = &[
            (
                "okta style: two headers",
                &[
                    "<https://myorg.okta.com/api/v1/users?limit=2>; rel=\"self\"",
                    "<https://myorg.okta.com/api/v1/users?after=00u1&limit=2>; rel=\"next\"",
                ],
                Some(next),
            ),
            (
                "one header, comma separated",
                &[
                    "<https://myorg.okta.com/api/v1/users?limit=2>; rel=\"self\", <https://myorg.okta.com/api/v1/users?after=00u1&limit=2>; rel=\"next\"",
                ],
                Some(next),
            ),
            (
                "unquoted rel",
                &["<https://myorg.okta.com/api/v1/users?after=00u1&limit=2>; rel=next"],
                Some(next),
            ),
            (
                "several rels in one value",
                &["<https://myorg.okta.com/api/v1/users?after=00u1&limit=2>; rel=\"next last\""],
                Some(next),
            ),
            (
                "upper case rel and param name",
                &["<https://myorg.okta.com/api/v1/users?after=00u1&limit=2>; REL=\"NEXT\""],
                Some(next),
            ),
            (
                "extra params before and after, with commas and semicolons in quotes",
                &[
                    "<https://myorg.okta.com/a>; title=\"a, b; c\"; rel=\"prev\", <https://myorg.okta.com/api/v1/users?after=00u1&limit=2>; title=\"x, y\"; rel=\"next\"; type=\"application/json\"",
                ],
                Some(next),
            ),
            (
                "commas inside the URL",
                &["<https://myorg.okta.com/api/v1/logs?filter=a,b&after=1>; rel=\"next\""],
                Some("https://myorg.okta.com/api/v1/logs?filter=a,b&after=1"),
            ),
            (
                "relative URL resolved against the request",
                &["</api/v1/users?after=00u1&limit=2>; rel=\"next\""],
                Some(next),
            ),
            (
                "path-relative URL",
                &["<users?after=00u1&limit=2>; rel=\"next\""],
                Some(next),
            ),
            (
                "whitespace everywhere",
                &[
                    "  <https://myorg.okta.com/api/v1/users?after=00u1&limit=2>  ;  rel = \"next\"  ,  ",
                ],
                Some(next),
            ),
            (
                "query kept verbatim (no re-encoding)",
                &[
                    "<https://myorg.okta.com/api/v1/users?after=00u%2B1&search=a%20eq%20%22b%22&x=+>; rel=\"next\"",
                ],
                Some(
                    "https://myorg.okta.com/api/v1/users?after=00u%2B1&search=a%20eq%20%22b%22&x=+",
                ),
            ),
            (
                "self only: no next",
                &["<https://myorg.okta.com/api/v1/users?limit=2>; rel=\"self\""],
                None,
            ),
            ("empty header", &[""], None),
            (
                "rel that merely contains next",
                &["<https://myorg.okta.com/x>; rel=\"nextpage\""],
                None,
            ),
            (
                "only the first rel counts",
                &["<https://myorg.okta.com/x>; rel=\"self\"; rel=\"next\""],
                None,
            ),
            (
                "malformed entry skipped",
                &[
                    "garbage, <https://myorg.okta.com/api/v1/users?after=00u1&limit=2>; rel=\"next\"",
                ],
                Some(next),
            ),
            (
                "unterminated angle bracket",
                &["<https://myorg.okta.com/x; rel=\"next\""],
                None,
            ),
        ];
        for (name, headers, expected) in cases {
            assert_eq!(next_of(headers).as_deref(), *expected, "case: {name}");
        }
    }

    #[test]
    fn ignores_other_headers_and_matches_name_case_insensitively() {
        let headers = vec![
            (
                "x-link".to_owned(),
                "<https://myorg.okta.com/wrong>; rel=\"next\"".to_owned(),
            ),
            (
                "Link".to_owned(),
                "<https://myorg.okta.com/right>; rel=\"next\"".to_owned(),
            ),
        ];
        assert_eq!(
            next_link(&headers, &request_url()).as_deref(),
            Some("https://myorg.okta.com/right")
        );
    }
}
