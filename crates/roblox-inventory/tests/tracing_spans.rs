//! Every request runs in a `roblox_inventory.request` span naming the operation, method, path, status and
//! attempt, no span field ever holds a secret, and every wait (rate limit, retry) is said by an event.

mod common;

use std::sync::{Arc, Mutex};

use std::time::Duration;

use common::{client_builder, json, server_answering};
use roblox_inventory::AssetId;
use roblox_inventory::{RateLimit, RetryPolicy, WAIT_TARGET};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};
use wiremock::matchers::{header, method};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A span's name and its fields as `(name, value)` text.
type RecordedSpan = (String, Vec<(String, String)>);

/// Records every span's name and fields as text.
#[derive(Clone, Default)]
struct Recorder {
    spans: Arc<Mutex<Vec<RecordedSpan>>>,
}

struct Fields<'a>(&'a mut Vec<(String, String)>);

impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0.push((field.name().to_owned(), format!("{value:?}")));
    }
}

impl Subscriber for Recorder {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, attributes: &Attributes<'_>) -> Id {
        let mut fields = Vec::new();
        attributes.record(&mut Fields(&mut fields));
        let mut spans = self.spans.lock().unwrap();
        spans.push((attributes.metadata().name().to_owned(), fields));
        Id::from_u64(spans.len() as u64)
    }

    fn record(&self, span: &Id, values: &Record<'_>) {
        let mut spans = self.spans.lock().unwrap();
        let index = usize::try_from(span.into_u64()).unwrap() - 1;
        values.record(&mut Fields(&mut spans[index].1));
    }

    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, event: &Event<'_>) {
        let mut fields = Vec::new();
        event.record(&mut Fields(&mut fields));
        let name = format!("event {}", event.metadata().target());
        self.spans.lock().unwrap().push((name, fields));
    }
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}

/// The spans recorded while `scenario` runs on a runtime of its own.
fn spans_of<F: std::future::Future<Output = ()>>(
    scenario: impl FnOnce() -> F,
) -> Vec<RecordedSpan> {
    let recorder = Recorder::default();
    let spans = recorder.spans.clone();
    tracing::subscriber::with_default(recorder, || {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(scenario());
    });
    let spans = spans.lock().unwrap().clone();
    for (_, fields) in &spans {
        assert!(
            fields.iter().all(|(_, value)| !value.contains("SECRET")),
            "{fields:?}"
        );
    }
    spans
}

/// The last value of each request span's field `name`, span by span.
fn field_of_requests(spans: &[RecordedSpan], name: &str) -> Vec<String> {
    spans
        .iter()
        .filter(|(span, _)| span == "roblox_inventory.request")
        .map(|(_, fields)| {
            fields
                .iter()
                .rev()
                .find(|(field, _)| field == name)
                .map(|(_, value)| value.clone())
                .unwrap_or_default()
        })
        .collect()
}

#[test]
fn each_request_has_a_span_with_its_outcome_and_no_secret() {
    let spans = spans_of(|| async {
        let server = server_answering(json(200, r#"{"canView":true}"#)).await;
        let client = client_builder(&server.uri())
            .cookie("SECRET-COOKIE")
            .build()
            .unwrap();
        assert!(client.can_view_inventory(7).await.unwrap());
    });
    let field = |name: &str| field_of_requests(&spans, name);
    assert_eq!(field("operation"), ["\"canViewInventory\""]);
    assert_eq!(field("method"), ["GET"]);
    assert_eq!(field("path"), ["\"/v1/users/7/can-view-inventory\""]);
    assert_eq!(field("status"), ["200"]);
    assert_eq!(field("attempt"), ["1"]);
}

#[test]
fn the_attempt_that_answered_is_recorded() {
    let spans = spans_of(|| async {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(503))
            .up_to_n_times(2)
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .respond_with(json(200, r#"{"canView":true}"#))
            .mount(&server)
            .await;
        // The legacy CSRF handshake sends a mutation a second time with the fresh token.
        Mock::given(method("DELETE"))
            .and(header("x-csrf-token", "fresh"))
            .respond_with(json(200, "{}"))
            .with_priority(1)
            .mount(&server)
            .await;
        Mock::given(method("DELETE"))
            .respond_with(ResponseTemplate::new(403).insert_header("x-csrf-token", "fresh"))
            .mount(&server)
            .await;
        let client = client_builder(&server.uri())
            .cookie("SECRET-COOKIE")
            .retry(RetryPolicy {
                base_delay: Duration::from_millis(1),
                ..RetryPolicy::default()
            })
            .build()
            .unwrap();
        assert!(client.can_view_inventory(7).await.unwrap());
        client.delete_inventory_asset(AssetId(9)).await.unwrap();
    });
    assert_eq!(field_of_requests(&spans, "attempt"), ["3", "2"]);
    assert_eq!(field_of_requests(&spans, "status"), ["200", "200"]);
}

/// The fields of each wait event, as `(reason, wait_ms)`.
fn waits(spans: &[RecordedSpan]) -> Vec<(String, u64)> {
    spans
        .iter()
        .filter(|(name, _)| *name == format!("event {WAIT_TARGET}"))
        .map(|(_, fields)| {
            let field = |wanted: &str| {
                fields
                    .iter()
                    .find(|(name, _)| name == wanted)
                    .map(|(_, value)| value.clone())
                    .unwrap_or_default()
            };
            (
                field("reason").trim_matches('"').to_owned(),
                field("wait_ms").parse().unwrap(),
            )
        })
        .collect()
}

#[test]
fn each_wait_is_an_event_saying_how_long_and_why() {
    let spans = spans_of(|| async {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(503))
            .up_to_n_times(1)
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .respond_with(json(200, r#"{"canView":true}"#))
            .mount(&server)
            .await;
        let client = client_builder(&server.uri())
            .legacy_rate_limit(Some(RateLimit {
                requests: 2,
                per: Duration::from_millis(300),
            }))
            .retry(RetryPolicy {
                base_delay: Duration::from_millis(5),
                ..RetryPolicy::default()
            })
            .build()
            .unwrap();
        // A 503 and its retry use the window's two requests; the next call waits for the next window.
        assert!(client.can_view_inventory(7).await.unwrap());
        assert!(client.can_view_inventory(7).await.unwrap());
    });
    let waits = waits(&spans);
    assert_eq!(waits.len(), 2, "{waits:?}");
    assert_eq!(waits[0].0, "retry");
    assert!(waits[0].1 >= 5, "{waits:?}");
    assert_eq!(waits[1].0, "rate limit");
    assert!((1..=300).contains(&waits[1].1), "{waits:?}");
}
