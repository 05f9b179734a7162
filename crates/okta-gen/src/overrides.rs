//! `api/overrides.json`: the few decisions the naming rules cannot make, each with its reason.

use std::collections::BTreeMap;

use serde::Deserialize;

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Overrides {
    /// operationId → command name, for operations whose rule-made name is taken by an official command.
    #[serde(default)]
    pub renames: BTreeMap<String, Reasoned<String>>,
    /// Official command → operationId, where method + path do not identify the operation any more.
    #[serde(default)]
    pub operation_of: BTreeMap<String, Reasoned<String>>,
    /// Official commands that are hand-written (not generated), with why.
    #[serde(default)]
    pub hand_written: BTreeMap<String, String>,
    /// operationId → why its next link never ends (so -All stops at the first empty page).
    #[serde(default)]
    pub endless_next_link: BTreeMap<String, String>,
}

#[derive(Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct Reasoned<T> {
    pub value: T,
    pub reason: String,
}

impl Overrides {
    pub fn check_reasons(&self) -> Result<(), String> {
        let missing: Vec<&String> = self
            .renames
            .iter()
            .chain(self.operation_of.iter())
            .filter(|(_, entry)| entry.reason.trim().is_empty())
            .map(|(key, _)| key)
            .chain(self.hand_written.iter().filter(|(_, reason)| reason.trim().is_empty()).map(|(key, _)| key))
            .chain(self.endless_next_link.iter().filter(|(_, reason)| reason.trim().is_empty()).map(|(key, _)| key))
            .collect();
        if missing.is_empty() {
            Ok(())
        } else {
            Err(format!("api/overrides.json: every entry needs a reason; these have none: {missing:?}"))
        }
    }
}
