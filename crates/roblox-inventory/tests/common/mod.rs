//! What the facade's integration tests share: a loopback server with one canned answer, JSON answers, and a
//! client builder pointed at one server.
#![allow(dead_code, reason = "each test binary uses a part of it")]

use roblox_inventory::{Client, ClientBuilder};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A loopback server that answers every request with `response`.
pub async fn server_answering(response: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(response)
        .mount(&server)
        .await;
    server
}

/// An answer of `status` with the JSON `body`.
pub fn json(status: u16, body: impl Into<String>) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body.into(), "application/json")
}

/// A client builder sending the requests of both hosts, legacy and Open Cloud, to `url`.
pub fn client_builder(url: &str) -> ClientBuilder {
    Client::builder().legacy_url(url).cloud_url(url)
}
