//! Okta's Management API facts (`api/okta-management.facts.json`), parsed once on first use: per operation its
//! query parameters and response schemas, and the named schemas they refer to. The generic layer reads them to
//! filter lists and shape answers; the schema check (`schema.rs`) compares answers against them.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde_json::Value;

const FACTS: &str = include_str!("../../../api/okta-management.facts.json");

pub struct Facts {
    operations: HashMap<String, Value>,
    schemas: HashMap<String, Value>,
}

static EMPTY: Value = Value::Null;

impl Facts {
    pub fn global() -> &'static Facts {
        static F: OnceLock<Facts> = OnceLock::new();
        F.get_or_init(|| {
            let mut root: Value = serde_json::from_str(FACTS).expect("facts JSON parses");
            let mut operations = HashMap::new();
            if let Some(Value::Array(ops)) = root.get_mut("operations").map(Value::take) {
                for op in ops {
                    if let Some(id) = op["operationId"].as_str() {
                        operations.insert(id.to_string(), op);
                    }
                }
            }
            let mut schemas = HashMap::new();
            if let Some(Value::Array(list)) = root.get_mut("schemas").map(Value::take) {
                for s in list {
                    if let Some(n) = s["name"].as_str() {
                        schemas.insert(n.to_string(), s);
                    }
                }
            }
            Facts {
                operations,
                schemas,
            }
        })
    }

    pub fn operation(&self, operation_id: &str) -> Option<&Value> {
        self.operations.get(operation_id)
    }

    pub fn operation_ids(&self) -> impl Iterator<Item = &str> {
        self.operations.keys().map(String::as_str)
    }

    pub fn schema(&self, name: &str) -> &Value {
        self.schemas.get(name).unwrap_or(&EMPTY)
    }

    /// The JSON schema node of an operation's answer with `status`, if the facts give one.
    pub fn response_schema(&self, operation_id: &str, status: u16) -> Option<&Value> {
        let op = self.operation(operation_id)?;
        let st = status.to_string();
        op["responses"]
            .as_array()?
            .iter()
            .find(|r| r["status"].as_str() == Some(&st))?["content"]
            .as_array()?
            .iter()
            .find(|c| {
                c["contentType"]
                    .as_str()
                    .is_some_and(|t| t.contains("json"))
            })
            .map(|c| &c["schema"])
    }

    /// The statuses the facts list as successful answers of an operation.
    pub fn success_statuses(&self, operation_id: &str) -> Vec<u16> {
        self.operation(operation_id)
            .and_then(|op| op["responses"].as_array())
            .map(|rs| {
                rs.iter()
                    .filter_map(|r| r["status"].as_str()?.parse().ok())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The schema node of an operation's JSON request body.
    pub fn request_schema(&self, operation_id: &str) -> Option<&Value> {
        self.operation(operation_id)?["requestBody"]["content"]
            .as_array()?
            .iter()
            .find(|c| {
                c["contentType"]
                    .as_str()
                    .is_some_and(|t| t.contains("json"))
            })
            .map(|c| &c["schema"])
    }

    /// Names of an operation's query parameters.
    pub fn query_params(&self, operation_id: &str) -> Vec<&str> {
        self.operation(operation_id)
            .and_then(|op| op["queryParams"].as_array())
            .map(|ps| ps.iter().filter_map(|p| p["name"].as_str()).collect())
            .unwrap_or_default()
    }

    /// The default of a query parameter, as the facts give it.
    pub fn query_default(&self, operation_id: &str, name: &str) -> Option<&Value> {
        self.operation(operation_id)?["queryParams"]
            .as_array()?
            .iter()
            .find(|p| p["name"] == name)
            .and_then(|p| p.get("default"))
    }
}
