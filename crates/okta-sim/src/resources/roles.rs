//! Admin role assignments to users and groups (`POST /api/v1/users/{id}/roles`, `/api/v1/groups/{id}/roles`),
//! stored by the generic layer in Okta's shape: a standard role's `type` and `label`, `assignmentType`, ACTIVE.

use serde_json::{Map, Value, json};

use crate::errors::{ApiError, ApiResult};

const LABELS: &[(&str, &str)] = &[
    ("SUPER_ADMIN", "Super Administrator"),
    ("ORG_ADMIN", "Organizational Administrator"),
    ("APP_ADMIN", "Application Administrator"),
    ("USER_ADMIN", "Group Administrator"),
    ("HELP_DESK_ADMIN", "Help Desk Administrator"),
    ("READ_ONLY_ADMIN", "Read-only Administrator"),
    ("MOBILE_ADMIN", "Mobile Administrator"),
    (
        "API_ACCESS_MANAGEMENT_ADMIN",
        "API Access Management Administrator",
    ),
    ("REPORT_ADMIN", "Report Administrator"),
    ("GROUP_MEMBERSHIP_ADMIN", "Group Membership Administrator"),
    ("WORKFLOWS_ADMIN", "Workflows Administrator"),
    (
        "ACCESS_CERTIFICATIONS_ADMIN",
        "Access Certifications Administrator",
    ),
    ("ACCESS_REQUESTS_ADMIN", "Access Requests Administrator"),
];

/// `assignment_type` is USER or GROUP (from the path).
pub fn on_assign(m: &mut Map<String, Value>, assignment_type: &str) -> ApiResult<()> {
    let ty = m
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    if ty.is_empty() {
        return Err(ApiError::validation(
            "type",
            "The field cannot be left blank",
        ));
    }
    let label = LABELS
        .iter()
        .find(|(t, _)| *t == ty)
        .map(|(_, l)| l.to_string())
        .or_else(|| {
            (ty == "CUSTOM").then(|| {
                m.get("role")
                    .and_then(Value::as_str)
                    .unwrap_or("Custom role")
                    .to_string()
            })
        })
        .ok_or_else(|| {
            ApiError::bad_request(format!(
                "type {ty} is not a role type"
            ))
        })?;
    m.insert("label".into(), json!(label));
    m.insert("assignmentType".into(), json!(assignment_type));
    m.insert("status".into(), json!("ACTIVE"));
    Ok(())
}
