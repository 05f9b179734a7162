//! State file: round trip through shutdown and restart, atomic saves, crash safety (SIGKILL), SIGTERM.


use crate::common::*;
use okta_sim::SimOptions;
use serde_json::Value;
use std::path::Path;
use std::process::{Child, Command};
use std::time::{Duration, Instant};

fn opts(path: &Path) -> SimOptions {
    SimOptions {
        token: Some("test-token".into()),
        state_file: Some(path.to_path_buf()),
        ..Default::default()
    }
}

#[tokio::test]
async fn round_trip_in_process() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("org.json");
    let sim = start(SimOptions {
        seed: Some(1),
        seed_users: 5,
        ..opts(&file)
    })
    .await;
    let u = sim
        .create_user("keep@example.com", "Keep", "Me", "", None)
        .await;
    let g: Value = sim
        .post(
            "/api/v1/groups",
            serde_json::json!({"profile": {"name": "Kept"}}),
        )
        .await
        .json()
        .await
        .unwrap();
    sim.call(
        reqwest::Method::PUT,
        &format!(
            "/api/v1/groups/{}/users/{}",
            g["id"].as_str().unwrap(),
            u["id"].as_str().unwrap()
        ),
        None,
    )
    .await;
    sim.post(
        "/api/v1/trustedOrigins",
        serde_json::json!({"name": "o", "origin": "https://o.example.com"}),
    )
    .await;
    sim.handle.shutdown().await;
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("keep@example.com"));

    // Seed again: a loaded state is not re-seeded.
    let sim = start(SimOptions {
        seed: Some(1),
        seed_users: 5,
        ..opts(&file)
    })
    .await;
    let users = sim.get_json("/api/v1/users").await;
    assert_eq!(users.as_array().unwrap().len(), 6);
    let got = sim.get_json("/api/v1/users/keep@example.com").await;
    assert_eq!(got["id"], u["id"]);
    assert_eq!(got["created"], u["created"]);
    let members = sim
        .get_json(&format!(
            "/api/v1/groups/{}/users",
            g["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(members[0]["id"], u["id"]);
    assert_eq!(
        sim.get_json("/api/v1/trustedOrigins")
            .await
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let logs = sim.get_json("/api/v1/logs").await;
    assert!(
        logs.as_array()
            .unwrap()
            .iter()
            .any(|e| e["eventType"] == "user.lifecycle.create")
    );
}

#[tokio::test]
async fn corrupt_state_file_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bad.json");
    std::fs::write(&file, "{ this is not json").unwrap();
    assert!(okta_sim::Simulator::start(opts(&file)).await.is_err());
}

fn spawn(file: &Path) -> (Child, String) {
    let (child, first_line) = spawn_binary(&[
        "--port".as_ref(),
        "0".as_ref(),
        "--token".as_ref(),
        "tok".as_ref(),
        "--state".as_ref(),
        file.as_os_str(),
    ]);
    (child, first_line["url"].as_str().unwrap().to_string())
}

async fn create_async(url: &str, login: &str) {
    let body = serde_json::json!({"profile": {"login": login, "email": login, "firstName": "C", "lastName": "R"}});
    let r = reqwest::Client::new()
        .post(format!("{url}/api/v1/users"))
        .header("Authorization", "SSWS tok")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
}

fn wait_for(file: &Path, needle: &str) {
    let t = Instant::now();
    while t.elapsed() < Duration::from_secs(5) {
        if std::fs::read_to_string(file).is_ok_and(|s| s.contains(needle)) {
            return;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    panic!("{needle} never saved to {}", file.display());
}

#[tokio::test]
async fn crash_safety_sigkill() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("crash.json");
    let (mut child, url) = spawn(&file);
    for i in 0..20 {
        create_async(&url, &format!("c{i}@example.com")).await;
    }
    wait_for(&file, "c19@example.com");
    child.kill().unwrap(); // SIGKILL: no chance to save
    child.wait().unwrap();
    // The file is a complete JSON document.
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap())
        .expect("state file is whole");
    assert_eq!(v["users"].as_object().unwrap().len(), 20);
    let (mut child, url) = spawn(&file);
    let r = reqwest::Client::new()
        .get(format!("{url}/api/v1/users/c7@example.com"))
        .header("Authorization", "SSWS tok")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    child.kill().unwrap();
    child.wait().unwrap();
}

#[tokio::test]
async fn sigterm_saves_and_exits_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("term.json");
    let (mut child, url) = spawn(&file);
    create_async(&url, "term@example.com").await;
    let st = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(st.success());
    let t = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        assert!(
            t.elapsed() < Duration::from_secs(5),
            "did not exit on SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success(), "{status:?}");
    assert!(
        std::fs::read_to_string(&file)
            .unwrap()
            .contains("term@example.com")
    );
}

#[tokio::test]
async fn a_state_file_out_of_creation_order_still_pages_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("org.json");
    let sim = start(SimOptions {
        seed: Some(3),
        seed_users: 12,
        ..opts(&file)
    })
    .await;
    let ids = |users: Vec<Value>| -> Vec<String> {
        users.iter().map(|u| u["id"].as_str().unwrap().to_string()).collect()
    };
    let before = ids(sim.collect_all("/api/v1/users?limit=5").await.0);
    sim.handle.shutdown().await;
    // Reverse the stored users, as a hand-edited file might have them.
    let mut org: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let users = org["users"].as_object().unwrap();
    let reversed: serde_json::Map<String, Value> =
        users.iter().rev().map(|(k, v)| (k.clone(), v.clone())).collect();
    org["users"] = Value::Object(reversed);
    std::fs::write(&file, serde_json::to_string(&org).unwrap()).unwrap();
    let sim = start(opts(&file)).await;
    let (after, pages) = sim.collect_all("/api/v1/users?limit=5").await;
    assert_eq!(pages, 3);
    // The same users in the same (creation) order: the base URL differs, so ids are compared.
    assert_eq!(ids(after), before);
    sim.handle.shutdown().await;
}
