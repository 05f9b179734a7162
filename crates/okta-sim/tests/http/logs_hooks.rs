//! System log (events for changes, polling with next links, since/until/filter/q/sortOrder) and event hooks
//! (CRUD, lifecycle, verification against a real local endpoint).


use crate::common::*;
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[tokio::test]
async fn log_events_and_polling() {
    let sim = start_default().await;
    let r = sim.get("/api/v1/logs").await;
    let first_next = next_link(&r).expect("next link even when empty");
    assert_eq!(r.json::<Value>().await.unwrap(), json!([]));
    let u = sim
        .create_user("log@example.com", "L", "G", "", Some("Passw0rd!x"))
        .await;
    let uid = u["id"].as_str().unwrap();
    sim.post(&format!("/api/v1/users/{uid}/lifecycle/suspend"), json!({}))
        .await;
    sim.post(
        &format!("/api/v1/users/{uid}"),
        json!({"profile": {"nickName": "x"}}),
    )
    .await;

    let r = sim.get(&first_next).await;
    let next = next_link(&r).unwrap();
    let events: Vec<Value> = r.json().await.unwrap();
    let types: Vec<&str> = events
        .iter()
        .map(|e| e["eventType"].as_str().unwrap())
        .collect();
    assert_eq!(
        types,
        [
            "user.lifecycle.create",
            "user.lifecycle.activate",
            "user.lifecycle.suspend",
            "user.account.update_profile"
        ]
    );
    let e = &events[2];
    assert_eq!(e["target"][0]["id"], uid);
    assert_eq!(e["outcome"]["result"], "SUCCESS");
    assert!(
        e["uuid"].as_str().unwrap().len() == 36 && e["published"].as_str().unwrap().ends_with('Z')
    );
    // Caught up: an empty page that still has a next link.
    let r = sim.get(&next).await;
    assert!(next_link(&r).is_some());
    assert_eq!(r.json::<Value>().await.unwrap(), json!([]));
    // New events show up on the same cursor.
    sim.post(
        &format!("/api/v1/users/{uid}/lifecycle/unsuspend"),
        json!({}),
    )
    .await;
    let page: Vec<Value> = sim.get(&next).await.json().await.unwrap();
    assert_eq!(page.len(), 1);
    assert_eq!(page[0]["eventType"], "user.lifecycle.unsuspend");

    let f = sim
        .get_json("/api/v1/logs?filter=eventType+eq+%22user.lifecycle.suspend%22")
        .await;
    assert_eq!(f.as_array().unwrap().len(), 1);
    let f = sim
        .get_json(&format!(
            "/api/v1/logs?filter=target.id+eq+%22{uid}%22+and+eventType+sw+%22user.account%22"
        ))
        .await;
    assert_eq!(f.as_array().unwrap().len(), 1);
    let q = sim.get_json("/api/v1/logs?q=unsuspend").await;
    assert_eq!(q.as_array().unwrap().len(), 1);
    let desc = sim
        .get_json("/api/v1/logs?sortOrder=DESCENDING&limit=2")
        .await;
    assert_eq!(desc[0]["eventType"], "user.lifecycle.unsuspend");
    let future = sim
        .get_json("/api/v1/logs?since=2999-01-01T00:00:00Z")
        .await;
    assert_eq!(future, json!([]));
    let past = sim
        .get_json("/api/v1/logs?since=2000-01-01T00:00:00Z&until=2000-01-02T00:00:00Z")
        .await;
    assert_eq!(past, json!([]));
    assert_okta_error(
        sim.get("/api/v1/logs?since=yesterday").await,
        400,
        "E0000001",
    )
    .await;
    assert_okta_error(
        sim.get("/api/v1/logs?filter=eventType+eq").await,
        400,
        "E0000031",
    )
    .await;
    let r = sim.get("/api/v1/logs?limit=2").await;
    assert!(next_link(&r).unwrap().contains("limit=2"));
    assert_eq!(
        r.json::<Value>().await.unwrap().as_array().unwrap().len(),
        2
    );
}

/// A hook endpoint: answers the verification challenge (or not); sends every request it gets to `seen`.
async fn hook_server(answer: bool) -> String {
    hook_server_seen(answer).await.0
}

