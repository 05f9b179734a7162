//! Authorization code + PKCE: the simulated user signs in at once; codes are single use, bound to the client, the
//! authorization server and the redirect_uri; the verifier's S256 must be the challenge.

use serde_json::{Value, json};

use crate::common::jose::*;
use crate::common::*;

fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// GET /authorize; the 302's Location parsed into (base, query pairs), or the status and body.
async fn authorize(
    sim: &Sim,
    path: &str,
    params: &[(&str, &str)],
) -> Result<(String, Vec<(String, String)>), (u16, Value)> {
    let r = no_redirects()
        .get(sim.url(path))
        .query(params)
        .send()
        .await
        .unwrap();
    if r.status().as_u16() != 302 {
        let st = r.status().as_u16();
        return Err((st, r.json().await.unwrap_or(Value::Null)));
    }
    let loc = url::Url::parse(&header(&r, "location").unwrap()).unwrap();
    let base = format!(
        "{}://{}{}",
        loc.scheme(),
        loc.host_str().unwrap(),
        loc.path()
    );
    let base = match loc.port() {
        Some(p) => base.replacen(
            loc.host_str().unwrap(),
            &format!("{}:{p}", loc.host_str().unwrap()),
            1,
        ),
        None => base,
    };
    Ok((
        base,
        loc.query_pairs()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect(),
    ))
}

fn get<'a>(q: &'a [(String, String)], k: &str) -> Option<&'a str> {
    q.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str())
}

const REDIRECT: &str = "http://127.0.0.1:53682/callback";

async fn redeem(
    sim: &Sim,
    path: &str,
    code: &str,
    redirect: &str,
    verifier: &str,
    cid: &str,
) -> Answer {
    post_form(
        sim,
        path,
        &[
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", redirect),
            ("code_verifier", verifier),
            ("client_id", cid),
        ],
        None,
        None,
    )
    .await
}

