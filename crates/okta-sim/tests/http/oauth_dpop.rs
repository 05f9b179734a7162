//! DPoP proofs verified: signature with the embedded key, typ, htu without query, iat window, jti replay, ath on
//! API calls, the token's key binding, apps that require DPoP, and the optional nonce on API calls.

use serde_json::{Value, json};

use crate::common::jose::*;
use crate::common::*;

/// A DPoP token for a private_key_jwt service app, through the nonce round trip.
async fn dpop_token(sim: &Sim, key: TestKey) -> String {
    let url = format!("{}/oauth2/v1/token", sim.handle.url());
    let app = create_oidc_app(
        sim,
        "private_key_jwt",
        &[TestKey::Rsa1.public_jwk()],
        &["client_credentials"],
        json!({"dpop_bound_access_tokens": true}),
    )
    .await;
    let cid = app["id"].as_str().unwrap();
    // Required by the app: no proof → invalid_dpop_proof (how a client learns to switch to DPoP).
    let a = client_credentials(
        sim,
        cid,
        &assertion(TestKey::Rsa1, None, cid, &url),
        "okta.users.read",
        None,
    )
    .await;
    assert_eq!(
        (a.status, a.error()),
        (400, "invalid_dpop_proof"),
        "{}",
        a.body
    );
    let a = client_credentials(
        sim,
        cid,
        &assertion(TestKey::Rsa1, None, cid, &url),
        "okta.users.read",
        Some(dpop(key, "POST", &url, None, None)),
    )
    .await;
    assert_eq!(a.error(), "use_dpop_nonce");
    let nonce = a.header("dpop-nonce").unwrap();
    let a = client_credentials(
        sim,
        cid,
        &assertion(TestKey::Rsa1, None, cid, &url),
        "okta.users.read",
        Some(dpop(key, "POST", &url, Some(&nonce), None)),
    )
    .await;
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(a.body["token_type"], "DPoP");
    let at = a.body["access_token"].as_str().unwrap().to_string();
    // The token is bound to the proof's key: cnf.jkt is its thumbprint.
    let payload = at.split('.').nth(1).unwrap();
    let claims: Value = {
        use base64::Engine;
        serde_json::from_slice(
            &base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(payload)
                .unwrap(),
        )
        .unwrap()
    };
    assert_eq!(claims["cnf"]["jkt"], key.thumbprint());
    at
}

fn www(r: &reqwest::Response) -> String {
    header(r, "www-authenticate").unwrap_or_default()
}

