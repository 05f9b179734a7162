//! The shapes of `api/okta-management.facts.json` that the generator reads (structural facts of Okta's
//! Management API). Fields the generator does not use are ignored.

use serde::Deserialize;

#[derive(Deserialize)]
pub struct Facts {
    pub source: serde_json::Value,
    pub operations: Vec<Operation>,
    pub schemas: Vec<Schema>,
}

#[derive(Deserialize, Clone)]
#[serde(rename_all = "camelCase")]
pub struct Operation {
    pub operation_id: String,
    pub tag: String,
    pub method: String,
    pub path: String,
    #[serde(default)]
    pub path_params: Vec<Param>,
    #[serde(default)]
    pub query_params: Vec<Param>,
    #[serde(default)]
    pub header_params: Vec<Param>,
    #[serde(default)]
    pub request_body: Option<RequestBody>,
    #[serde(default)]
    pub responses: Vec<Response>,
    #[serde(default)]
    pub paginated: bool,
    #[serde(default)]
    pub pagination: Pagination,
    #[serde(default)]
    pub security_schemes: Vec<String>,
    #[serde(default)]
    pub oauth2_scopes: Vec<String>,
    #[serde(default)]
    pub lifecycle: Option<String>,
}

#[derive(Deserialize, Clone, Default)]
#[serde(rename_all = "camelCase")]
pub struct Pagination {
    #[serde(default)]
    pub limit_default: Option<i64>,
    #[serde(default, rename = "limitMaximum")]
    pub limit_max: Option<i64>,
}

/// A path or query parameter, or a schema property: the same structural facts.
#[derive(Deserialize, Clone, Default)]
#[serde(rename_all = "camelCase")]
pub struct Param {
    #[serde(default)]
    pub name: String,
    #[serde(rename = "type", default)]
    pub ty: Option<String>,
    #[serde(default)]
    pub format: Option<String>,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub r#enum: Vec<serde_json::Value>,
    #[serde(rename = "ref", default)]
    pub reference: Option<String>,
    #[serde(default)]
    pub array_of: Option<Box<Param>>,
    #[serde(default)]
    pub default: Option<serde_json::Value>,
    #[serde(default)]
    pub read_only: bool,
    /// Polymorphic values (`oneOf` of schema references).
    #[serde(default)]
    pub one_of: Vec<Param>,
}

impl Param {
    /// Enum values as text (numbers and booleans written as JSON would).
    pub fn enum_values(&self) -> Vec<String> {
        let own = if self.r#enum.is_empty() {
            self.array_of.as_ref().map(|item| item.r#enum.clone()).unwrap_or_default()
        } else {
            self.r#enum.clone()
        };
        own.iter()
            .map(|value| match value {
                serde_json::Value::String(text) => text.clone(),
                other => other.to_string(),
            })
            .collect()
    }
}

#[derive(Deserialize, Clone)]
pub struct RequestBody {
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub content: Vec<Content>,
}

#[derive(Deserialize, Clone)]
#[serde(rename_all = "camelCase")]
pub struct Content {
    pub content_type: String,
    #[serde(default)]
    pub schema: Option<Param>,
}

#[derive(Deserialize, Clone)]
pub struct Response {
    pub status: String,
    #[serde(default)]
    pub content: Vec<Content>,
}

#[derive(Deserialize, Clone)]
#[serde(rename_all = "camelCase")]
pub struct Schema {
    pub name: String,
    #[serde(rename = "type", default)]
    pub ty: Option<String>,
    #[serde(default)]
    pub properties: Vec<Param>,
    #[serde(default)]
    pub inherits: Vec<String>,
    #[serde(default)]
    pub discriminator: Option<Discriminator>,
}

#[derive(Deserialize, Clone)]
#[serde(rename_all = "camelCase")]
pub struct Discriminator {
    pub property_name: String,
    #[serde(default)]
    pub mapping: std::collections::BTreeMap<String, String>,
}

impl Operation {
    /// The first 2xx answer: its status and, when it has a body, the content type and schema.
    pub fn success(&self) -> Option<(&str, Option<&Content>)> {
        self.responses
            .iter()
            .find(|response| response.status.starts_with('2'))
            .map(|response| (response.status.as_str(), response.content.first()))
    }

    /// Who may call it: none (no auth), oauth (OAuth 2.0 only), ssws (API token only), both (anything else).
    pub fn security(&self) -> &'static str {
        let only = |scheme: &str| !self.security_schemes.is_empty() && self.security_schemes.iter().all(|s| s == scheme);
        if self.security_schemes.is_empty() {
            "none"
        } else if only("oauth2") {
            "oauth"
        } else if only("apiToken") {
            "ssws"
        } else {
            "both"
        }
    }
}

impl Schema {
    pub fn is_object(&self) -> bool {
        self.ty.as_deref() == Some("object") || !self.properties.is_empty() || !self.inherits.is_empty()
    }
}
