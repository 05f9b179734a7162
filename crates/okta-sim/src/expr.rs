//! The expression language of Okta's `search` and `filter` parameters.
//!
//! ```text
//! expr    := and ( "or" and )*
//! and     := primary ( "and" primary )*
//! primary := "(" expr ")" | attr "pr" | attr op value
//! op      := eq | ne | gt | ge | lt | le | sw | co          (keywords are case-insensitive)
//! value   := "quoted string" | number | true | false | null
//! attr    := name ( "." name )*                              e.g. profile.firstName, target.id
//! ```
//! Strings compare case-insensitively; when both sides parse as ISO 8601 timestamps they compare as times.
//! An attribute that resolves to an array (a log event's `target`) matches when any element does.
//! Each endpoint has a [`Dialect`]: which attributes and operators it accepts; anything else is rejected
//! with a message the caller turns into Okta's 400 E0000031.

use serde_json::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Eq,
    Ne,
    Gt,
    Ge,
    Lt,
    Le,
    Sw,
    Co,
    Pr,
}

impl Op {
    fn from_word(w: &str) -> Option<Op> {
        Some(match w.to_ascii_lowercase().as_str() {
            "eq" => Op::Eq,
            "ne" => Op::Ne,
            "gt" => Op::Gt,
            "ge" => Op::Ge,
            "lt" => Op::Lt,
            "le" => Op::Le,
            "sw" => Op::Sw,
            "co" => Op::Co,
            "pr" => Op::Pr,
            _ => return None,
        })
    }
    pub fn name(self) -> &'static str {
        match self {
            Op::Eq => "eq",
            Op::Ne => "ne",
            Op::Gt => "gt",
            Op::Ge => "ge",
            Op::Lt => "lt",
            Op::Le => "le",
            Op::Sw => "sw",
            Op::Co => "co",
            Op::Pr => "pr",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Lit {
    Str(String),
    Num(f64),
    Bool(bool),
    Null,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Cmp { attr: String, op: Op, value: Lit },
    Present(String),
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    LParen,
    RParen,
    Word(String),
    Str(String),
}

fn tokenize(s: &str) -> Result<Vec<Tok>, String> {
    let mut out = Vec::new();
    let mut it = s.char_indices().peekable();
    while let Some(&(i, c)) = it.peek() {
        if c.is_whitespace() {
            it.next();
        } else if c == '(' {
            out.push(Tok::LParen);
            it.next();
        } else if c == ')' {
            out.push(Tok::RParen);
            it.next();
        } else if c == '"' {
            it.next();
            let mut v = String::new();
            let mut closed = false;
            while let Some((_, c)) = it.next() {
                match c {
                    '\\' => match it.next() {
                        Some((_, e)) => v.push(e),
                        None => return Err("unterminated escape in a quoted value".into()),
                    },
                    '"' => {
                        closed = true;
                        break;
                    }
                    c => v.push(c),
                }
            }
            if !closed {
                return Err(format!(
                    "unterminated quoted value starting at position {i}"
                ));
            }
            out.push(Tok::Str(v));
        } else if c == '\'' {
            return Err(format!(
                "single quotes are not supported (position {i}); quote values with \""
            ));
        } else {
            let mut w = String::new();
            while let Some(&(_, c)) = it.peek() {
                if c.is_whitespace() || c == '(' || c == ')' || c == '"' {
                    break;
                }
                w.push(c);
                it.next();
            }
            out.push(Tok::Word(w));
        }
    }
    Ok(out)
}

struct Parser {
    toks: Vec<Tok>,
    pos: usize,
    depth: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos)
    }
    fn next(&mut self) -> Option<Tok> {
        let t = self.toks.get(self.pos).cloned();
        self.pos += 1;
        t
    }
    fn keyword(&self, kw: &str) -> bool {
        matches!(self.peek(), Some(Tok::Word(w)) if w.eq_ignore_ascii_case(kw))
    }
    fn expr(&mut self) -> Result<Expr, String> {
        let mut left = self.and()?;
        while self.keyword("or") {
            self.pos += 1;
            let right = self.and()?;
            left = Expr::Or(Box::new(left), Box::new(right));
        }
        Ok(left)
    }
    fn and(&mut self) -> Result<Expr, String> {
        let mut left = self.primary()?;
        while self.keyword("and") {
            self.pos += 1;
            let right = self.primary()?;
            left = Expr::And(Box::new(left), Box::new(right));
        }
        Ok(left)
    }
    fn primary(&mut self) -> Result<Expr, String> {
        match self.next() {
            Some(Tok::LParen) => {
                self.depth += 1;
                if self.depth > 32 {
                    return Err("expression nested too deeply".into());
                }
                let e = self.expr()?;
                self.depth -= 1;
                match self.next() {
                    Some(Tok::RParen) => Ok(e),
                    _ => Err("missing closing parenthesis".into()),
                }
            }
            Some(Tok::Word(attr)) => {
                if attr.eq_ignore_ascii_case("and")
                    || attr.eq_ignore_ascii_case("or")
                    || Op::from_word(&attr).is_some()
                {
                    return Err(format!("expected an attribute name, found '{attr}'"));
                }
                if !attr.chars().all(|c| {
                    c.is_ascii_alphanumeric()
                        || c == '.'
                        || c == '_'
                        || c == '$'
                        || c == ':'
                        || c == '-'
                }) {
                    return Err(format!("invalid attribute name '{attr}'"));
                }
                let op = match self.next() {
                    Some(Tok::Word(w)) => Op::from_word(&w)
                        .ok_or_else(|| format!("unknown operator '{w}' after '{attr}'"))?,
                    Some(_) => return Err(format!("expected an operator after '{attr}'")),
                    None => return Err(format!("expected an operator after '{attr}'")),
                };
                if op == Op::Pr {
                    return Ok(Expr::Present(attr));
                }
                let value = match self.next() {
                    Some(Tok::Str(s)) => Lit::Str(s),
                    Some(Tok::Word(w)) => {
                        if w.eq_ignore_ascii_case("true") {
                            Lit::Bool(true)
                        } else if w.eq_ignore_ascii_case("false") {
                            Lit::Bool(false)
                        } else if w.eq_ignore_ascii_case("null") {
                            Lit::Null
                        } else if let Ok(n) = w.parse::<f64>() {
                            Lit::Num(n)
                        } else {
                            return Err(format!("value '{w}' for '{attr}' must be quoted"));
                        }
                    }
                    _ => return Err(format!("expected a value after '{attr} {}'", op.name())),
                };
                Ok(Expr::Cmp { attr, op, value })
            }
            Some(Tok::RParen) => Err("unexpected ')'".into()),
            Some(Tok::Str(s)) => Err(format!(
                "unexpected quoted value \"{s}\"; expected an attribute name"
            )),
            None => Err("unexpected end of expression".into()),
        }
    }
}

