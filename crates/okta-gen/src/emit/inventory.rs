//! `powershell/Generated/inventory.g.json`: every generated command with its operation and parameters, for
//! the inventory and smoke tests (and for anyone who wants to find a command by operation or path).

use serde_json::{Value, json};

use crate::surface::{Location, Surface};

pub fn inventory(surface: &Surface) -> String {
    let api: Vec<Value> = surface
        .api
        .iter()
        .map(|c| {
            let params: Vec<Value> = c
                .params
                .iter()
                .map(|p| {
                    json!({
                        "name": p.name,
                        "in": match p.location { Location::Path => "path", Location::Query => "query", Location::Header => "header", Location::Body => "body" },
                        "wire": p.wire,
                        "type": format!("{:?}", p.ty),
                        "position": p.position,
                        "mandatory": p.mandatory,
                        "pipeline": p.pipeline,
                        "byPropertyName": p.by_property_name,
                        "idAlias": p.id_alias,
                        "enum": p.enum_values,
                    })
                })
                .collect();
            json!({
                "name": c.name,
                "operationId": c.operation_id,
                "tag": c.tag,
                "method": c.method,
                "path": c.path,
                "status": c.success_status,
                "returns": c.returns.as_ref().and_then(|r| r.schema.clone()),
                "returnsArray": c.returns.as_ref().is_some_and(|r| r.array),
                "responseContentType": c.returns.as_ref().map(|r| r.content_type.clone()),
                "bodyContentType": c.body_content_type,
                "paginated": c.paginated,
                "writes": c.writes(),
                "official": c.official,
                "legacy": c.legacy,
                "pathChanged": c.path_changed,
                "aliases": c.aliases,
                "params": params,
            })
        })
        .collect();
    let models: Vec<Value> = surface
        .models
        .iter()
        .map(|m| {
            json!({
                "schema": m.schema,
                "builder": m.builder_name(),
                "converter": m.converter_name(),
                "official": m.official,
                "inSpec": m.in_spec,
                "params": m.params.iter().map(|p| json!({"name": p.name, "json": p.json, "position": p.position})).collect::<Vec<_>>(),
            })
        })
        .collect();
    let mut text = serde_json::to_string_pretty(&sorted(json!({
        "generator": "crates/okta-gen",
        "specVersion": surface.spec_version,
        "api": api,
        "models": models,
    })))
    .expect("plain JSON values serialize");
    text.push('\n');
    text
}

/// Objects with their keys in sorted order whatever serde_json's map keeps (its `preserve_order` feature can be
/// switched on by another crate of the workspace, which would otherwise change this file between builds).
fn sorted(value: Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<(String, Value)> = map.into_iter().collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            Value::Object(entries.into_iter().map(|(k, v)| (k, sorted(v))).collect())
        }
        Value::Array(items) => Value::Array(items.into_iter().map(sorted).collect()),
        other => other,
    }
}
