//! The facts' JSON schemas, put to work: `check` lists where a value departs from a schema (array vs object,
//! required properties, property types, enums), `example` builds the smallest value a schema accepts (its
//! required properties, enum and default values), and `conform` adds what a stored answer lacks (required
//! properties a real org always sends), so generic answers have Okta's shape.
//!
//! A schema node is what the facts file holds: `{ref}`, `{type, arrayOf}`, `{properties: [...], required}`,
//! `{allOf|oneOf|anyOf: [...]}` with an optional `discriminator`; named schemas may `inherits` others.

use serde_json::{Map, Value, json};

use crate::facts::Facts;

const MAX_DEPTH: usize = 14;

/// What a node allows, with `ref`, `inherits`, `allOf` and a matching discriminator folded in.
#[derive(Default)]
struct Resolved<'a> {
    ty: Option<&'a str>,
    format: Option<&'a str>,
    enumeration: Option<&'a Vec<Value>>,
    default: Option<&'a Value>,
    nullable: bool,
    props: Vec<(&'a str, &'a Value)>,
    required: Vec<&'a str>,
    items: Option<&'a Value>,
    map_of: Option<&'a Value>,
    one_of: Option<&'a Vec<Value>>,
    discriminator: Option<&'a Value>,
    min_items: usize,
    /// Discriminator value that selects this schema (`OKTA_SIGN_ON` for OktaSignOnPolicy).
    tag: Option<(&'static str, &'static str)>,
}

impl<'a> Resolved<'a> {
    fn ty(&self) -> Option<&'a str> {
        self.ty.or(if self.props.is_empty() {
            None
        } else {
            Some("object")
        })
    }
}

fn resolve<'a>(node: &'a Value, v: Option<&Value>) -> Resolved<'a> {
    let mut r = Resolved::default();
    merge_node(&mut r, node, v, 0);
    r
}

fn merge_node<'a>(r: &mut Resolved<'a>, node: &'a Value, v: Option<&Value>, depth: usize) {
    if depth > MAX_DEPTH || !node.is_object() {
        return;
    }
    if r.ty.is_none() {
        r.ty = node["type"].as_str();
    }
    if r.format.is_none() {
        r.format = node["format"].as_str();
    }
    if r.enumeration.is_none() {
        r.enumeration = node["enum"].as_array();
    }
    if r.default.is_none() {
        r.default = node.get("default").filter(|d| !d.is_null());
    }
    r.nullable |= node["nullable"] == true;
    if let Some(ps) = node["properties"].as_array() {
        for p in ps {
            if let Some(n) = p["name"].as_str() {
                if !r.props.iter().any(|(k, _)| *k == n) {
                    r.props.push((n, p));
                }
                if p["required"] == true && !r.required.contains(&n) {
                    r.required.push(n);
                }
            }
        }
    }
    if let Some(req) = node["required"].as_array() {
        for n in req.iter().filter_map(Value::as_str) {
            if !r.required.contains(&n) {
                r.required.push(n);
            }
        }
    }
    if r.items.is_none() {
        r.items = node.get("arrayOf");
    }
    if r.map_of.is_none() {
        r.map_of = node.get("mapOf");
    }
    if let Some(n) = node["minItems"].as_u64() {
        r.min_items = r.min_items.max(n as usize);
    }
    if r.one_of.is_none() {
        r.one_of = node["oneOf"].as_array().or(node["anyOf"].as_array());
        if r.one_of.is_some() {
            r.discriminator = node.get("discriminator");
        }
    }
    if let Some(all) = node["allOf"].as_array() {
        for b in all {
            merge_node(r, b, v, depth + 1);
        }
    }
    if let Some(name) = node["ref"].as_str() {
        merge_named(r, name, v, depth + 1, true);
    }
}

fn merge_named<'a>(
    r: &mut Resolved<'a>,
    name: &str,
    v: Option<&Value>,
    depth: usize,
    dispatch: bool,
) {
    let facts = Facts::global();
    let s = facts.schema(name);
    if depth > MAX_DEPTH || s.is_null() {
        return;
    }
    // A base schema with a discriminator: the value's tag picks the subtype (which inherits the base).
    if dispatch
        && s["oneOf"].is_null()
        && let Some(d) = s.get("discriminator")
        && let (Some(prop), Some(map)) = (d["propertyName"].as_str(), d["mapping"].as_object())
    {
        if let Some(tag) = v.and_then(|v| v.get(prop)).and_then(Value::as_str)
            && let Some(target) = map.get(tag).and_then(Value::as_str)
            && target != name
        {
            merge_named(r, target, v, depth + 1, false);
            return;
        }
        if v.is_none() {
            // Building an example: the first subtype stands for the base.
            if let Some((tag, target)) = map.iter().next()
                && let Some(t) = target.as_str()
                && t != name
            {
                merge_named(r, t, v, depth + 1, false);
                r.tag = r.tag.or(Some((prop, tag.as_str())));
                return;
            }
        }
    }
    if r.tag.is_none() {
        r.tag = tag_of(name);
    }
    merge_node(r, s, v, depth);
    if let Some(parents) = s["inherits"].as_array() {
        for p in parents.iter().filter_map(Value::as_str) {
            merge_named(r, p, v, depth + 1, false);
        }
    }
}