/// Parses an expression; the error is a human-readable cause.
pub fn parse(s: &str) -> Result<Expr, String> {
    if s.trim().is_empty() {
        return Err("empty expression".into());
    }
    let toks = tokenize(s)?;
    let mut p = Parser {
        toks,
        pos: 0,
        depth: 0,
    };
    let e = p.expr()?;
    if p.pos < p.toks.len() {
        return Err(match &p.toks[p.pos] {
            Tok::RParen => "unbalanced ')'".to_string(),
            Tok::Word(w) => format!("unexpected '{w}'; expected 'and' or 'or'"),
            Tok::Str(s) => format!("unexpected quoted value \"{s}\""),
            Tok::LParen => "unexpected '('".to_string(),
        });
    }
    Ok(e)
}

/// What an endpoint's `search` or `filter` accepts.
pub struct Dialect {
    pub name: &'static str,
    /// (attribute pattern, operators). A pattern ending in `.*` matches any attribute under that prefix;
    /// `*` matches everything. The first matching pattern decides.
    pub rules: &'static [(&'static str, &'static [Op])],
    pub allow_or: bool,
}

use Op::*;
const ALL: &[Op] = &[Eq, Ne, Gt, Ge, Lt, Le, Sw, Co, Pr];
const NO_CO: &[Op] = &[Eq, Ne, Gt, Ge, Lt, Le, Sw, Pr];
const DATE_OPS: &[Op] = &[Eq, Gt, Ge, Lt, Le];

/// `GET /api/v1/users?search=`: any attribute; `co` only on firstName, lastName, email, login.
pub const USERS_SEARCH: Dialect = Dialect {
    name: "search",
    rules: &[
        ("profile.firstName", ALL),
        ("profile.lastName", ALL),
        ("profile.email", ALL),
        ("profile.login", ALL),
        ("*", NO_CO),
    ],
    allow_or: true,
};

