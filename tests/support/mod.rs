//! A loopback mock server that answers one canned response and records what the client sent.

#![allow(dead_code)]

use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// A mock server on 127.0.0.1 that answers every request with `status` and the JSON `body`.
pub async fn serve_json(status: u16, body: &str) -> MockServer {
    serve(ResponseTemplate::new(status).set_body_raw(body.to_owned(), "application/json")).await
}

/// A mock server on 127.0.0.1 that answers every request with `response`.
pub async fn serve(response: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(response)
        .mount(&server)
        .await;
    server
}

/// The one request the server received.
pub async fn only_request(server: &MockServer) -> Request {
    let mut requests = server.received_requests().await.expect("recording is on");
    assert_eq!(requests.len(), 1, "expected exactly one request");
    requests.remove(0)
}

/// `METHOD /path?query`, exactly as sent (the query string byte for byte).
pub fn request_line(request: &Request) -> String {
    match request.url.query() {
        Some(query) => format!("{} {}?{query}", request.method, request.url.path()),
        None => format!("{} {}", request.method, request.url.path()),
    }
}

/// The request's header names, sorted. Only what the operation needs: no `api-version`.
pub fn header_names(request: &Request) -> Vec<String> {
    let mut names: Vec<String> = request
        .headers
        .keys()
        .map(|name| name.as_str().to_owned())
        .collect();
    names.sort();
    names
}

/// The value of a header the client sent.
pub fn header<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    request
        .headers
        .get(name)
        .and_then(|value| value.to_str().ok())
}

/// Asserts the request carries the headers every generated operation sends, and nothing else.
pub fn assert_plain_headers(request: &Request) {
    assert_eq!(header_names(request), ["accept", "host"], "{request:?}");
    assert_eq!(header(request, "accept"), Some("application/json"));
}
