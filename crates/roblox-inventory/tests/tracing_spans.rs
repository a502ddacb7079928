//! Every request runs in a `roblox_inventory.request` span naming the operation, method, path, status and
//! attempt, and no span field ever holds a secret.

use std::sync::{Arc, Mutex};

use roblox_inventory::Client;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};
use wiremock::matchers::any;
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
    fn event(&self, _: &Event<'_>) {}
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}

#[test]
fn each_request_has_a_span_with_its_outcome_and_no_secret() {
    let recorder = Recorder::default();
    let spans = recorder.spans.clone();
    tracing::subscriber::with_default(recorder, || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async {
            let server = MockServer::start().await;
            Mock::given(any())
                .respond_with(
                    ResponseTemplate::new(200)
                        .set_body_raw(r#"{"canView":true}"#, "application/json"),
                )
                .mount(&server)
                .await;
            let client = Client::builder()
                .legacy_url(server.uri())
                .cookie("SECRET-COOKIE")
                .build()
                .unwrap();
            assert!(client.can_view_inventory(7).await.unwrap());
        });
    });
    let spans = spans.lock().unwrap();
    let (_, fields) = spans
        .iter()
        .find(|(name, _)| name == "roblox_inventory.request")
        .expect("a request span");
    let field = |name: &str| {
        fields
            .iter()
            .rev()
            .find(|(field, _)| field == name)
            .map(|(_, value)| value.as_str())
    };
    assert_eq!(field("operation"), Some("\"can_view_inventory\""));
    assert_eq!(field("method"), Some("GET"));
    assert_eq!(field("path"), Some("\"/v1/users/7/can-view-inventory\""));
    assert_eq!(field("status"), Some("200"));
    assert_eq!(field("attempt"), Some("1"));
    for (_, fields) in spans.iter() {
        assert!(
            fields.iter().all(|(_, value)| !value.contains("SECRET")),
            "{fields:?}"
        );
    }
}
