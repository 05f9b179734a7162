//! A fresh org's built-ins (the Everyone group, the default user type) and the deterministic demo data of
//! `--seed N`: N users (names, departments, a fixed status pattern), groups by department, a few apps.
//!
//! Status pattern of demo user i (0-based): i % 20 == 18 → STAGED, i % 20 == 19 → SUSPENDED,
//! i % 10 == 4 → PROVISIONED, otherwise ACTIVE (with a password). None is DEPROVISIONED, so a plain
//! `GET /api/v1/users` lists all N.

use chrono::{DateTime, Duration, TimeZone, Utc};
use serde_json::{Map, Value, json};

use crate::resources::apps;
use crate::resources::groups;
use crate::resources::users::{self, User};
use crate::store::Org;
use crate::util::ts;

pub const USER_TYPES: &str = "/api/v1/meta/types/user";

const FIRST: &[&str] = &[
    "Ada",
    "Alan",
    "Grace",
    "Linus",
    "Margaret",
    "Dennis",
    "Barbara",
    "Ken",
    "Frances",
    "Edsger",
    "Radia",
    "Donald",
    "Hedy",
    "John",
    "Katherine",
    "Tim",
    "Sophie",
    "Niklaus",
    "Annie",
    "Bjarne",
    "Joan",
    "Guido",
    "Karen",
    "James",
    "Lynn",
];
const LAST: &[&str] = &[
    "Lovelace",
    "Turing",
    "Hopper",
    "Torvalds",
    "Hamilton",
    "Ritchie",
    "Liskov",
    "Thompson",
    "Allen",
    "Dijkstra",
    "Perlman",
    "Knuth",
    "Lamarr",
    "Backus",
    "Johnson",
    "Berners-Lee",
    "Wilson",
    "Wirth",
    "Easley",
    "Stroustrup",
    "Clarke",
    "Rossum",
    "Jones",
    "Gosling",
    "Conway",
];
const DEPARTMENTS: &[&str] = &[
    "Engineering",
    "Sales",
    "Marketing",
    "Finance",
    "Support",
    "Operations",
    "Legal",
    "Research",
];

fn epoch() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0)
        .single()
        .expect("valid date")
}

/// What every real org has from day one (org settings, schemas, brand, policies, the default authorization
/// server and its keys, ...): `data/day-one.json`.
const DAY_ONE: &str = include_str!("../data/day-one.json");

/// Loads the day-one objects that are missing (a loaded state keeps what it has).
fn day_one(org: &mut Org) {
    let doc: Value = serde_json::from_str(DAY_ONE).expect("day-one.json parses");
    if let Some(singletons) = doc["singletons"].as_object() {
        for (path, v) in singletons {
            org.singletons
                .entry(path.clone())
                .or_insert_with(|| v.clone());
        }
    }
    if let Some(collections) = doc["collections"].as_object() {
        for (path, members) in collections {
            if org.generic.contains_key(path) {
                continue;
            }
            let c = org.generic.entry(path.clone()).or_default();
            for (id, v) in members.as_object().into_iter().flatten() {
                c.insert(id.clone(), v.clone());
            }
        }
    }
}

/// Built-ins every org has. Idempotent.
pub fn init_org(org: &mut Org) {
    day_one(org);
    crate::resources::brands::populate_all(org);
    if !org.groups.values().any(|g| g.is_everyone()) {
        let mut p = Map::new();
        p.insert("name".into(), json!("Everyone"));
        p.insert(
            "description".into(),
            json!("All users in your organization"),
        );
        groups::insert_group(org, p, groups::BUILT_IN, epoch());
    }
    if !org
        .generic
        .get(USER_TYPES)
        .is_some_and(|c| c.values().any(|t| t["default"] == true))
    {
        let id = org.new_id("oty");
        let t = json!({
            "id": id,
            "displayName": "User",
            "name": "user",
            "description": "Okta user profile template with default permission settings",
            "createdBy": "00usimadmin000000000",
            "lastUpdatedBy": "00usimadmin000000000",
            "default": true,
            "created": ts(&epoch()),
            "lastUpdated": ts(&epoch()),
        });
        org.generic
            .entry(USER_TYPES.to_string())
            .or_default()
            .insert(id, t);
    }
}

