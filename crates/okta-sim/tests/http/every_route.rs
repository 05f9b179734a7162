//! Every operation in the route table answers: no 5xx, no 405, a JSON body (or none for 204), the standard
//! headers — so every generated command can be exercised against the simulator.

use crate::common::*;
use reqwest::Method;

use okta_sim::routes::RouteTable;

#[tokio::test]
async fn every_facts_operation_answers() {
    let sim = start_seeded(3).await;
    let user = sim.get_json("/api/v1/users?limit=1").await[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let group = sim.get_json("/api/v1/groups?q=Eng").await[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let app = sim.get_json("/api/v1/apps?limit=1").await[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let mut count = 0;
    let mut statuses = std::collections::BTreeMap::<u16, usize>::new();
    // The simulator's own table (whatever file it is generated into, plus the legacy operations).
    for r in &RouteTable::global().routes {
        let (method, template, op) = (
            r.method.as_str(),
            r.template.as_str(),
            r.operation_id.as_str(),
        );
        // Fill path parameters: real ids for users, groups and apps, a placeholder elsewhere.
        let mut path = String::new();
        let mut prev = "";
        for seg in template.trim_start_matches('/').split('/') {
            path.push('/');
            if seg.starts_with('{') {
                let v = match prev {
                    "users" => user.as_str(),
                    "groups" => group.as_str(),
                    "apps" => app.as_str(),
                    _ => "sim-id-1",
                };
                path.push_str(v);
            } else {
                path.push_str(seg);
            }
            prev = seg;
        }
        let m = Method::from_bytes(method.as_bytes()).unwrap();
        let body = if matches!(method, "POST" | "PUT" | "PATCH") {
            Some(serde_json::json!({}))
        } else {
            None
        };
        let r = sim.call(m, &path, body).await;
        let st = r.status().as_u16();
        *statuses.entry(st).or_default() += 1;
        assert!(
            st < 500 && st != 405,
            "{method} {path} ({op}) → {st}: {}",
            r.text().await.unwrap()
        );
        assert!(
            header(&r, "date").is_some() && header(&r, "x-okta-request-id").is_some(),
            "{op}"
        );
        if st != 204 {
            let ct = header(&r, "content-type").unwrap_or_default();
            let text = r.text().await.unwrap();
            if ct == "application/json" {
                serde_json::from_str::<serde_json::Value>(&text)
                    .unwrap_or_else(|e| panic!("{op}: {e}: {text}"));
            }
        }
        count += 1;
    }
    assert!(count > 700, "{count}");
    eprintln!("statuses over {count} operations: {statuses:?}");
    // Most operations succeed; the rest are Okta-shaped 4xx.
    let ok: usize = statuses
        .iter()
        .filter(|(s, _)| **s < 300)
        .map(|(_, n)| n)
        .sum();
    assert!(ok * 10 > count * 6, "{statuses:?}");
}