#[tokio::test]
async fn dpop_tokens_need_a_valid_proof_by_the_bound_key_on_every_call() {
    for key in [TestKey::Ec1, TestKey::Rsa2] {
        let sim = start_default().await;
        let at = dpop_token(&sim, key).await;
        let users = format!("{}/api/v1/users", sim.handle.url());
        let ok = dpop_get(
            &sim,
            &users,
            &at,
            Some(dpop(key, "GET", &users, None, Some(&at))),
        )
        .await;
        assert_eq!(ok.status(), 200);
        // A query string on the request is fine; in htu it is not.
        let with_query = format!("{users}?limit=1");
        assert_eq!(
            dpop_get(
                &sim,
                &with_query,
                &at,
                Some(dpop(key, "GET", &users, None, Some(&at)))
            )
            .await
            .status(),
            200
        );
        let r = dpop_get(
            &sim,
            &with_query,
            &at,
            Some(dpop(key, "GET", &with_query, None, Some(&at))),
        )
        .await;
        assert_eq!(r.status(), 401);
        assert!(www(&r).contains("htu"), "{}", www(&r));
        // Another key signed the proof: refused even though the proof itself is valid.
        let other = if matches!(key, TestKey::Ec1) {
            TestKey::Ec2
        } else {
            TestKey::Rsa1
        };
        let r = dpop_get(
            &sim,
            &users,
            &at,
            Some(dpop(other, "GET", &users, None, Some(&at))),
        )
        .await;
        assert_eq!(r.status(), 401);
        assert!(www(&r).contains("binding"), "{}", www(&r));
        // No ath, a wrong ath.
        let r = dpop_get(
            &sim,
            &users,
            &at,
            Some(dpop(key, "GET", &users, None, None)),
        )
        .await;
        assert_eq!(r.status(), 401);
        assert!(www(&r).contains("ath"), "{}", www(&r));
        let r = dpop_get(
            &sim,
            &users,
            &at,
            Some(dpop(key, "GET", &users, None, Some("another-token"))),
        )
        .await;
        assert_eq!(r.status(), 401);
        // Replay of an accepted proof.
        let proof = dpop(key, "GET", &users, None, Some(&at));
        assert_eq!(
            dpop_get(&sim, &users, &at, Some(proof.clone()))
                .await
                .status(),
            200
        );
        let r = dpop_get(&sim, &users, &at, Some(proof)).await;
        assert_eq!(r.status(), 401);
        assert!(www(&r).contains("jti"), "{}", www(&r));
        // Too old, wrong typ, a signature that does not verify.
        let mut old = json!({"htm": "GET", "htu": users, "iat": now() - 600, "jti": unique()});
        old["ath"] = json!(ath(&at));
        assert_eq!(
            dpop_get(&sim, &users, &at, Some(dpop_with(key, &old)))
                .await
                .status(),
            401
        );
        let proof = dpop(key, "GET", &users, None, Some(&at));
        let mut parts: Vec<String> = proof.split('.').map(str::to_string).collect();
        let sig = parts[2].clone();
        parts[2] = format!(
            "{}{}",
            if sig.starts_with('A') { "B" } else { "A" },
            &sig[1..]
        );
        let r = dpop_get(&sim, &users, &at, Some(parts.join("."))).await;
        assert_eq!(r.status(), 401);
        assert!(www(&r).contains("signature"), "{}", www(&r));
        // Bearer scheme for a DPoP token.
        let r = sim
            .client
            .get(&users)
            .header("Authorization", format!("Bearer {at}"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 401);
        sim.handle.shutdown().await;
    }
}

fn ath(token: &str) -> String {
    use base64::Engine;
    use sha2::Digest;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(sha2::Sha256::digest(token.as_bytes()))
}

#[tokio::test]
async fn the_token_endpoint_refuses_bad_proofs() {
    let sim = start_default().await;
    let url = format!("{}/oauth2/v1/token", sim.handle.url());
    let app = create_oidc_app(
        &sim,
        "private_key_jwt",
        &[TestKey::Rsa1.public_jwk()],
        &["client_credentials"],
        json!({}),
    )
    .await;
    let cid = app["id"].as_str().unwrap();
    let call = |proof: String| {
        let sim = &sim;
        let url = url.clone();
        async move {
            client_credentials(
                sim,
                cid,
                &assertion(TestKey::Rsa1, None, cid, &url),
                "okta.users.read",
                Some(proof),
            )
            .await
        }
    };
    // Signed by one key, carrying another's public key.
    let mut h = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::ES256);
    h.typ = Some("dpop+jwt".into());
    h.jwk = Some(serde_json::from_value(TestKey::Ec2.public_jwk()).unwrap());
    let swapped = TestKey::Ec1.sign(
        h,
        &json!({"htm": "POST", "htu": url, "iat": now(), "jti": unique()}),
    );
    let a = call(swapped).await;
    assert_eq!(
        (a.status, a.error()),
        (400, "invalid_dpop_proof"),
        "{}",
        a.body
    );
    // Wrong htm, htu of another endpoint.
    assert_eq!(
        call(dpop(TestKey::Ec1, "GET", &url, None, None))
            .await
            .error(),
        "invalid_dpop_proof"
    );
    assert_eq!(
        call(dpop(
            TestKey::Ec1,
            "POST",
            &format!("{}/oauth2/v1/revoke", sim.handle.url()),
            None,
            None
        ))
        .await
        .error(),
        "invalid_dpop_proof"
    );
    // A typ other than dpop+jwt.
    let mut h = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::ES256);
    h.jwk = Some(serde_json::from_value(TestKey::Ec1.public_jwk()).unwrap());
    let jwt = TestKey::Ec1.sign(
        h,
        &json!({"htm": "POST", "htu": url, "iat": now(), "jti": unique()}),
    );
    assert_eq!(call(jwt).await.error(), "invalid_dpop_proof");
}

#[tokio::test]
async fn api_calls_can_require_a_nonce() {
    let sim = start_default().await;
    let key = TestKey::Ec1;
    let at = dpop_token(&sim, key).await;
    admin(
        &sim,
        "/__sim/oauth/settings",
        json!({"dpop_api_nonce": true}),
    )
    .await;
    let users = format!("{}/api/v1/users", sim.handle.url());
    let r = dpop_get(
        &sim,
        &users,
        &at,
        Some(dpop(key, "GET", &users, None, Some(&at))),
    )
    .await;
    assert_eq!(r.status(), 401);
    assert!(www(&r).contains("use_dpop_nonce"), "{}", www(&r));
    let nonce = header(&r, "dpop-nonce").expect("a nonce");
    let r = dpop_get(
        &sim,
        &users,
        &at,
        Some(dpop(key, "GET", &users, Some(&nonce), Some(&at))),
    )
    .await;
    assert_eq!(r.status(), 200);
}