/// `GET /api/v1/users?filter=`: a few attributes, eq (and ranges on lastUpdated).
pub const USERS_FILTER: Dialect = Dialect {
    name: "filter",
    rules: &[
        ("status", &[Eq]),
        ("id", &[Eq]),
        ("lastUpdated", DATE_OPS),
        ("profile.login", &[Eq]),
        ("profile.email", &[Eq]),
        ("profile.firstName", &[Eq]),
        ("profile.lastName", &[Eq]),
        ("type.id", &[Eq]),
    ],
    allow_or: true,
};

/// `GET /api/v1/groups?search=`.
pub const GROUPS_SEARCH: Dialect = Dialect {
    name: "search",
    rules: &[
        ("profile.name", ALL),
        ("profile.description", ALL),
        ("*", NO_CO),
    ],
    allow_or: true,
};

/// `GET /api/v1/groups?filter=`.
pub const GROUPS_FILTER: Dialect = Dialect {
    name: "filter",
    rules: &[
        ("type", &[Eq]),
        ("id", &[Eq]),
        ("lastUpdated", DATE_OPS),
        ("lastMembershipUpdated", DATE_OPS),
        ("created", DATE_OPS),
    ],
    allow_or: true,
};

/// `GET /api/v1/apps?filter=`.
pub const APPS_FILTER: Dialect = Dialect {
    name: "filter",
    rules: &[
        ("status", &[Eq]),
        ("name", &[Eq]),
        ("user.id", &[Eq]),
        ("group.id", &[Eq]),
        ("credentials.signing.kid", &[Eq]),
        ("signOnMode", &[Eq]),
    ],
    allow_or: false,
};

/// `GET /api/v1/logs?filter=`: any event attribute with eq, ne, co, sw, pr, and ranges.
pub const LOGS_FILTER: Dialect = Dialect {
    name: "filter",
    rules: &[("*", ALL)],
    allow_or: true,
};

/// A lenient dialect for generic endpoints.
pub const ANY: Dialect = Dialect {
    name: "search",
    rules: &[("*", ALL)],
    allow_or: true,
};

impl Dialect {
    fn ops_for(&self, attr: &str) -> Option<&'static [Op]> {
        for (pat, ops) in self.rules {
            let hit = if *pat == "*" {
                true
            } else if let Some(prefix) = pat.strip_suffix(".*") {
                attr.starts_with(prefix) && attr[prefix.len()..].starts_with('.')
            } else {
                pat.eq_ignore_ascii_case(attr)
            };
            if hit {
                return Some(ops);
            }
        }
        None
    }

    /// Checks every comparison against the dialect.
    pub fn check(&self, e: &Expr) -> Result<(), String> {
        match e {
            Expr::And(a, b) => {
                self.check(a)?;
                self.check(b)
            }
            Expr::Or(a, b) => {
                if !self.allow_or {
                    return Err(format!("'or' is not supported in {}", self.name));
                }
                self.check(a)?;
                self.check(b)
            }
            Expr::Present(attr) => self.check_op(attr, Op::Pr),
            Expr::Cmp { attr, op, .. } => self.check_op(attr, *op),
        }
    }

    fn check_op(&self, attr: &str, op: Op) -> Result<(), String> {
        match self.ops_for(attr) {
            None => Err(format!(
                "the attribute '{attr}' is not supported in {}",
                self.name
            )),
            Some(ops) if !ops.contains(&op) => Err(format!(
                "the operator '{}' is not supported for '{attr}' in {}",
                op.name(),
                self.name
            )),
            Some(_) => Ok(()),
        }
    }
}

/// Parses and checks against a dialect in one go.
pub fn compile(s: &str, dialect: &Dialect) -> Result<Expr, String> {
    let e = parse(s)?;
    dialect.check(&e)?;
    Ok(e)
}

/// Every value an attribute path reaches (arrays fan out).
fn resolve<'a>(v: &'a Value, path: &str, out: &mut Vec<&'a Value>) {
    let mut cur: Vec<&Value> = vec![v];
    for part in path.split('.') {
        let mut next = Vec::new();
        for c in cur {
            collect_key(c, part, &mut next);
        }
        cur = next;
        if cur.is_empty() {
            return;
        }
    }
    for c in cur {
        match c {
            Value::Array(items) => out.extend(items.iter()),
            other => out.push(other),
        }
    }
}

