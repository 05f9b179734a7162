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

/// The ids of a list walked page by page.
async fn walk_ids(sim: &Sim, path: &str) -> Vec<String> {
    let (all, _) = sim.collect_all(path).await;
    all.iter().map(|u| u["id"].as_str().unwrap().to_string()).collect()
}

#[tokio::test]
async fn cursors_seek_correctly_across_deletions_and_new_users() {
    let sim = start_seeded(40).await;
    let everyone: Vec<String> = walk_ids(&sim, "/api/v1/users?limit=200").await;
    assert_eq!(everyone.len(), 40);
    // Small pages see the same users in the same (creation) order as one big page.
    assert_eq!(walk_ids(&sim, "/api/v1/users?limit=7").await, everyone);

    // Hold a cursor in the middle, then change the org under it.
    let r = sim.get(&format!("/api/v1/users?limit=10&after={}", everyone[9])).await;
    let next = next_link(&r).unwrap();
    let page: Vec<Value> = r.json().await.unwrap();
    let ids: Vec<&str> = page.iter().map(|u| u["id"].as_str().unwrap()).collect();
    assert_eq!(ids, everyone[10..20].iter().map(String::as_str).collect::<Vec<_>>());
    let cursor = &everyone[19];
    assert!(next.contains(&format!("after={cursor}")), "{next}");
    for gone in [cursor, &everyone[20], &everyone[25]] {
        // Two DELETEs: deactivate, then remove.
        assert_eq!(sim.delete(&format!("/api/v1/users/{gone}")).await.status(), 204);
        assert_eq!(sim.delete(&format!("/api/v1/users/{gone}")).await.status(), 204);
    }
    // Deactivated but kept: no longer in a plain list.
    let hidden = &everyone[30];
    sim.post(&format!("/api/v1/users/{hidden}/lifecycle/deactivate"), serde_json::json!({}))
        .await;
    let late_a = sim.create_user("late.a@example.com", "Late", "A", "", None).await;
    let late_b = sim.create_user("late.b@example.com", "Late", "B", "", None).await;

    // Following the held link: the rest after the (deleted) cursor, then the users created since.
    let (rest, _) = sim.collect_all(&next).await;
    let rest: Vec<&str> = rest.iter().map(|u| u["id"].as_str().unwrap()).collect();
    let mut expected: Vec<&str> = everyone[21..]
        .iter()
        .map(String::as_str)
        .filter(|id| *id != everyone[25] && *id != hidden)
        .collect();
    expected.push(late_a["id"].as_str().unwrap());
    expected.push(late_b["id"].as_str().unwrap());
    assert_eq!(rest, expected);

    // A cursor naming a user created after seeding, and one naming the very last user.
    let after_a = walk_ids(&sim, &format!("/api/v1/users?limit=3&after={}", late_a["id"].as_str().unwrap())).await;
    assert_eq!(after_a, vec![late_b["id"].as_str().unwrap().to_string()]);
    let r = sim.get(&format!("/api/v1/users?after={}", late_b["id"].as_str().unwrap())).await;
    assert!(next_link(&r).is_none());
    assert_eq!(r.json::<Vec<Value>>().await.unwrap().len(), 0);
    // An unknown cursor is still a 400.
    let r = sim.get("/api/v1/users?after=00unosuchuser0000000").await;
    assert_okta_error(r, 400, "E0000001").await;
}

#[tokio::test]
async fn unsorted_search_pages_stop_early_but_see_every_hit() {
    let sim = start_seeded(60).await;
    let full = sim.get_json("/api/v1/users?limit=200").await;
    let active: Vec<String> = full
        .as_array()
        .unwrap()
        .iter()
        .filter(|u| u["status"] == "ACTIVE")
        .map(|u| u["id"].as_str().unwrap().to_string())
        .collect();
    assert!(active.len() > 30);
    let path = "/api/v1/users?limit=4&search=status%20eq%20%22ACTIVE%22";
    let (all, pages) = sim.collect_all(path).await;
    let ids: Vec<String> = all.iter().map(|u| u["id"].as_str().unwrap().to_string()).collect();
    assert_eq!(ids, active);
    assert_eq!(pages, active.len().div_ceil(4));
}

#[tokio::test]
async fn everyone_members_page_by_cursor() {
    let sim = start_seeded(30).await;
    let everyone_group = sim.get_json("/api/v1/groups?q=Everyone").await[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let all = walk_ids(&sim, "/api/v1/users?limit=200").await;
    let members = format!("/api/v1/groups/{everyone_group}/users");
    assert_eq!(walk_ids(&sim, &format!("{members}?limit=7")).await, all);
    // Exact multiple: the last full page has no next link.
    let (_, pages) = sim.collect_all(&format!("{members}?limit=10")).await;
    assert_eq!(pages, 3);
    // Deactivated users stay members of Everyone; a deleted cursor still resolves.
    let (gone, kept) = (&all[4], &all[5]);
    sim.delete(&format!("/api/v1/users/{kept}")).await;
    sim.delete(&format!("/api/v1/users/{gone}")).await;
    sim.delete(&format!("/api/v1/users/{gone}")).await;
    let after_gone = walk_ids(&sim, &format!("{members}?limit=7&after={gone}")).await;
    assert_eq!(after_gone, all[5..].to_vec());
}

#[tokio::test]
async fn list_items_match_single_gets_after_changes() {
    let sim = start_seeded(5).await;
    let ids = walk_ids(&sim, "/api/v1/users").await;
    let (a, b, c) = (&ids[0], &ids[1], &ids[2]);
    sim.post(
        &format!("/api/v1/users/{a}"),
        serde_json::json!({"profile": {"nickName": "Countess \"Ada\"", "department": "Poetry"}}),
    )
    .await;
    sim.post(&format!("/api/v1/users/{b}/lifecycle/suspend"), serde_json::json!({})).await;
    let r = sim
        .post(
            &format!("/api/v1/users/{c}/credentials/change_recovery_question"),
            serde_json::json!({"password": {"value": "x"}, "recovery_question": {"question": "Q?", "answer": "a"}}),
        )
        .await;
    assert_eq!(r.status(), 200);
    let list = sim.get_json("/api/v1/users").await;
    for item in list.as_array().unwrap() {
        let one = sim.get_json(&format!("/api/v1/users/{}", item["id"].as_str().unwrap())).await;
        assert_eq!(item, &one);
    }
    let list = list.as_array().unwrap();
    assert_eq!(list[0]["profile"]["nickName"], "Countess \"Ada\"");
    assert_eq!(list[1]["status"], "SUSPENDED");
    assert!(list[1]["_links"]["unsuspend"]["href"].as_str().unwrap().ends_with("/lifecycle/unsuspend"));
    assert_eq!(list[2]["credentials"]["recovery_question"]["question"], "Q?");
}