pub fn default_user_type_id(org: &Org) -> String {
    org.generic
        .get(USER_TYPES)
        .and_then(|c| c.values().find(|t| t["default"] == true))
        .and_then(|t| t["id"].as_str())
        .unwrap_or("otysimdefault0000000")
        .to_string()
}

pub fn user_type_exists(org: &Org, id: &str) -> bool {
    org.generic
        .get(USER_TYPES)
        .is_some_and(|c| c.contains_key(id))
}

/// Creates `n` demo users, departments' groups and a few apps; deterministic for a given RNG seed.
pub fn seed_demo(org: &mut Org, n: usize) {
    let base = epoch() + Duration::days(1);
    let type_id = default_user_type_id(org);
    let group_count = DEPARTMENTS.len().min(n.div_ceil(10).max(3));
    let mut group_ids = Vec::new();
    for (i, d) in DEPARTMENTS.iter().take(group_count).enumerate() {
        let mut p = Map::new();
        p.insert("name".into(), json!(d));
        p.insert("description".into(), json!(format!("{d} department")));
        group_ids.push(groups::insert_group(
            org,
            p,
            groups::OKTA_GROUP,
            base + Duration::minutes(i as i64),
        ));
    }
    for i in 0..n {
        let first = FIRST[i % FIRST.len()];
        let last = LAST[(i / FIRST.len() + i) % LAST.len()];
        let login = format!(
            "{}.{}{}@example.com",
            first.to_lowercase(),
            last.to_lowercase().replace('-', ""),
            i + 1
        );
        let dept_ix = i % group_count;
        let status = match (i % 20, i % 10) {
            (18, _) => users::STAGED,
            (19, _) => users::SUSPENDED,
            (_, 4) => users::PROVISIONED,
            _ => users::ACTIVE,
        };
        let at = base + Duration::minutes(60 + i as i64);
        let mut profile = Map::new();
        profile.insert("firstName".into(), json!(first));
        profile.insert("lastName".into(), json!(last));
        profile.insert("email".into(), json!(login));
        profile.insert("login".into(), json!(login));
        profile.insert("mobilePhone".into(), Value::Null);
        profile.insert("department".into(), json!(DEPARTMENTS[dept_ix]));
        profile.insert("employeeNumber".into(), json!(format!("{:05}", i + 1)));
        let id = org.new_id("00u");
        let seq = org.next_seq();
        let activated = status != users::STAGED;
        org.users.insert(
            id.clone(),
            User {
                id: id.clone(),
                seq,
                status: status.to_string(),
                created: at,
                activated: activated.then_some(at),
                status_changed: activated.then_some(at),
                last_login: (status == users::ACTIVE).then(|| at + Duration::days(30)),
                last_updated: at,
                password_changed: (status == users::ACTIVE || status == users::SUSPENDED)
                    .then_some(at),
                type_id: type_id.clone(),
                profile,
                has_password: status == users::ACTIVE || status == users::SUSPENDED,
                recovery_question: None,
                provider_type: "OKTA".into(),
                provider_name: "OKTA".into(),
            },
        );
        if let Some(g) = org.groups.get_mut(&group_ids[dept_ix]) {
            g.members.insert(id);
        }
    }
    let demo_apps = [
        (
            "Company Wiki",
            "BOOKMARK",
            json!({"app": {"requestIntegration": false, "url": "https://wiki.example.com"}}),
        ),
        (
            "Expense Reports",
            "SAML_2_0",
            json!({"signOn": {"ssoAcsUrl": "https://expenses.example.com/sso"}}),
        ),
        (
            "Internal API",
            "OPENID_CONNECT",
            json!({"oauthClient": {"redirect_uris": ["https://api.example.com/callback"], "grant_types": ["authorization_code"], "application_type": "web"}}),
        ),
    ];
    for (i, (label, mode, settings)) in demo_apps.iter().enumerate() {
        let mut body = Map::new();
        body.insert("label".into(), json!(label));
        body.insert("signOnMode".into(), json!(mode));
        body.insert("settings".into(), settings.clone());
        let app_id = apps::insert_app(org, body, true, base + Duration::minutes(30 + i as i64));
        if let Some(gid) = group_ids.get(i) {
            org.app_groups.entry(app_id).or_default().insert(
                gid.clone(),
                json!({"lastUpdated": ts(&(base + Duration::minutes(40))), "priority": 0}),
            );
        }
    }
}