fn collect_key<'a>(v: &'a Value, key: &str, out: &mut Vec<&'a Value>) {
    match v {
        Value::Object(m) => {
            if let Some(x) = m.get(key) {
                out.push(x);
            } else if let Some((_, x)) = m.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)) {
                out.push(x);
            }
        }
        Value::Array(items) => {
            for i in items {
                collect_key(i, key, out);
            }
        }
        _ => {}
    }
}

fn cmp_values(actual: &Value, op: Op, lit: &Lit) -> bool {
    use std::cmp::Ordering;
    let ord: Option<Ordering> = match (actual, lit) {
        (Value::String(a), Lit::Str(b)) => {
            if matches!(op, Sw | Co) {
                let (a, b) = (a.to_lowercase(), b.to_lowercase());
                return if op == Sw {
                    a.starts_with(&b)
                } else {
                    a.contains(&b)
                };
            }
            match (crate::util::parse_ts(a), crate::util::parse_ts(b)) {
                (Some(x), Some(y)) if a.len() >= 10 && b.len() >= 10 => Some(x.cmp(&y)),
                _ => Some(a.to_lowercase().cmp(&b.to_lowercase())),
            }
        }
        (Value::Number(a), Lit::Num(b)) => a.as_f64().and_then(|a| a.partial_cmp(b)),
        (Value::Number(a), Lit::Str(b)) => match (a.as_f64(), b.parse::<f64>().ok()) {
            (Some(a), Some(b)) => a.partial_cmp(&b),
            _ => None,
        },
        (Value::String(a), Lit::Num(b)) => a.parse::<f64>().ok().and_then(|a| a.partial_cmp(b)),
        (Value::Bool(a), Lit::Bool(b)) => Some(a.cmp(b)),
        (Value::Bool(a), Lit::Str(b)) => Some(a.to_string().cmp(&b.to_lowercase())),
        (Value::Null, Lit::Null) => Some(Ordering::Equal),
        _ => None,
    };
    match (op, ord) {
        (Eq, Some(o)) => o == Ordering::Equal,
        (Ne, Some(o)) => o != Ordering::Equal,
        (Ne, None) => true,
        (Gt, Some(o)) => o == Ordering::Greater,
        (Ge, Some(o)) => o != Ordering::Less,
        (Lt, Some(o)) => o == Ordering::Less,
        (Le, Some(o)) => o != Ordering::Greater,
        (Sw | Co, Some(_)) => false,
        _ => false,
    }
}