/// The discriminator property and value that select schema `name` through a parent's mapping.
fn tag_of(name: &str) -> Option<(&'static str, &'static str)> {
    let facts = Facts::global();
    let s = facts.schema(name);
    for p in s["inherits"].as_array()?.iter().filter_map(Value::as_str) {
        let parent = facts.schema(p);
        if let Some(d) = parent.get("discriminator")
            && let (Some(prop), Some(map)) = (d["propertyName"].as_str(), d["mapping"].as_object())
        {
            for (k, t) in map {
                if t.as_str() == Some(name) {
                    return Some((prop, k.as_str()));
                }
            }
        }
        if let Some(t) = tag_of(p) {
            return Some(t);
        }
    }
    None
}

/// The branch of a `oneOf` a value belongs to: by discriminator, else the one with the fewest mismatches.
fn pick_branch<'a>(r: &Resolved<'a>, v: &Value) -> Option<&'a Value> {
    let branches = r.one_of?;
    if let Some(d) = r.discriminator
        && let (Some(prop), Some(map)) = (d["propertyName"].as_str(), d["mapping"].as_object())
        && let Some(target) = v
            .get(prop)
            .and_then(Value::as_str)
            .and_then(|t| map.get(t))
            .and_then(Value::as_str)
        && let Some(b) = branches.iter().find(|b| b["ref"].as_str() == Some(target))
    {
        return Some(b);
    }
    branches.iter().min_by_key(|b| {
        let mut out = Vec::new();
        check_at(v, b, "", &mut out, 0);
        out.len()
    })
}

/// Every way `v` departs from schema `node`, as `path: problem` lines.
pub fn check(v: &Value, node: &Value) -> Vec<String> {
    let mut out = Vec::new();
    check_at(v, node, "$", &mut out, 0);
    out
}

