//! Helpers shared by the integration tests: start a simulator in-process, call it over real HTTP.
#![allow(dead_code)]

pub mod jose;

use okta_sim::{SimHandle, SimOptions, Simulator};
use reqwest::{Client, Method, Response};
use serde_json::Value;

pub struct Sim {
    pub handle: SimHandle,
    pub client: Client,
}

pub async fn start(opts: SimOptions) -> Sim {
    let handle = Simulator::start(opts).await.expect("simulator starts");
    let client = Client::builder().no_proxy().build().unwrap();
    Sim { handle, client }
}

pub async fn start_default() -> Sim {
    start(SimOptions {
        token: Some("test-token".into()),
        ..Default::default()
    })
    .await
}

pub async fn start_seeded(n: usize) -> Sim {
    start(SimOptions {
        token: Some("test-token".into()),
        seed: Some(42),
        seed_users: n,
        ..Default::default()
    })
    .await
}

impl Sim {
    pub fn url(&self, path: &str) -> String {
        if path.starts_with("http") {
            path.to_string()
        } else {
            format!("{}{}", self.handle.url(), path)
        }
    }

    pub async fn call(&self, method: Method, path: &str, body: Option<Value>) -> Response {
        let mut r = self
            .client
            .request(method, self.url(path))
            .header("Authorization", format!("SSWS {}", self.handle.token()));
        if let Some(b) = body {
            r = r.json(&b);
        }
        r.send().await.expect("request")
    }

    pub async fn get(&self, path: &str) -> Response {
        self.call(Method::GET, path, None).await
    }
    pub async fn post(&self, path: &str, body: Value) -> Response {
        self.call(Method::POST, path, Some(body)).await
    }
    pub async fn put(&self, path: &str, body: Value) -> Response {
        self.call(Method::PUT, path, Some(body)).await
    }
    pub async fn delete(&self, path: &str) -> Response {
        self.call(Method::DELETE, path, None).await
    }

    /// GET, asserting the status, returning the JSON body.
    pub async fn get_json(&self, path: &str) -> Value {
        let r = self.get(path).await;
        let st = r.status();
        let body: Value = r.json().await.expect("json body");
        assert_eq!(st, 200, "GET {path} → {st}: {body}");
        body
    }

    pub async fn create_user(
        &self,
        login: &str,
        first: &str,
        last: &str,
        query: &str,
        password: Option<&str>,
    ) -> Value {
        let mut body = serde_json::json!({"profile": {"login": login, "email": login, "firstName": first, "lastName": last}});
        if let Some(p) = password {
            body["credentials"] = serde_json::json!({"password": {"value": p}});
        }
        let r = self.post(&format!("/api/v1/users{query}"), body).await;
        let st = r.status();
        let v: Value = r.json().await.unwrap();
        assert_eq!(st, 200, "create user {login}: {v}");
        v
    }

    /// Follows rel="next" links from `path`, returning every item and the number of pages.
    pub async fn collect_all(&self, path: &str) -> (Vec<Value>, usize) {
        let mut url = self.url(path);
        let mut items = Vec::new();
        let mut pages = 0;
        loop {
            let r = self.get(&url).await;
            assert_eq!(r.status(), 200);
            let next = next_link(&r);
            let page: Vec<Value> = r.json().await.unwrap();
            pages += 1;
            items.extend(page);
            match next {
                Some(n) => url = n,
                None => break,
            }
            assert!(pages < 1000, "runaway paging");
        }
        (items, pages)
    }
}

/// All `Link` header values.
pub fn links(r: &Response) -> Vec<String> {
    r.headers()
        .get_all("link")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .collect()
}

/// The URL of a `rel="next"` link, if any.
pub fn next_link(r: &Response) -> Option<String> {
    links(r)
        .into_iter()
        .find(|l| l.ends_with("rel=\"next\""))
        .map(|l| l[1..l.find('>').unwrap()].to_string())
}

pub fn header(r: &Response, name: &str) -> Option<String> {
    r.headers()
        .get(name)
        .map(|v| v.to_str().unwrap().to_string())
}

/// Asserts an Okta error body and returns it.
pub async fn assert_okta_error(r: Response, status: u16, code: &str) -> Value {
    let st = r.status().as_u16();
    let body: Value = r.json().await.expect("error body is JSON");
    assert_eq!(st, status, "status; body {body}");
    assert_eq!(body["errorCode"], code, "{body}");
    assert_eq!(body["errorLink"], code, "{body}");
    assert!(
        body["errorSummary"].as_str().is_some_and(|s| !s.is_empty()),
        "{body}"
    );
    assert!(
        body["errorId"]
            .as_str()
            .is_some_and(|s| s.starts_with("oae")),
        "{body}"
    );
    assert!(body["errorCauses"].is_array(), "{body}");
    body
}

/// Starts the okta-sim binary with `args` and returns it with its first stdout line (the
/// `{url, token}` contract) parsed.
pub fn spawn_binary<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> (std::process::Child, Value) {
    use std::io::BufRead;
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_okta-sim"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let first_line: Value = serde_json::from_str(line.trim_end())
        .unwrap_or_else(|e| panic!("first line {line:?}: {e}"));
    (child, first_line)
}
