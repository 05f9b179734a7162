//! Paging: limit / after, Link rel=self and rel=next as separate headers, absolute URLs, kept query params,
//! per-endpoint default and maximum limits, stable cursors across deletions.


use crate::common::*;
use serde_json::Value;

#[tokio::test]
async fn users_pages_follow_next_links() {
    let sim = start_seeded(25).await;
    let r = sim.get("/api/v1/users?limit=10").await;
    let l = links(&r);
    assert_eq!(l.len(), 2, "{l:?}");
    assert_eq!(
        l[0],
        format!("<{}/api/v1/users?limit=10>; rel=\"self\"", sim.handle.url())
    );
    let next = next_link(&r).unwrap();
    assert!(
        next.starts_with(&format!("{}/api/v1/users?", sim.handle.url())),
        "{next}"
    );
    assert!(
        next.contains("limit=10") && next.contains("after=00u"),
        "{next}"
    );
    let (all, pages) = sim.collect_all("/api/v1/users?limit=10").await;
    assert_eq!(all.len(), 25);
    assert_eq!(pages, 3);
    let mut ids: Vec<&str> = all.iter().map(|u| u["id"].as_str().unwrap()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 25, "no duplicates");
    // An exact multiple: the last full page has no next link.
    let (all, pages) = sim.collect_all("/api/v1/users?limit=5").await;
    assert_eq!((all.len(), pages), (25, 5));
}

#[tokio::test]
async fn default_and_maximum_limits() {
    let sim = start_seeded(250).await;
    let r = sim.get("/api/v1/users").await;
    assert!(next_link(&r).is_some());
    let page: Vec<Value> = r.json().await.unwrap();
    assert_eq!(page.len(), 200, "default 200");
    let r = sim.get("/api/v1/users?limit=1000").await;
    let page: Vec<Value> = r.json().await.unwrap();
    assert_eq!(page.len(), 200, "capped at 200");
    let r = sim.get("/api/v1/users?limit=abc").await;
    assert_okta_error(r, 400, "E0000001").await;
    // Group members: default 1000; app users: default 50.
    let apps = sim.get_json("/api/v1/apps").await;
    let app = apps[0]["id"].as_str().unwrap().to_string();
    let everyone = sim.get_json("/api/v1/groups?q=Everyone").await[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = sim
        .put(
            &format!("/api/v1/apps/{app}/groups/{everyone}"),
            serde_json::json!({}),
        )
        .await;
    assert_eq!(r.status(), 200);
    let r = sim.get(&format!("/api/v1/apps/{app}/users")).await;
    assert!(next_link(&r).is_some());
    let page: Vec<Value> = r.json().await.unwrap();
    assert_eq!(page.len(), 50);
    let r = sim.get(&format!("/api/v1/groups/{everyone}/users")).await;
    assert!(next_link(&r).is_none());
    let page: Vec<Value> = r.json().await.unwrap();
    assert_eq!(page.len(), 250);
}

#[tokio::test]
async fn next_link_keeps_search() {
    let sim = start_seeded(40).await;
    let search = "profile.department eq \"Engineering\"";
    let enc: String = url::form_urlencoded::byte_serialize(search.as_bytes()).collect();
    let r = sim
        .get(&format!("/api/v1/users?search={enc}&limit=2"))
        .await;
    let next = next_link(&r).unwrap();
    assert!(
        next.contains("search=profile.department%20eq%20%22Engineering%22"),
        "{next}"
    );
    let (all, _) = sim
        .collect_all(&format!("/api/v1/users?search={enc}&limit=2"))
        .await;
    assert!(all.len() >= 4);
    assert!(
        all.iter()
            .all(|u| u["profile"]["department"] == "Engineering")
    );
}

#[tokio::test]
async fn cursor_survives_deletion() {
    let sim = start_seeded(6).await;
    let r = sim.get("/api/v1/users?limit=3").await;
    let next = next_link(&r).unwrap();
    let first: Vec<Value> = r.json().await.unwrap();
    let last = first[2]["id"].as_str().unwrap();
    // Delete the cursor user (two steps) before following the link.
    sim.delete(&format!("/api/v1/users/{last}")).await;
    sim.delete(&format!("/api/v1/users/{last}")).await;
    let r = sim.get(&next).await;
    let second: Vec<Value> = r.json().await.unwrap();
    assert_eq!(second.len(), 3);
    assert!(
        second
            .iter()
            .all(|u| first.iter().all(|f| f["id"] != u["id"]))
    );
}

#[tokio::test]
async fn sorted_search_pages() {
    let sim = start_seeded(12).await;
    let (all, pages) = sim
        .collect_all(
            "/api/v1/users?search=status%20pr&sortBy=profile.lastName&sortOrder=desc&limit=5",
        )
        .await;
    assert_eq!(pages, 3);
    let names: Vec<String> = all
        .iter()
        .map(|u| u["profile"]["lastName"].as_str().unwrap().to_lowercase())
        .collect();
    let mut sorted = names.clone();
    sorted.sort();
    sorted.reverse();
    assert_eq!(names, sorted);
}

#[tokio::test]
async fn deprovisioned_hidden_from_plain_list() {
    let sim = start_default().await;
    let u = sim
        .create_user("gone@example.com", "Gone", "Soon", "", None)
        .await;
    sim.create_user("here@example.com", "Here", "Still", "", None)
        .await;
    sim.post(
        &format!(
            "/api/v1/users/{}/lifecycle/deactivate",
            u["id"].as_str().unwrap()
        ),
        serde_json::json!({}),
    )
    .await;
    let all = sim.get_json("/api/v1/users").await;
    assert_eq!(all.as_array().unwrap().len(), 1);
    let dep = sim
        .get_json("/api/v1/users?filter=status%20eq%20%22DEPROVISIONED%22")
        .await;
    assert_eq!(dep.as_array().unwrap().len(), 1);
}
