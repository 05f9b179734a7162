//! Helpers shared by the integration tests: a config pointing at a wiremock server and
//! access to what that server actually received.

#![allow(dead_code)] // each test binary uses a different subset

use okta_core::{ApiRequest, ApiResponse, Client, Config, Error};
use wiremock::{MockServer, Request};

/// The API token [`config_for`] sets: Management API requests without credentials are refused
/// before sending.
pub const TEST_TOKEN: &str = "00test-token";

/// These tests are about one exchange: retries are off (tests/policy covers them).
pub fn config_for(server: &MockServer) -> Config {
    Config {
        base_url: server.uri(),
        api_token: Some(TEST_TOKEN.into()),
        max_retries: Some(0),
        ..Config::default()
    }
}

/// Sends `request` to `server` with a fresh client built from [`config_for`].
pub async fn send_to(server: &MockServer, request: ApiRequest) -> Result<ApiResponse, Error> {
    Client::new(config_for(server))
        .expect("a wiremock URL is a valid BaseUrl")
        .send(request)
        .await
}

pub fn get(path: &str) -> ApiRequest {
    ApiRequest::new("GET", path)
}

/// The single request the server got; fails the test if it got none or several.
pub async fn only_request(server: &MockServer) -> Request {
    let mut received = server
        .received_requests()
        .await
        .expect("request recording is on by default");
    assert_eq!(
        received.len(),
        1,
        "expected exactly one request, got {received:#?}"
    );
    received.remove(0)
}

/// Every value the server received for `name`, in order.
pub fn header_values(request: &Request, name: &str) -> Vec<String> {
    request
        .headers
        .get_all(name)
        .iter()
        .map(|value| value.to_str().unwrap().to_owned())
        .collect()
}

/// Path exactly as it came over the wire (still percent-encoded).
pub fn raw_path(request: &Request) -> &str {
    request.url.path()
}
