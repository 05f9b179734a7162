//! The CLI contract: the first stdout line is one JSON object {url, token}; --token, --seed, --rate-limit;
//! --exit-on-stdin-close; --https with a generated CA.

use crate::common::spawn_binary;
use serde_json::Value;
use std::process::{Child, Command};
use std::time::{Duration, Instant};

fn wait_exit(child: &mut Child, within: Duration) -> bool {
    let t = Instant::now();
    while t.elapsed() < within {
        if child.try_wait().unwrap().is_some() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    false
}

#[tokio::test]
async fn first_line_contract_and_flags() {
    let (mut child, v) = spawn_binary(&[
        "--port",
        "0",
        "--seed",
        "30",
        "--token",
        "cli-token",
        "--rate-limit",
        "users=600/60s",
    ]);
    let obj = v.as_object().unwrap();
    assert_eq!(obj.len(), 2, "{v}");
    assert_eq!(v["token"], "cli-token");
    let url = v["url"].as_str().unwrap();
    assert!(
        url.starts_with("http://127.0.0.1:") && !url.ends_with(":0"),
        "{url}"
    );
    let r = reqwest::Client::new()
        .get(format!("{url}/api/v1/users"))
        .header("Authorization", "SSWScli-token")
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["x-rate-limit-limit"], "600");
    let users: Vec<Value> = r.json().await.unwrap();
    assert_eq!(users.len(), 30);
    child.kill().unwrap();
    child.wait().unwrap();
}

#[tokio::test]
async fn random_token_by_default_and_same_seed_same_ids() {
    let (mut a, va) = spawn_binary(&["--seed", "3"]);
    let (mut b, vb) = spawn_binary(&["--seed", "3"]);
    let ta = va["token"].as_str().unwrap();
    assert!(ta.len() >= 40);
    assert_ne!(ta, vb["token"].as_str().unwrap());
    let ids = |v: &Value| {
        let url = v["url"].as_str().unwrap().to_string();
        let tok = v["token"].as_str().unwrap().to_string();
        async move {
            let users: Vec<Value> = reqwest::Client::new()
                .get(format!("{url}/api/v1/users"))
                .header("Authorization", format!("SSWS {tok}"))
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            users
                .iter()
                .map(|u| u["id"].as_str().unwrap().to_string())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(ids(&va).await, ids(&vb).await, "deterministic demo data");
    a.kill().unwrap();
    b.kill().unwrap();
    a.wait().unwrap();
    b.wait().unwrap();
}

#[test]
fn exits_when_stdin_closes() {
    let (mut child, _) = spawn_binary(&["--exit-on-stdin-close"]);
    drop(child.stdin.take());
    assert!(
        wait_exit(&mut child, Duration::from_secs(5)),
        "still running after stdin closed"
    );
    // Without the flag, closing stdin does not stop it.
    let (mut child, _) = spawn_binary::<&str>(&[]);
    drop(child.stdin.take());
    assert!(!wait_exit(&mut child, Duration::from_millis(300)));
    child.kill().unwrap();
    child.wait().unwrap();
}

#[test]
fn bad_flags_fail_fast() {
    let out = Command::new(env!("CARGO_BIN_EXE_okta-sim"))
        .args(["--rate-limit", "users"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("BUCKET"));
}

#[tokio::test]
async fn https_mode_with_generated_ca() {
    let dir = tempfile::tempdir().unwrap();
    let (mut child, v) = spawn_binary(&[
        "--https",
        "--tls-dir",
        dir.path().to_str().unwrap(),
        "--token",
        "t",
    ]);
    let url = v["url"].as_str().unwrap();
    assert!(url.starts_with("https://127.0.0.1:"), "{url}");
    let ca_file = v["caCertFile"].as_str().unwrap();
    let pem = std::fs::read(ca_file).unwrap();
    let ca = reqwest::Certificate::from_pem(&pem).unwrap();
    let client = reqwest::Client::builder()
        .add_root_certificate(ca)
        .build()
        .unwrap();
    let r = client
        .get(format!("{url}/api/v1/users"))
        .header("Authorization", "SSWS t")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    // Without trusting the CA the handshake fails.
    assert!(
        reqwest::Client::new()
            .get(format!("{url}/api/v1/users"))
            .send()
            .await
            .is_err()
    );
    child.kill().unwrap();
    child.wait().unwrap();
}