/// Whether a JSON document satisfies the expression.
pub fn eval(e: &Expr, doc: &Value) -> bool {
    match e {
        Expr::And(a, b) => eval(a, doc) && eval(b, doc),
        Expr::Or(a, b) => eval(a, doc) || eval(b, doc),
        Expr::Present(attr) => {
            let mut vals = Vec::new();
            resolve(doc, attr, &mut vals);
            vals.iter().any(|v| match v {
                Value::Null => false,
                Value::String(s) => !s.is_empty(),
                _ => true,
            })
        }
        Expr::Cmp { attr, op, value } => {
            let mut vals = Vec::new();
            resolve(doc, attr, &mut vals);
            if vals.is_empty() {
                // An absent attribute: only `ne` and `eq null` hold.
                return match (op, value) {
                    (Eq, Lit::Null) => true,
                    (Ne, Lit::Null) => false,
                    (Ne, _) => true,
                    _ => false,
                };
            }
            if *op == Ne {
                vals.iter().all(|v| cmp_values(v, Ne, value))
            } else {
                vals.iter().any(|v| cmp_values(v, *op, value))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn user() -> Value {
        json!({
            "id": "00u1", "status": "ACTIVE", "lastUpdated": "2024-03-28T16:07:51.000Z",
            "profile": {"login": "ada@example.com", "email": "ada@example.com", "firstName": "Ada", "lastName": "Lovelace",
                        "department": "Math", "employeeNumber": "42", "manager": null},
            "target": [{"id": "t1", "type": "User"}, {"id": "t2", "type": "AppInstance"}],
            "score": 7, "enabled": true
        })
    }

    #[test]
    fn parse_and_eval_table() {
        let u = user();
        let cases: &[(&str, bool)] = &[
            (r#"status eq "ACTIVE""#, true),
            (r#"status eq "active""#, true),
            (r#"status ne "ACTIVE""#, false),
            (r#"status EQ "STAGED""#, false),
            (r#"profile.firstName sw "Ad""#, true),
            (r#"profile.firstName sw "Lo""#, false),
            (r#"profile.lastName co "love""#, true),
            (r#"profile.department pr"#, true),
            (r#"profile.manager pr"#, false),
            (r#"profile.nickName pr"#, false),
            (r#"profile.nickName eq "x""#, false),
            (r#"profile.nickName ne "x""#, true),
            (r#"lastUpdated gt "2024-01-01T00:00:00.000Z""#, true),
            (r#"lastUpdated lt "2024-01-01T00:00:00Z""#, false),
            (r#"lastUpdated ge "2024-03-28T16:07:51.000Z""#, true),
            (r#"lastUpdated le "2024-03-28T16:07:51Z""#, true),
            (r#"lastUpdated gt "2024-03-28T16:07:51.000Z""#, false),
            (r#"score gt 5"#, true),
            (r#"score le 6"#, false),
            (r#"enabled eq true"#, true),
            (r#"status eq "ACTIVE" and profile.firstName eq "Ada""#, true),
            (
                r#"status eq "ACTIVE" and profile.firstName eq "Bob""#,
                false,
            ),
            (r#"status eq "STAGED" or profile.firstName eq "Ada""#, true),
            (
                r#"status eq "STAGED" or (profile.firstName eq "Ada" and profile.lastName eq "X")"#,
                false,
            ),
            (
                r#"(status eq "STAGED" or profile.firstName eq "Ada") and profile.lastName eq "Lovelace""#,
                true,
            ),
            (
                r#"status eq "STAGED" or profile.firstName eq "Ada" and profile.lastName eq "X""#,
                false,
            ),
            (r#"target.id eq "t2""#, true),
            (r#"target.type eq "Group""#, false),
            (r#"profile.login eq "ada@example.com""#, true),
            (r#"profile.employeeNumber eq "42""#, true),
            (r#"profile.firstName eq "A\"da""#, false),
        ];
        for (src, want) in cases {
            let e = parse(src).unwrap_or_else(|err| panic!("{src}: {err}"));
            assert_eq!(eval(&e, &u), *want, "{src}");
        }
    }

    #[test]
    fn parse_errors_table() {
        let bad = [
            "",
            "status",
            "status eq",
            "status eq ACTIVE",
            "status equals \"A\"",
            "(status eq \"A\"",
            "status eq \"A\")",
            "status eq \"A\" profile.x eq \"B\"",
            "status eq \"A",
            "and status eq \"A\"",
            "status eq 'A'",
            "\"x\" eq status",
            "status eq \"A\" or",
        ];
        for s in bad {
            assert!(parse(s).is_err(), "should fail: {s:?}");
        }
    }

    #[test]
    fn dialects() {
        assert!(compile(r#"profile.firstName co "a""#, &USERS_SEARCH).is_ok());
        assert!(compile(r#"profile.department co "a""#, &USERS_SEARCH).is_err());
        assert!(compile(r#"profile.department eq "a""#, &USERS_SEARCH).is_ok());
        assert!(compile(r#"status eq "ACTIVE""#, &USERS_FILTER).is_ok());
        assert!(compile(r#"status sw "ACT""#, &USERS_FILTER).is_err());
        assert!(compile(r#"profile.department eq "x""#, &USERS_FILTER).is_err());
        assert!(
            compile(
                r#"lastUpdated gt "2024-01-01T00:00:00.000Z""#,
                &USERS_FILTER
            )
            .is_ok()
        );
        assert!(compile(r#"type eq "OKTA_GROUP""#, &GROUPS_FILTER).is_ok());
        assert!(
            compile(
                r#"status eq "ACTIVE" or status eq "INACTIVE""#,
                &APPS_FILTER
            )
            .is_err()
        );
        let err = compile(r#"profile.city co "x""#, &USERS_SEARCH).unwrap_err();
        assert!(err.contains("'co'"), "{err}");
    }
}