fn type_ok(ty: &str, v: &Value) -> bool {
    match ty {
        "string" => v.is_string(),
        "integer" => v.is_i64() || v.is_u64(),
        "number" => v.is_number(),
        "boolean" => v.is_boolean(),
        "array" => v.is_array(),
        "object" => v.is_object(),
        _ => true,
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn check_at(v: &Value, node: &Value, at: &str, out: &mut Vec<String>, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    let r = resolve(node, Some(v));
    if v.is_null() {
        // Okta sends null for unset optional values; the schema's `nullable` is not kept consistently.
        return;
    }
    if r.one_of.is_some() {
        if let Some(b) = pick_branch(&r, v) {
            check_at(v, b, at, out, depth + 1);
        }
        return;
    }
    let Some(ty) = r.ty() else { return };
    if !type_ok(ty, v) {
        out.push(format!("{at}: expected {ty}, got {}", kind(v)));
        return;
    }
    if let (Some(e), Some(s)) = (r.enumeration, v.as_str())
        && !e.is_empty()
        && !e.iter().any(|x| x.as_str() == Some(s))
    {
        out.push(format!("{at}: {s:?} is not one of the enum values"));
    }
    match v {
        Value::Array(a) => {
            if let Some(item) = r.items {
                for (i, x) in a.iter().enumerate() {
                    check_at(x, item, &format!("{at}[{i}]"), out, depth + 1);
                }
            }
        }
        Value::Object(m) => {
            for req in &r.required {
                let write_only = r
                    .props
                    .iter()
                    .any(|(k, p)| k == req && p["writeOnly"] == true);
                if !m.contains_key(*req) && !write_only {
                    out.push(format!("{at}: required property {req} missing"));
                }
            }
            for (name, p) in &r.props {
                if let Some(x) = m.get(*name) {
                    if p["writeOnly"] == true && !x.is_null() {
                        out.push(format!("{at}.{name}: write-only property answered"));
                    }
                    check_at(x, p, &format!("{at}.{name}"), out, depth + 1);
                }
            }
            if let Some(mo) = r.map_of
                && r.props.is_empty()
            {
                for (k, x) in m {
                    check_at(x, mo, &format!("{at}.{k}"), out, depth + 1);
                }
            }
        }
        _ => {}
    }
}

/// A fixed instant for generated timestamps, so examples are deterministic.
const EXAMPLE_TIME: &str = "2024-01-01T00:00:00.000Z";

/// The smallest value `node` accepts: required properties, enum/default values, type-correct placeholders.
pub fn example(node: &Value) -> Value {
    example_at(node, "value", 0)
}

fn example_at(node: &Value, name: &str, depth: usize) -> Value {
    if depth > MAX_DEPTH {
        return Value::Null;
    }
    let r = resolve(node, None);
    if let Some(branches) = r.one_of {
        let pick = r
            .discriminator
            .and_then(|d| d["mapping"].as_object())
            .and_then(|m| m.values().next())
            .and_then(Value::as_str)
            .and_then(|t| branches.iter().find(|b| b["ref"].as_str() == Some(t)))
            .or(branches.first());
        return pick.map_or(Value::Null, |b| example_at(b, name, depth + 1));
    }
    if let Some(d) = r.default {
        return d.clone();
    }
    if let Some(e) = r.enumeration.and_then(|e| e.first()) {
        return e.clone();
    }
    match r.ty() {
        Some("string") => json!(match r.format {
            Some("date-time") => EXAMPLE_TIME.to_string(),
            Some("date") => "2024-01-01".to_string(),
            Some("uri") | Some("url") => "https://sim.example.com".to_string(),
            Some("email") => "sim@example.com".to_string(),
            _ if name.eq_ignore_ascii_case("login") || name.to_lowercase().contains("email") => {
                "sim.user@example.com".to_string()
            }
            _ if ["url", "uri", "href"]
                .iter()
                .any(|u| name.to_lowercase().ends_with(u)) =>
            {
                "https://sim.example.com".to_string()
            }
            _ => format!("sim-{name}"),
        }),
        Some("integer") | Some("number") => json!(0),
        Some("boolean") => json!(false),
        Some("array") => {
            if r.min_items > 0
                && let Some(item) = r.items
            {
                json!([example_at(item, name, depth + 1)])
            } else {
                json!([])
            }
        }
        Some("object") => {
            let mut m = Map::new();
            if let Some((prop, tag)) = r.tag {
                m.insert(prop.to_string(), json!(tag));
            }
            for req in &r.required {
                if m.contains_key(*req) {
                    continue;
                }
                if let Some((_, p)) = r.props.iter().find(|(k, _)| k == req) {
                    m.insert(req.to_string(), example_at(p, req, depth + 1));
                }
            }
            Value::Object(m)
        }
        _ => Value::Null,
    }
}

/// Adds to `v` what `node` requires and `v` lacks (at every depth), without changing what is there.
/// An object where a list is expected becomes a one-element list.
pub fn conform(v: &mut Value, node: &Value) {
    conform_at(v, node, 0);
}

fn conform_at(v: &mut Value, node: &Value, depth: usize) {
    if depth > MAX_DEPTH || v.is_null() {
        return;
    }
    let r = resolve(node, Some(v));
    if r.one_of.is_some() {
        if let Some(b) = pick_branch(&r, v) {
            conform_at(v, b, depth + 1);
        }
        return;
    }
    match (r.ty(), &mut *v) {
        // A list of ids (`interclient-allowed-apps`) stored as the objects that were posted.
        (Some("string"), Value::Object(o)) if o.get("id").is_some_and(Value::is_string) => {
            *v = o["id"].clone();
        }
        (Some("array"), Value::Object(_)) => {
            let one = v.take();
            *v = json!([one]);
            conform_at(v, node, depth + 1);
        }
        (Some("array"), Value::Array(a)) => {
            if let Some(item) = r.items {
                for x in a {
                    conform_at(x, item, depth + 1);
                }
            }
        }
        (Some("object"), Value::Object(m)) => {
            for req in &r.required {
                if !m.contains_key(*req)
                    && let Some((_, p)) = r.props.iter().find(|(k, _)| k == req)
                {
                    m.insert(req.to_string(), example_at(p, req, depth + 1));
                }
            }
            for (name, p) in &r.props {
                if p["writeOnly"] == true {
                    // Secrets sent in are never answered back.
                    m.remove(*name);
                } else if let Some(x) = m.get_mut(*name) {
                    conform_at(x, p, depth + 1);
                }
            }
        }
        _ => {}
    }
}

/// The schema node of property `name` of an object schema (after `ref`, `inherits` and the discriminator of `v`).
pub fn property<'a>(node: &'a Value, name: &str, v: Option<&Value>) -> Option<&'a Value> {
    let r = resolve(node, v);
    let r = match (r.one_of, v) {
        (Some(_), Some(v)) => pick_branch(&r, v).map(|b| resolve(b, Some(v)))?,
        _ => r,
    };
    r.props.iter().find(|(k, _)| *k == name).map(|(_, p)| *p)
}

