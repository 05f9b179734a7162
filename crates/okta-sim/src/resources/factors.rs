//! A user's factors, stored by the generic layer with Okta's enrolment rules: the catalog of supported factors,
//! PENDING_ACTIVATION for factors proven by a code (sms, call, email, TOTP tokens) and for Okta Verify push,
//! ACTIVE at once for a security question or a hardware token, activation with a `passCode`.

use serde_json::{Map, Value, json};

use crate::errors::{ApiError, ApiResult};
use crate::reply::Reply;
use crate::resources::Ctx;

/// (factorType, provider, vendorName, enrollment) of every factor the simulated org supports.
const SUPPORTED: &[(&str, &str, &str)] = &[
    ("question", "OKTA", "OKTA"),
    ("sms", "OKTA", "OKTA"),
    ("call", "OKTA", "OKTA"),
    ("email", "OKTA", "OKTA"),
    ("push", "OKTA", "OKTA"),
    ("token:software:totp", "OKTA", "OKTA"),
    ("token:software:totp", "GOOGLE", "GOOGLE"),
    ("token:hardware", "YUBICO", "YUBICO"),
    ("webauthn", "FIDO", "FIDO"),
];

/// Factors a user must prove with a code (or an app) before they count.
fn needs_activation(factor_type: &str) -> bool {
    matches!(
        factor_type,
        "sms"
            | "call"
            | "email"
            | "push"
            | "token:software:totp"
            | "token:hotp"
            | "webauthn"
            | "u2f"
    )
}

/// `GET /api/v1/users/{userId}/factors/catalog`: every supported factor, with this user's enrolment status.
pub fn catalog(ctx: &Ctx, user: &str) -> ApiResult<Reply> {
    let base = ctx.base().to_string();
    let enrolled: Vec<Value> = ctx.store().read(|org| {
        org.generic
            .get(&format!("/api/v1/users/{user}/factors"))
            .map(|c| c.values().cloned().collect())
            .unwrap_or_default()
    });
    let items: Vec<Value> = SUPPORTED
        .iter()
        .map(|(t, provider, vendor)| {
            let status = enrolled
                .iter()
                .find(|f| f["factorType"] == *t && f["provider"] == *provider)
                .and_then(|f| f["status"].as_str())
                .unwrap_or("NOT_SETUP");
            json!({
                "factorType": t,
                "provider": provider,
                "vendorName": vendor,
                "status": status,
                "enrollment": "OPTIONAL",
                "_links": {"enroll": {"href": format!("{base}/api/v1/users/{user}/factors"), "hints": {"allow": ["POST"]}}},
            })
        })
        .collect();
    Ok(Reply::json(Value::Array(items)))
}

/// `GET /api/v1/users/{userId}/factors/questions`: the security questions a user may pick.
pub fn questions(_ctx: &Ctx) -> ApiResult<Reply> {
    let qs = [
        (
            "disliked_food",
            "What is the food you least liked as a child?",
        ),
        (
            "name_of_first_plush_toy",
            "What is the name of your first stuffed animal?",
        ),
        (
            "first_award",
            "What did you earn your first medal or award for?",
        ),
        (
            "favorite_security_question",
            "What is your favorite security question?",
        ),
        (
            "favorite_toy",
            "What is the toy/stuffed animal you liked the most as a kid?",
        ),
        (
            "first_computer_game",
            "What was the first computer game you played?",
        ),
    ];
    Ok(Reply::json(Value::Array(
        qs.iter()
            .map(|(q, t)| json!({"question": q, "questionText": t}))
            .collect(),
    )))
}