async fn hook_server_seen(answer: bool) -> (String, tokio::sync::mpsc::UnboundedReceiver<String>) {
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let Ok((mut s, _)) = listener.accept().await else {
                return;
            };
            let mut buf = vec![0u8; 8192];
            let n = s.read(&mut buf).await.unwrap_or(0);
            let mut req = String::from_utf8_lossy(&buf[..n]).to_string();
            // Read the rest of a body announced by content-length.
            if let Some(len) = req.lines().find_map(|l| {
                l.to_ascii_lowercase()
                    .strip_prefix("content-length:")
                    .map(|v| v.trim().parse::<usize>().unwrap_or(0))
            }) {
                while req
                    .split_once("\r\n\r\n")
                    .map(|(_, b)| b.len())
                    .unwrap_or(0)
                    < len
                {
                    let m = s.read(&mut buf).await.unwrap_or(0);
                    if m == 0 {
                        break;
                    }
                    req.push_str(&String::from_utf8_lossy(&buf[..m]));
                }
            }
            let _ = tx.send(req.clone());
            let challenge = req
                .lines()
                .find_map(|l| {
                    l.to_ascii_lowercase()
                        .starts_with("x-okta-verification-challenge:")
                        .then(|| l.split_once(':').unwrap().1.trim().to_string())
                })
                .unwrap_or_default();
            let body = if answer {
                json!({"verification": challenge}).to_string()
            } else {
                "{}".to_string()
            };
            let resp = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = s.write_all(resp.as_bytes()).await;
        }
    });
    (format!("http://{addr}/hook"), rx)
}

#[tokio::test]
async fn event_hooks() {
    let sim = start_default().await;
    let (good, mut seen) = hook_server_seen(true).await;
    let bad = hook_server(false).await;
    let mk = |uri: &str| json!({"name": "Hook", "events": {"type": "EVENT_TYPE", "items": ["user.lifecycle.create"]}, "channel": {"type": "HTTP", "version": "1.0.0", "config": {"uri": uri, "headers": [{"key": "X-Test", "value": "1"}], "authScheme": {"type": "HEADER", "key": "Authorization", "value": "secret"}}}});
    let r = sim.post("/api/v1/eventHooks", mk(&good)).await;
    let h: Value = r.json().await.unwrap();
    let hid = h["id"].as_str().unwrap();
    assert!(hid.starts_with("who"));
    assert_eq!(h["status"], "ACTIVE");
    assert_eq!(h["verificationStatus"], "UNVERIFIED");
    let r = sim
        .post(
            &format!("/api/v1/eventHooks/{hid}/lifecycle/verify"),
            json!({}),
        )
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(
        r.json::<Value>().await.unwrap()["verificationStatus"],
        "VERIFIED"
    );
    let verification = seen.recv().await.unwrap();
    assert!(verification.starts_with("GET /hook"), "{verification}");
    assert!(
        verification.to_ascii_lowercase().contains("x-test: 1") && verification.contains("secret")
    );
    // A subscribed event is delivered to the verified hook.
    sim.create_user("hooked@example.com", "H", "K", "", None)
        .await;
    let delivery = tokio::time::timeout(std::time::Duration::from_secs(5), seen.recv())
        .await
        .unwrap()
        .unwrap();
    assert!(delivery.starts_with("POST /hook"), "{delivery}");
    let body: Value = serde_json::from_str(delivery.split_once("\r\n\r\n").unwrap().1).unwrap();
    assert_eq!(
        body["data"]["events"][0]["eventType"],
        "user.lifecycle.create"
    );
    assert_eq!(
        body["data"]["events"][0]["target"][0]["alternateId"],
        "hooked@example.com"
    );
    let r = sim.post("/api/v1/eventHooks", mk(&bad)).await;
    let h2: Value = r.json().await.unwrap();
    let r = sim
        .post(
            &format!(
                "/api/v1/eventHooks/{}/lifecycle/verify",
                h2["id"].as_str().unwrap()
            ),
            json!({}),
        )
        .await;
    assert_okta_error(r, 400, "E0000001").await;
    assert_eq!(
        sim.get_json("/api/v1/eventHooks")
            .await
            .as_array()
            .unwrap()
            .len(),
        2
    );
    assert_okta_error(
        sim.delete(&format!("/api/v1/eventHooks/{hid}")).await,
        400,
        "E0000001",
    )
    .await;
    let r = sim
        .post(
            &format!("/api/v1/eventHooks/{hid}/lifecycle/deactivate"),
            json!({}),
        )
        .await;
    assert_eq!(r.json::<Value>().await.unwrap()["status"], "INACTIVE");
    assert_eq!(
        sim.delete(&format!("/api/v1/eventHooks/{hid}"))
            .await
            .status(),
        204
    );
    assert_okta_error(
        sim.get(&format!("/api/v1/eventHooks/{hid}")).await,
        404,
        "E0000007",
    )
    .await;
    assert_okta_error(
        sim.post("/api/v1/eventHooks", json!({"name": "x"})).await,
        400,
        "E0000001",
    )
    .await;
}