/// The enum values a node allows (empty when it is not an enum).
pub fn enum_values(node: &Value) -> Vec<String> {
    resolve(node, None)
        .enumeration
        .map(|e| {
            e.iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// The one list property of an object answer that wraps a list (`{"domains": [...]}` → `domains`).
pub fn single_array_property(node: &Value) -> Option<String> {
    let r = resolve(node, None);
    if r.ty() != Some("object") {
        return None;
    }
    let lists: Vec<&str> = r
        .props
        .iter()
        .filter(|(n, _)| !n.starts_with('_'))
        .filter(|(_, p)| resolve(p, None).ty() == Some("array"))
        .map(|(n, _)| *n)
        .collect();
    match lists.as_slice() {
        [one] if r.props.iter().filter(|(n, _)| !n.starts_with('_')).count() == 1 => {
            Some(one.to_string())
        }
        _ => None,
    }
}

/// The required top-level properties of `node` that object `v` lacks (read-only ones excepted: the server
/// sets those).
pub fn missing_required(node: &Value, v: &Value) -> Vec<String> {
    let mut r = resolve(node, Some(v));
    if r.one_of.is_some() {
        match pick_branch(&r, v) {
            Some(b) => r = resolve(b, Some(v)),
            None => return Vec::new(),
        }
    }
    let Some(m) = v.as_object() else {
        return Vec::new();
    };
    r.required
        .iter()
        .filter(|req| !m.contains_key(**req))
        .filter(|req| {
            !r.props
                .iter()
                .any(|(k, p)| k == *req && p["readOnly"] == true)
        })
        .map(|req| req.to_string())
        .collect()
}

/// Names of the read-only (server-owned) top-level properties of `node`.
pub fn read_only_props(node: &Value) -> Vec<String> {
    let r = resolve(node, None);
    r.props
        .iter()
        .filter(|(_, p)| p["readOnly"] == true)
        .map(|(n, _)| n.to_string())
        .collect()
}

/// Whether `node` (an answer's schema) describes a list.
pub fn is_array(node: &Value) -> bool {
    resolve(node, None).ty() == Some("array")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_finds_each_kind_of_mismatch() {
        let group = json!({"ref": "Group"});
        assert!(
            check(
                &json!({"id": "00g1", "type": "OKTA_GROUP", "profile": {"name": "x"}}),
                &group
            )
            .is_empty()
        );
        let bad = check(
            &json!({"id": 5, "type": "NOPE", "objectClass": "x"}),
            &group,
        );
        assert_eq!(bad.len(), 3, "{bad:?}");
        assert!(
            check(
                &json!({}),
                &json!({"type": "array", "arrayOf": {"ref": "Group"}})
            )[0]
            .contains("expected array")
        );
        // Required properties, and the discriminator choosing the subtype.
        let policy = json!({"ref": "Policy"});
        let miss = check(&json!({"type": "OKTA_SIGN_ON"}), &policy);
        assert!(miss.iter().any(|m| m.contains("name")), "{miss:?}");
        let sub = check(
            &json!({"type": "OKTA_SIGN_ON", "name": "p", "conditions": 3}),
            &policy,
        );
        assert!(sub.iter().any(|m| m.contains("conditions")), "{sub:?}");
    }

    #[test]
    fn examples_pass_their_own_check() {
        for name in [
            "Group",
            "OktaSignOnPolicy",
            "Policy",
            "LinkedObject",
            "UserFactor",
            "NetworkZone",
        ] {
            let node = json!({"ref": name});
            let ex = example(&node);
            assert!(ex.is_object(), "{name}: {ex}");
            assert!(
                check(&ex, &node).is_empty(),
                "{name}: {ex} {:?}",
                check(&ex, &node)
            );
        }
        assert_eq!(
            example(&json!({"ref": "OktaSignOnPolicy"}))["type"],
            "OKTA_SIGN_ON"
        );
    }

    #[test]
    fn conform_fills_required_and_wraps_lists() {
        let mut v = json!({"type": "OKTA_SIGN_ON"});
        conform(&mut v, &json!({"ref": "Policy"}));
        assert!(v["name"].is_string());
        let mut one = json!({"kid": "k"});
        conform(
            &mut one,
            &json!({"type": "array", "arrayOf": {"ref": "JsonWebKey"}}),
        );
        assert!(one.is_array());
    }
}
