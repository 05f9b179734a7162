//! Naming rules: how an operation id becomes a command name, and a property or parameter name becomes a
//! PowerShell parameter name. They reproduce the official module's names (its generator's rules), so that
//! operations Okta adds later are named the way admins already expect.

use heck::ToUpperCamelCase;

/// PowerShell's approved verbs (`Get-Verb`, pwsh 7.6).
const APPROVED_VERBS: &[&str] = &[
    "Add", "Approve", "Assert", "Backup", "Block", "Build", "Checkpoint", "Clear", "Close", "Compare",
    "Complete", "Compress", "Confirm", "Connect", "Convert", "ConvertFrom", "ConvertTo", "Copy", "Debug",
    "Deny", "Deploy", "Disable", "Disconnect", "Dismount", "Edit", "Enable", "Enter", "Exit", "Expand",
    "Export", "Find", "Format", "Get", "Grant", "Group", "Hide", "Import", "Initialize", "Install",
    "Invoke", "Join", "Limit", "Lock", "Measure", "Merge", "Mount", "Move", "New", "Open", "Optimize",
    "Out", "Ping", "Pop", "Protect", "Publish", "Push", "Read", "Receive", "Redo", "Register", "Remove",
    "Rename", "Repair", "Request", "Reset", "Resize", "Resolve", "Restart", "Restore", "Resume", "Revoke",
    "Save", "Search", "Select", "Send", "Set", "Show", "Skip", "Split", "Start", "Step", "Stop", "Submit",
    "Suspend", "Switch", "Sync", "Test", "Trace", "Unblock", "Undo", "Uninstall", "Unlock", "Unprotect",
    "Unpublish", "Unregister", "Update", "Use", "Wait", "Watch", "Write",
];

/// Words the official module's generator maps onto an approved verb.
const VERB_SYNONYMS: &[(&str, &str)] = &[
    ("Create", "New"),
    ("Generate", "New"),
    ("Clone", "Copy"),
    ("Verify", "Test"),
    ("Pause", "Suspend"),
    ("Change", "Rename"),
];

pub const PREFIX: &str = "Okta";

/// `getUser` → `Get-OktaUser`, `createUser` → `New-OktaUser`, `listUsers` → `Invoke-OktaListUsers`.
pub fn command_name(operation_id: &str) -> String {
    let camel = upper_first(operation_id);
    let first = first_word(&camel);
    let rest = &camel[first.len()..];
    if APPROVED_VERBS.contains(&first) && !rest.is_empty() {
        return format!("{first}-{PREFIX}{rest}");
    }
    if let Some((_, verb)) = VERB_SYNONYMS.iter().find(|(word, _)| *word == first) {
        if !rest.is_empty() {
            return format!("{verb}-{PREFIX}{rest}");
        }
    }
    format!("Invoke-{PREFIX}{camel}")
}

/// Whether the verb of a command name is an approved PowerShell verb other than the catch-all Invoke.
pub fn has_specific_verb(command: &str) -> bool {
    let verb = command.split('-').next().unwrap_or_default();
    verb != "Invoke" && APPROVED_VERBS.contains(&verb)
}

fn first_word(camel: &str) -> &str {
    let end = camel
        .char_indices()
        .skip(1)
        .find(|(_, c)| c.is_ascii_uppercase() || c.is_ascii_digit())
        .map(|(index, _)| index)
        .unwrap_or(camel.len());
    &camel[..end]
}

pub fn upper_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Names a PowerShell parameter cannot take (automatic variables it would shadow inside script blocks, and
/// the common parameters every cmdlet already has): the official module prefixes them with `Var`.
const RESERVED: &[&str] = &[
    "Args", "Confirm", "Definition", "ModelDefinition", "OperationDefinition", "RequestValues", "Debug", "Error", "ErrorAction", "ErrorVariable", "Event", "EventArgs", "False",
    "Filter", "ForEach", "Home", "Host", "Input", "InformationAction", "InformationVariable", "Matches",
    "MyInvocation", "Null", "OutBuffer", "OutVariable", "PID", "PipelineVariable", "Profile",
    "ProgressAction", "PSItem", "PWD", "Sender", "ShellId", "StackTrace", "This", "True", "Verbose",
    "WarningAction", "WarningVariable", "WhatIf",
];

/// A JSON property or wire parameter name as a PowerShell parameter name: `profile` → `VarProfile`,
/// `_links` → `Links`, `client_id` → `ClientId`, `Content-Type` → `ContentType`.
pub fn parameter_name(wire: &str) -> String {
    let trimmed = wire.trim_start_matches(['_', '$', '@']);
    let camel = if trimmed.contains(['_', '-', '.', ' ']) {
        trimmed.to_upper_camel_case()
    } else {
        upper_first(trimmed)
    };
    let camel: String = camel.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
    let camel = if camel.is_empty() || camel.starts_with(|c: char| c.is_ascii_digit()) {
        format!("Var{camel}")
    } else {
        camel
    };
    if RESERVED.iter().any(|reserved| reserved.eq_ignore_ascii_case(&camel)) {
        format!("Var{camel}")
    } else {
        camel
    }
}

/// A C# identifier for a generated class from a command name: `Get-OktaUser` → `GetOktaUserCommand`.
pub fn class_name(command: &str) -> String {
    let mut name: String = command.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
    name.push_str("Command");
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operation_ids_become_official_names() {
        assert_eq!(command_name("getUser"), "Get-OktaUser");
        assert_eq!(command_name("listUsers"), "Invoke-OktaListUsers");
        assert_eq!(command_name("createGroup"), "New-OktaGroup");
        assert_eq!(command_name("cloneApplicationKey"), "Copy-OktaApplicationKey");
        assert_eq!(command_name("verifyDomain"), "Test-OktaDomain");
        assert_eq!(command_name("changePassword"), "Rename-OktaPassword");
        assert_eq!(command_name("deleteUser"), "Invoke-OktaDeleteUser");
        assert_eq!(command_name("unsuspendDevice"), "Invoke-OktaUnsuspendDevice");
        assert_eq!(command_name("unlockUser"), "Unlock-OktaUser");
        // a verb-like word that only starts the same way is no verb
        assert_eq!(command_name("resendEnrollFactor"), "Invoke-OktaResendEnrollFactor");
    }

    #[test]
    fn property_names_become_parameter_names() {
        assert_eq!(parameter_name("profile"), "VarProfile");
        assert_eq!(parameter_name("_links"), "Links");
        assert_eq!(parameter_name("client_id"), "ClientId");
        assert_eq!(parameter_name("Content-Type"), "ContentType");
        assert_eq!(parameter_name("host"), "VarHost");
        assert_eq!(parameter_name("lastUpdated"), "LastUpdated");
        assert_eq!(parameter_name("2fa"), "Var2fa");
    }
}
