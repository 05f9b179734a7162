//! The official module's public command surface (`api/okta-powershell-cli-2.0.2-commands.json`): our drop-in
//! contract. API commands carry `method`/`path`; `Initialize-*` builders carry `jsonProperties`.

use std::collections::BTreeMap;

use serde::Deserialize;

#[derive(Deserialize)]
pub struct Compat {
    pub commands: BTreeMap<String, CompatCommand>,
}

#[derive(Deserialize, Clone)]
#[serde(rename_all = "camelCase")]
pub struct CompatCommand {
    #[serde(default)]
    pub method: Option<String>,
    #[serde(default)]
    pub path: Option<String>,
    #[serde(default)]
    pub params: Vec<CompatParam>,
    #[serde(default)]
    pub returns: Option<String>,
    /// Initialize-* only: parameter name → JSON property name, in declaration order.
    #[serde(default)]
    pub json_properties: Option<serde_json::Map<String, serde_json::Value>>,
}

#[derive(Deserialize, Clone)]
#[serde(rename_all = "camelCase")]
pub struct CompatParam {
    pub name: String,
    #[serde(rename = "type")]
    pub ty: String,
    #[serde(default)]
    pub position: Option<u32>,
    #[serde(default)]
    pub pipeline: bool,
    #[serde(default)]
    pub pipeline_by_property_name: bool,
    #[serde(default)]
    pub validate_set: Vec<String>,
}

/// The parameters every official API command has besides its operation's own.
pub const COMMON_API_PARAMETERS: [&str; 3] = ["Uri", "WithHttpInfo", "IncludeNullValues"];
