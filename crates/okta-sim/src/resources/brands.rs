//! Brands: every brand (the org's default one, and each created) has a theme and Okta's email templates,
//! addressed by name (`/api/v1/brands/{brandId}/templates/email/UserActivation`).

use serde_json::{Value, json};

use crate::store::Org;

const EMAIL_TEMPLATES: &[&str] = &[
    "ADForgotPassword",
    "ADForgotPasswordDenied",
    "ADSelfServiceUnlock",
    "ADUserActivation",
    "AuthenticatorEnrolled",
    "AuthenticatorReset",
    "ChangeEmailConfirmation",
    "EmailChallenge",
    "EmailChangeConfirmation",
    "EmailChangeNotification",
    "EmailFactorVerification",
    "ForgotPassword",
    "ForgotPasswordDenied",
    "IGAReviewerEndNotification",
    "IGAReviewerNotification",
    "IGAReviewerPendingNotification",
    "IGAReviewerReassigned",
    "LDAPForgotPassword",
    "LDAPForgotPasswordDenied",
    "LDAPSelfServiceUnlock",
    "LDAPUserActivation",
    "MyAccountChangeConfirmation",
    "NewSignOnNotification",
    "OktaVerifyActivation",
    "PasswordChanged",
    "PasswordResetByAdmin",
    "PendingEmailChange",
    "RegistrationActivation",
    "RegistrationEmailVerification",
    "SelfServiceUnlock",
    "SelfServiceUnlockOnUnlockedAccount",
    "UserActivation",
];

/// Adds the theme and email templates a brand comes with (missing ones only).
pub fn populate(org: &mut Org, brand: &str) {
    let themes = org
        .generic
        .entry(format!("/api/v1/brands/{brand}/themes"))
        .or_default();
    if themes.is_empty() {
        let id = format!("thd{}", &brand.get(3..).unwrap_or("0000000000000000sim"));
        themes.insert(
            id.clone(),
            json!({
                "id": id, "logo": Value::Null, "favicon": Value::Null, "backgroundImage": Value::Null,
                "primaryColorHex": "#1662dd", "primaryColorContrastHex": "#ffffff",
                "secondaryColorHex": "#ebebed", "secondaryColorContrastHex": "#000000",
                "signInPageTouchPointVariant": "OKTA_DEFAULT", "endUserDashboardTouchPointVariant": "OKTA_DEFAULT",
                "errorPageTouchPointVariant": "OKTA_DEFAULT", "emailTemplateTouchPointVariant": "OKTA_DEFAULT",
                "loadingPageTouchPointVariant": "OKTA_DEFAULT",
            }),
        );
    }
    let templates = org
        .generic
        .entry(format!("/api/v1/brands/{brand}/templates/email"))
        .or_default();
    for name in EMAIL_TEMPLATES {
        templates
            .entry(name.to_string())
            .or_insert_with(|| json!({"name": name}));
    }
}

/// Every brand of the org, populated (a state saved before brands had them gains them).
pub fn populate_all(org: &mut Org) {
    let brands: Vec<String> = org
        .generic
        .get("/api/v1/brands")
        .map(|c| c.keys().cloned().collect())
        .unwrap_or_default();
    for b in brands {
        populate(org, &b);
    }
}
