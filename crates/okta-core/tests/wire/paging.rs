//! PageStream against wiremock: every page in order by its next link, pages fetched ahead (two; up to thirty-two on long lists
//! whose caller waits for pages), early stop,
//! the System Log's endless next link, cancellation.

use std::time::Duration;

use okta_core::{ApiRequest, CancelSignal, Client, EndAt, Error, PageStream, runtime};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common::config_for;

/// A server with `pages` pages of /api/v1/users linked by `after` cursors; the last has no next link.
fn paged_server(pages: usize) -> MockServer {
    paged_server_answering_in(pages, Duration::ZERO)
}

/// [`paged_server`] whose pages after the first take `delay` to answer.
fn paged_server_answering_in(pages: usize, delay: Duration) -> MockServer {
    runtime().block_on(async {
        let server = MockServer::start().await;
        for page in 0..pages {
            let mut answer = ResponseTemplate::new(200).set_body_string(format!("[{{\"id\":\"u{page}\"}}]"));
            if page + 1 < pages {
                answer = answer.append_header("link", format!("<{}/api/v1/users?after=c{}>; rel=\"next\"", server.uri(), page + 1));
            }
            if page > 0 {
                answer = answer.set_delay(delay);
            }
            let mock = Mock::given(method("GET")).and(path("/api/v1/users"));
            let mock = if page == 0 { mock.and(query_param("limit", "1")) } else { mock.and(query_param("after", format!("c{page}"))) };
            mock.respond_with(answer).mount(&server).await;
        }
        server
    })
}

fn first_request() -> ApiRequest {
    let mut request = ApiRequest::new("GET", "/api/v1/users");
    request.query.push(("limit".into(), "1".into()));
    request
}

fn received(server: &MockServer) -> usize {
    runtime().block_on(server.received_requests()).map_or(0, |r| r.len())
}

/// Takes every page left; how many there were.
fn take_rest(stream: &mut PageStream, cancel: &CancelSignal) -> usize {
    let mut rest = 0;
    while stream.next_blocking(cancel).unwrap().is_some() {
        rest += 1;
    }
    rest
}