/// Enrolment: provider and vendor, the starting status, and what activation needs.
pub fn on_enroll(ctx: &Ctx, m: &mut Map<String, Value>) -> ApiResult<()> {
    let Some(t) = m
        .get("factorType")
        .and_then(Value::as_str)
        .map(str::to_string)
    else {
        return Err(ApiError::validation(
            "factorType",
            "The field cannot be left blank",
        ));
    };
    if !SUPPORTED.iter().any(|(s, _, _)| *s == t) {
        return Err(ApiError::bad_request(format!(
            "factorType {t} is not supported"
        )));
    }
    let provider = m
        .get("provider")
        .and_then(Value::as_str)
        .unwrap_or("OKTA")
        .to_string();
    m.insert("provider".into(), json!(provider));
    m.insert("vendorName".into(), json!(provider));
    m.entry("profile").or_insert_with(|| json!({}));
    let activate_now = ctx.query.flag("activate", false) && t == "push";
    let status = if needs_activation(&t) && !activate_now {
        "PENDING_ACTIVATION"
    } else {
        "ACTIVE"
    };
    m.insert("status".into(), json!(status));
    if status == "PENDING_ACTIVATION" {
        let expires = crate::util::ts(&(chrono::Utc::now() + chrono::Duration::minutes(5)));
        let mut activation = json!({"expiresAt": expires, "factorResult": "WAITING"});
        if t.starts_with("token:software") || t == "push" {
            activation["timeStep"] = json!(30);
            activation["sharedSecret"] = json!("JBSWY3DPEHPK3PXP");
            activation["encoding"] = json!("base32");
            activation["keyLength"] = json!(6);
        }
        m.insert("_embedded".into(), json!({"activation": activation}));
    }
    Ok(())
}

/// `POST …/factors/{factorId}/lifecycle/activate`: a code-based factor needs a passCode.
pub fn on_activate(ctx: &Ctx, member: &mut Value) -> ApiResult<()> {
    let t = member["factorType"].as_str().unwrap_or("").to_string();
    let body = ctx.json()?;
    let code_based = matches!(
        t.as_str(),
        "sms" | "call" | "email" | "token:software:totp" | "token:hotp"
    );
    if code_based
        && body["passCode"]
            .as_str()
            .is_none_or(|c| c.trim().is_empty())
    {
        return Err(invalid_code());
    }
    member["status"] = json!("ACTIVE");
    if let Some(e) = member.get_mut("_embedded").and_then(Value::as_object_mut) {
        e.remove("activation");
    }
    Ok(())
}

/// `POST /api/v1/users/{userId}/factors/{factorId}/verify`: an ACTIVE factor; code factors need a `passCode`
/// (SUCCESS), Okta Verify push answers WAITING with a transaction to poll.
pub fn verify(ctx: &Ctx, user: &str, factor: &str) -> ApiResult<Reply> {
    let body = ctx.json()?;
    let base = ctx.base().to_string();
    let f = ctx.store().read(|org| {
        org.generic
            .get(&format!("/api/v1/users/{user}/factors"))
            .and_then(|c| c.get(factor))
            .cloned()
    });
    let Some(f) = f else {
        return Err(ApiError::not_found(factor, "UserFactor"));
    };
    if f["status"] != "ACTIVE" {
        return Err(ApiError::bad_request(
            "the factor is not active",
        ));
    }
    let t = f["factorType"].as_str().unwrap_or("");
    let answer = match t {
        "push" => {
            let tx = ctx.store().read_mut_quiet(|org| org.random_string(20));
            json!({
                "factorResult": "WAITING",
                "expiresAt": crate::util::ts(&(chrono::Utc::now() + chrono::Duration::minutes(5))),
                "_links": {"poll": {"href": format!("{base}/api/v1/users/{user}/factors/{factor}/transactions/{tx}"), "hints": {"allow": ["GET"]}}},
            })
        }
        "question" if body["answer"].as_str().is_none_or(str::is_empty) => {
            return Err(invalid_code());
        }
        "question" => json!({"factorResult": "SUCCESS"}),
        _ if body["passCode"]
            .as_str()
            .is_none_or(|c| c.trim().is_empty()) =>
        {
            return Err(invalid_code());
        }
        _ => json!({"factorResult": "SUCCESS"}),
    };
    Ok(Reply::json(answer))
}

fn invalid_code() -> ApiError {
    ApiError::new(
        http::StatusCode::FORBIDDEN,
        "E0000068",
        "Invalid Passcode/Answer",
    )
    .with_cause("Your passcode doesn't match our records. Please try again.")
}
