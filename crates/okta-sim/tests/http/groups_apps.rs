//! Groups (CRUD, members, a user's groups, Everyone) and apps (CRUD, lifecycle, assignments).


use crate::common::*;
use reqwest::Method;
use serde_json::{Value, json};

#[tokio::test]
async fn groups_crud_and_membership() {
    let sim = start_default().await;
    let r = sim
        .post(
            "/api/v1/groups",
            json!({"profile": {"name": "Admins", "description": "People"}}),
        )
        .await;
    let g: Value = r.json().await.unwrap();
    let gid = g["id"].as_str().unwrap();
    assert!(gid.starts_with("00g"));
    assert_eq!(g["type"], "OKTA_GROUP");
    assert_eq!(g["objectClass"], json!(["okta:user_group"]));
    let r = sim
        .post("/api/v1/groups", json!({"profile": {"name": "admins"}}))
        .await;
    assert_okta_error(r, 400, "E0000001").await;
    let r = sim
        .post(
            "/api/v1/groups",
            json!({"profile": {"description": "no name"}}),
        )
        .await;
    assert_okta_error(r, 400, "E0000001").await;

    let u = sim.create_user("m@example.com", "M", "E", "", None).await;
    let uid = u["id"].as_str().unwrap();
    assert_eq!(
        sim.call(
            Method::PUT,
            &format!("/api/v1/groups/{gid}/users/{uid}"),
            None
        )
        .await
        .status(),
        204
    );
    assert_eq!(
        sim.call(
            Method::PUT,
            &format!("/api/v1/groups/{gid}/users/{uid}"),
            None
        )
        .await
        .status(),
        204,
        "idempotent"
    );
    let members = sim.get_json(&format!("/api/v1/groups/{gid}/users")).await;
    assert_eq!(members.as_array().unwrap().len(), 1);
    assert_eq!(members[0]["id"], uid);
    let ug = sim.get_json(&format!("/api/v1/users/{uid}/groups")).await;
    let names: Vec<&str> = ug
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["profile"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Everyone", "Admins"]);
    assert_eq!(
        sim.delete(&format!("/api/v1/groups/{gid}/users/{uid}"))
            .await
            .status(),
        204
    );
    assert_eq!(
        sim.get_json(&format!("/api/v1/groups/{gid}/users")).await,
        json!([])
    );
    let r = sim
        .call(
            Method::PUT,
            &format!("/api/v1/groups/{gid}/users/00unobody"),
            None,
        )
        .await;
    assert_okta_error(r, 404, "E0000007").await;

    let r = sim
        .put(
            &format!("/api/v1/groups/{gid}"),
            json!({"profile": {"name": "Admins2"}}),
        )
        .await;
    let g2: Value = r.json().await.unwrap();
    assert_eq!(g2["profile"]["name"], "Admins2");
    assert!(g2["profile"].get("description").is_none());
    let everyone = sim.get_json("/api/v1/groups?q=Every").await[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        sim.delete(&format!("/api/v1/groups/{everyone}"))
            .await
            .status(),
        403
    );
    assert_eq!(
        sim.delete(&format!("/api/v1/groups/{gid}")).await.status(),
        204
    );
    let r = sim.get(&format!("/api/v1/groups/{gid}")).await;
    let b = assert_okta_error(r, 404, "E0000007").await;
    assert!(b["errorSummary"].as_str().unwrap().contains(gid));
    // groupIds on user create.
    let g: Value = sim
        .post("/api/v1/groups", json!({"profile": {"name": "New hires"}}))
        .await
        .json()
        .await
        .unwrap();
    let r = sim.post("/api/v1/users", json!({"profile": {"login": "n@example.com", "email": "n@example.com", "firstName": "N", "lastName": "H"}, "groupIds": [g["id"]]})).await;
    assert_eq!(r.status(), 200);
    let members = sim
        .get_json(&format!(
            "/api/v1/groups/{}/users",
            g["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(members[0]["profile"]["login"], "n@example.com");
}

/// Groups share the users list's rules: sortOrder other than asc/desc is a 400 naming it, and a missing
/// sort value sorts as an empty string (first ascending, last descending).
#[tokio::test]
async fn group_search_sort_order() {
    let sim = start_default().await;
    for (name, description) in [
        ("beta", json!("b")),
        ("Alpha", json!("a")),
        ("gamma", Value::Null),
    ] {
        let r = sim
            .post(
                "/api/v1/groups",
                json!({"profile": {"name": name, "description": description}}),
            )
            .await;
        assert_eq!(r.status(), 200);
    }
    let search = "search=type%20eq%20%22OKTA_GROUP%22";
    let names = |v: Value| -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|g| g["profile"]["name"].as_str().unwrap().to_string())
            .collect()
    };
    let r = sim
        .get(&format!(
            "/api/v1/groups?{search}&sortBy=profile.name&sortOrder=sideways"
        ))
        .await;
    let b = assert_okta_error(r, 400, "E0000001").await;
    assert!(
        b["errorCauses"][0]["errorSummary"]
            .as_str()
            .unwrap()
            .starts_with("sortOrder:"),
        "{b}"
    );
    let by_name = sim
        .get_json(&format!(
            "/api/v1/groups?{search}&sortBy=profile.name&sortOrder=DESC"
        ))
        .await;
    assert_eq!(names(by_name), ["gamma", "beta", "Alpha"]);
    let by_description = sim
        .get_json(&format!(
            "/api/v1/groups?{search}&sortBy=profile.description"
        ))
        .await;
    assert_eq!(names(by_description), ["gamma", "Alpha", "beta"]);
}

#[tokio::test]
async fn apps_lifecycle_and_assignments() {
    let sim = start_default().await;
    let r = sim.post("/api/v1/apps", json!({"label": "Wiki", "signOnMode": "BOOKMARK", "settings": {"app": {"url": "https://w"}}})).await;
    let a: Value = r.json().await.unwrap();
    let aid = a["id"].as_str().unwrap();
    assert!(aid.starts_with("0oa"));
    assert_eq!(a["status"], "ACTIVE");
    assert_eq!(a["name"], "bookmark");
    let r = sim
        .post("/api/v1/apps", json!({"signOnMode": "BOOKMARK"}))
        .await;
    assert_okta_error(r, 400, "E0000001").await;
    let inactive: Value = sim
        .post(
            "/api/v1/apps?activate=false",
            json!({"label": "Later", "signOnMode": "BOOKMARK"}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(inactive["status"], "INACTIVE");

    let r = sim.delete(&format!("/api/v1/apps/{aid}")).await;
    assert_okta_error(r, 403, "E0000056").await;

    let u = sim.create_user("app@example.com", "A", "P", "", None).await;
    let uid = u["id"].as_str().unwrap();
    let r = sim
        .post(
            &format!("/api/v1/apps/{aid}/users"),
            json!({"id": uid, "scope": "USER", "credentials": {"userName": "app-user"}}),
        )
        .await;
    let au: Value = r.json().await.unwrap();
    assert_eq!(au["scope"], "USER");
    assert_eq!(au["credentials"]["userName"], "app-user");
    let g: Value = sim
        .post("/api/v1/groups", json!({"profile": {"name": "AppGroup"}}))
        .await
        .json()
        .await
        .unwrap();
    let gid = g["id"].as_str().unwrap();
    let u2 = sim
        .create_user("app2@example.com", "A", "Q", "", None)
        .await;
    sim.call(
        Method::PUT,
        &format!("/api/v1/groups/{gid}/users/{}", u2["id"].as_str().unwrap()),
        None,
    )
    .await;
    let r = sim
        .put(
            &format!("/api/v1/apps/{aid}/groups/{gid}"),
            json!({"priority": 1}),
        )
        .await;
    assert_eq!(r.status(), 200);
    let users = sim.get_json(&format!("/api/v1/apps/{aid}/users")).await;
    let scopes: Vec<&str> = users
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["scope"].as_str().unwrap())
        .collect();
    assert_eq!(scopes, ["USER", "GROUP"]);
    assert_eq!(
        sim.get_json(&format!("/api/v1/apps/{aid}/groups")).await[0]["id"],
        gid
    );
    assert_eq!(
        sim.get_json(&format!("/api/v1/groups/{gid}/apps")).await[0]["id"],
        aid
    );
    assert_eq!(
        sim.get_json(&format!("/api/v1/users/{uid}/appLinks")).await[0]["appInstanceId"],
        aid
    );
    let filtered = sim
        .get_json(&format!("/api/v1/apps?filter=user.id+eq+%22{uid}%22"))
        .await;
    assert_eq!(filtered.as_array().unwrap().len(), 1);
    assert_eq!(
        sim.delete(&format!("/api/v1/apps/{aid}/users/{uid}"))
            .await
            .status(),
        204
    );
    assert_eq!(
        sim.delete(&format!("/api/v1/apps/{aid}/groups/{gid}"))
            .await
            .status(),
        204
    );
    assert_eq!(
        sim.get_json(&format!("/api/v1/apps/{aid}/users")).await,
        json!([])
    );

    assert_eq!(
        sim.post(
            &format!("/api/v1/apps/{aid}/lifecycle/deactivate"),
            json!({})
        )
        .await
        .status(),
        200
    );
    assert_eq!(
        sim.get_json(&format!("/api/v1/apps/{aid}")).await["status"],
        "INACTIVE"
    );
    assert_eq!(
        sim.delete(&format!("/api/v1/apps/{aid}")).await.status(),
        204
    );
    assert_okta_error(
        sim.get(&format!("/api/v1/apps/{aid}")).await,
        404,
        "E0000007",
    )
    .await;
}

#[tokio::test]
async fn an_app_has_a_user_schema_from_the_start_and_keeps_its_base_when_extended() {
    let sim = start_default().await;
    let r = sim
        .post(
            "/api/v1/apps",
            json!({"name": "bookmark", "label": "Wiki", "signOnMode": "BOOKMARK",
                   "settings": {"app": {"url": "https://wiki.example.com", "requestIntegration": false}}}),
        )
        .await;
    let app: Value = r.json().await.unwrap();
    let id = app["id"].as_str().unwrap();
    let path = format!("/api/v1/meta/schemas/apps/{id}/default");
    let schema: Value = sim.call(Method::GET, &path, None).await.json().await.unwrap();
    assert_eq!(schema["name"], "bookmark");
    assert_eq!(schema["title"], "Wiki User");
    assert_eq!(schema["definitions"]["base"]["properties"]["userName"]["type"], "string");
    let extended: Value = sim
        .call(
            Method::POST,
            &path,
            Some(json!({"definitions": {"custom": {"id": "#custom", "type": "object",
                "properties": {"costCenter": {"title": "Cost center", "type": "string"}}}}})),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(extended["definitions"]["custom"]["properties"]["costCenter"]["type"], "string");
    assert_eq!(extended["definitions"]["base"]["properties"]["userName"]["title"], "Username", "the base survives");
}