/// Waits (bounded) until the server has received `count` requests.
fn wait_for_requests(server: &MockServer, count: usize) -> bool {
    for _ in 0..500 {
        if received(server) >= count {
            return true;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    false
}

#[test]
fn follows_next_links_in_order_until_the_last_page() {
    let server = paged_server(3);
    let client = Client::new(config_for(&server)).unwrap();
    let mut stream = PageStream::open(client, first_request(), EndAt::NoNextLink);
    let cancel = CancelSignal::new();
    let mut bodies = Vec::new();
    while let Some(page) = stream.next_blocking(&cancel).unwrap() {
        bodies.push(String::from_utf8(page.body).unwrap());
    }
    assert_eq!(bodies, ["[{\"id\":\"u0\"}]", "[{\"id\":\"u1\"}]", "[{\"id\":\"u2\"}]"]);
    assert_eq!(received(&server), 3);
}

#[test]
fn fetches_the_next_page_while_the_caller_holds_the_current_one() {
    let server = paged_server(3);
    let client = Client::new(config_for(&server)).unwrap();
    let mut stream = PageStream::open(client, first_request(), EndAt::NoNextLink);
    let first = stream.next_blocking(&CancelSignal::new()).unwrap().unwrap();
    assert!(first.next_uri.is_some());
    // the caller has not asked for page 2, yet the server sees its request
    assert!(wait_for_requests(&server, 2), "page 2 was not prefetched");
    assert!(stream.has_more());
}

#[test]
fn dropping_the_stream_stops_paging() {
    let server = paged_server(6);
    let client = Client::new(config_for(&server)).unwrap();
    let mut stream = PageStream::open(client, first_request(), EndAt::NoNextLink);
    let _ = stream.next_blocking(&CancelSignal::new()).unwrap();
    // page 2 handed over (not yet taken) and page 3 on its way: the most that may be ahead
    assert!(wait_for_requests(&server, 3));
    drop(stream);
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(received(&server), 3, "no page after the ones already ahead");
}

#[test]
fn a_late_caller_does_not_hold_up_the_next_request_but_bounds_how_far_paging_runs_ahead() {
    let server = paged_server(8);
    let client = Client::new(config_for(&server)).unwrap();
    let mut stream = PageStream::open(client, first_request(), EndAt::NoNextLink);
    let cancel = CancelSignal::new();
    let _ = stream.next_blocking(&cancel).unwrap();
    // the caller is busy with page 1: page 2 waits to be taken, and page 3 was already asked for
    assert!(wait_for_requests(&server, 3), "the request for page 3 waited for the caller");
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(received(&server), 3, "paging ran more than two pages ahead of the caller");
    // taking one page lets exactly one more request go
    let _ = stream.next_blocking(&cancel).unwrap();
    assert!(wait_for_requests(&server, 4));
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(received(&server), 4);
    assert_eq!(take_rest(&mut stream, &cancel), 6);
    assert!(!stream.has_more());
}

#[test]
fn a_long_list_runs_further_ahead_of_a_caller_that_waits_for_pages() {
    // Each page takes 50 ms: past the eighth, the caller waits for every page it takes.
    let server = paged_server_answering_in(40, Duration::from_millis(50));
    let client = Client::new(config_for(&server)).unwrap();
    let mut stream = PageStream::open(client, first_request(), EndAt::NoNextLink);
    let cancel = CancelSignal::new();
    for _ in 0..20 {
        stream.next_blocking(&cancel).unwrap().unwrap();
    }
    // 20 taken, 12 of them waited for: 14 may be ahead, never a 15th
    assert!(wait_for_requests(&server, 34), "the producer did not run ahead on a long list");
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(received(&server), 34);
    assert_eq!(take_rest(&mut stream, &cancel), 20);
}

#[test]
fn a_long_list_stays_two_pages_ahead_of_a_caller_that_never_waits() {
    let server = paged_server(40);
    let client = Client::new(config_for(&server)).unwrap();
    let mut stream = PageStream::open(client, first_request(), EndAt::NoNextLink);
    let cancel = CancelSignal::new();
    for _ in 0..20 {
        // A slow caller: its next page has long arrived when it asks.
        std::thread::sleep(Duration::from_millis(100));
        stream.next_blocking(&cancel).unwrap().unwrap();
    }
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(received(&server), 22, "more pages piled up ahead of a caller that never waited");
    assert_eq!(take_rest(&mut stream, &cancel), 20);
}

#[test]
fn the_system_log_stops_at_the_first_empty_page() {
    let server = runtime().block_on(async {
        let server = MockServer::start().await;
        let next = format!("<{}/api/v1/logs?after=x>; rel=\"next\"", server.uri());
        Mock::given(path("/api/v1/logs")).and(query_param("after", "x"))
            .respond_with(ResponseTemplate::new(200).set_body_string("[ ]").append_header("link", next.as_str()))
            .mount(&server).await;
        Mock::given(path("/api/v1/logs")).and(query_param("limit", "1"))
            .respond_with(ResponseTemplate::new(200).set_body_string("[{\"uuid\":\"1\"}]").append_header("link", next.as_str()))
            .mount(&server).await;
        server
    });
    let client = Client::new(config_for(&server)).unwrap();
    let mut request = ApiRequest::new("GET", "/api/v1/logs");
    request.query.push(("limit".into(), "1".into()));
    let mut stream = PageStream::open(client, request, EndAt::EmptyPage);
    let cancel = CancelSignal::new();
    let mut pages = 0;
    while stream.next_blocking(&cancel).unwrap().is_some() {
        pages += 1;
        assert!(pages < 10, "the endless next link was followed past the empty page");
    }
    assert_eq!(pages, 2);
}

#[test]
fn a_cancelled_wait_ends_with_cancelled() {
    let server = runtime().block_on(async {
        let server = MockServer::start().await;
        Mock::given(path("/api/v1/users"))
            .respond_with(ResponseTemplate::new(200).set_body_string("[]").set_delay(Duration::from_secs(30)))
            .mount(&server).await;
        server
    });
    let client = Client::new(config_for(&server)).unwrap();
    let mut stream = PageStream::open(client, ApiRequest::new("GET", "/api/v1/users"), EndAt::NoNextLink);
    let cancel = CancelSignal::new();
    let trigger = cancel.clone();
    let canceller = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(100));
        trigger.cancel();
    });
    let started = std::time::Instant::now();
    assert!(matches!(stream.next_blocking(&cancel), Err(Error::Cancelled)));
    assert!(started.elapsed() < Duration::from_secs(10));
    canceller.join().unwrap();
}

#[test]
fn an_error_page_ends_the_stream_with_that_error() {
    let server = runtime().block_on(async {
        let server = MockServer::start().await;
        Mock::given(path("/api/v1/users"))
            .respond_with(ResponseTemplate::new(403).set_body_string("{\"errorCode\":\"E0000006\",\"errorSummary\":\"no\"}"))
            .mount(&server).await;
        server
    });
    let client = Client::new(config_for(&server)).unwrap();
    let mut stream = PageStream::open(client, ApiRequest::new("GET", "/api/v1/users"), EndAt::NoNextLink);
    match stream.next_blocking(&CancelSignal::new()) {
        Err(Error::Api(api)) => assert_eq!(api.status, 403),
        other => panic!("expected the 403, got {:?}", other.map(|p| p.map(|p| p.status))),
    }
    assert!(stream.next_blocking(&CancelSignal::new()).unwrap().is_none());
}