#[tokio::test]
async fn code_with_pkce_for_a_quick_start_client() {
    let sim = start_default().await;
    let (verifier, challenge) = pkce();
    let cid = "0oanative";
    let params = [
        ("response_type", "code"),
        ("client_id", cid),
        ("redirect_uri", REDIRECT),
        ("scope", "openid okta.users.read offline_access"),
        ("state", "st-1"),
        ("code_challenge", challenge.as_str()),
        ("code_challenge_method", "S256"),
    ];
    let (base, q) = authorize(&sim, "/oauth2/v1/authorize", &params)
        .await
        .unwrap();
    assert_eq!(base, REDIRECT);
    assert_eq!(get(&q, "state"), Some("st-1"));
    let code = get(&q, "code").unwrap().to_string();
    let t = redeem(&sim, "/oauth2/v1/token", &code, REDIRECT, &verifier, cid).await;
    assert_eq!(t.status, 200, "{}", t.body);
    assert!(t.body["refresh_token"].is_string() && t.body["id_token"].is_string());
    let at = t.body["access_token"].as_str().unwrap();
    let r = sim
        .client
        .get(sim.url("/api/v1/users"))
        .header("Authorization", format!("Bearer {at}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    // Single use.
    assert_eq!(
        redeem(&sim, "/oauth2/v1/token", &code, REDIRECT, &verifier, cid)
            .await
            .error(),
        "invalid_grant"
    );

    // A wrong verifier, another redirect_uri, another client, another server: invalid_grant.
    let fresh = |extra: &'static str| {
        let sim = &sim;
        let challenge = challenge.clone();
        async move {
            let state = format!("s{extra}");
            let p = [
                ("response_type", "code"),
                ("client_id", cid),
                ("redirect_uri", REDIRECT),
                ("scope", "okta.users.read"),
                ("state", state.as_str()),
                ("code_challenge", challenge.as_str()),
                ("code_challenge_method", "S256"),
            ];
            let (_, q) = authorize(sim, "/oauth2/v1/authorize", &p).await.unwrap();
            get(&q, "code").unwrap().to_string()
        }
    };
    let (other_verifier, _) = pkce();
    let c = fresh("a").await;
    let r = redeem(&sim, "/oauth2/v1/token", &c, REDIRECT, &other_verifier, cid).await;
    assert_eq!((r.status, r.error()), (400, "invalid_grant"), "{}", r.body);
    assert!(
        r.body["error_description"]
            .as_str()
            .unwrap()
            .contains("PKCE")
    );
    let c = fresh("b").await;
    assert_eq!(
        redeem(
            &sim,
            "/oauth2/v1/token",
            &c,
            "http://127.0.0.1:53682/other",
            &verifier,
            cid
        )
        .await
        .error(),
        "invalid_grant"
    );
    let c = fresh("c").await;
    assert_eq!(
        redeem(
            &sim,
            "/oauth2/v1/token",
            &c,
            REDIRECT,
            &verifier,
            "0oaother"
        )
        .await
        .error(),
        "invalid_grant"
    );
    let c = fresh("d").await;
    assert_eq!(
        redeem(
            &sim,
            "/oauth2/default/v1/token",
            &c,
            REDIRECT,
            &verifier,
            cid
        )
        .await
        .error(),
        "invalid_grant"
    );
    let c = fresh("e").await;
    let r = post_form(
        &sim,
        "/oauth2/v1/token",
        &[
            ("grant_type", "authorization_code"),
            ("code", &c),
            ("redirect_uri", REDIRECT),
            ("client_id", cid),
        ],
        None,
        None,
    )
    .await;
    assert_eq!(r.error(), "invalid_request", "no verifier: {}", r.body);

    // On a custom authorization server.
    let (v2, c2) = pkce();
    let p = [
        ("response_type", "code"),
        ("client_id", cid),
        ("redirect_uri", "http://localhost:8080/cb"),
        ("scope", "okta.users.read"),
        ("state", "x"),
        ("code_challenge", c2.as_str()),
        ("code_challenge_method", "S256"),
    ];
    let (_, q) = authorize(&sim, "/oauth2/default/v1/authorize", &p)
        .await
        .unwrap();
    let t = redeem(
        &sim,
        "/oauth2/default/v1/token",
        get(&q, "code").unwrap(),
        "http://localhost:8080/cb",
        &v2,
        cid,
    )
    .await;
    assert_eq!(t.status, 200, "{}", t.body);

    let disco = sim.get_json("/.well-known/openid-configuration").await;
    assert!(
        disco["grant_types_supported"]
            .as_array()
            .unwrap()
            .contains(&json!("authorization_code"))
    );
    assert_eq!(disco["code_challenge_methods_supported"], json!(["S256"]));
    assert_eq!(
        disco["authorization_endpoint"],
        format!("{}/oauth2/v1/authorize", sim.handle.url())
    );
}

#[tokio::test]
async fn authorize_errors_as_okta_answers_them() {
    let sim = start_default().await;
    let (_, challenge) = pkce();
    let base = |redirect: &'static str| {
        vec![
            ("response_type", "code"),
            ("client_id", "0oanative"),
            ("redirect_uri", redirect),
            ("scope", "okta.users.read"),
            ("state", "s"),
            ("code_challenge_method", "S256"),
        ]
    };
    // A redirect_uri that is neither loopback nor registered: 400, no redirect.
    let mut p = base("https://evil.example/cb");
    p.push(("code_challenge", &challenge));
    assert_eq!(
        authorize(&sim, "/oauth2/v1/authorize", &p)
            .await
            .unwrap_err()
            .0,
        400
    );
    // Once the redirect_uri is good, errors are redirects with error= and the state.
    let p = base(REDIRECT);
    let (_, q) = authorize(&sim, "/oauth2/v1/authorize", &p).await.unwrap();
    assert_eq!(
        (get(&q, "error"), get(&q, "state")),
        (Some("invalid_request"), Some("s")),
        "no challenge: {q:?}"
    );
    let mut p = base(REDIRECT);
    p.push(("code_challenge", &challenge));
    p[0] = ("response_type", "token");
    let (_, q) = authorize(&sim, "/oauth2/v1/authorize", &p).await.unwrap();
    assert_eq!(get(&q, "error"), Some("unsupported_response_type"));
    let mut p = base(REDIRECT);
    p.push(("code_challenge", &challenge));
    p[5] = ("code_challenge_method", "plain");
    let (_, q) = authorize(&sim, "/oauth2/v1/authorize", &p).await.unwrap();
    assert_eq!(get(&q, "error"), Some("invalid_request"));
    let mut p = base(REDIRECT);
    p.push(("code_challenge", &challenge));
    p[3] = ("scope", "okta.nope.read");
    let (_, q) = authorize(&sim, "/oauth2/v1/authorize", &p).await.unwrap();
    assert_eq!(get(&q, "error"), Some("invalid_scope"));
    // A registered app: its redirect_uris count, its grant types are honoured.
    let web = create_oidc_app(
        &sim,
        "none",
        &[],
        &["authorization_code"],
        json!({"redirect_uris": ["https://app.example/cb"]}),
    )
    .await;
    let wid = web["id"].as_str().unwrap();
    let mut p = base("https://app.example/cb");
    p[1] = ("client_id", wid);
    p.push(("code_challenge", &challenge));
    let (to, q) = authorize(&sim, "/oauth2/v1/authorize", &p).await.unwrap();
    assert_eq!(to, "https://app.example/cb");
    assert!(get(&q, "code").is_some(), "{q:?}");
    let svc = create_oidc_app(
        &sim,
        "none",
        &[],
        &["urn:ietf:params:oauth:grant-type:device_code"],
        json!({}),
    )
    .await;
    let mut p = base(REDIRECT);
    p[1] = ("client_id", svc["id"].as_str().unwrap());
    p.push(("code_challenge", &challenge));
    let (_, q) = authorize(&sim, "/oauth2/v1/authorize", &p).await.unwrap();
    assert_eq!(get(&q, "error"), Some("unauthorized_client"));
}
