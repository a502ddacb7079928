//! The farm's server: stored pages answered from memory on loopback, on a server thread of its own.

use std::sync::Arc;

use anyhow::Context;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::Pages;
use crate::server_thread::ServerThread;

/// A running farm; dropping it stops the server and joins its thread.
pub struct PageFarm {
    url: String,
    _thread: ServerThread,
}

impl PageFarm {
    /// Serves each listing's pages at its path on 127.0.0.1 and a free port.
    pub fn start(listings: Vec<Pages>) -> anyhow::Result<PageFarm> {
        let (url, thread) = ServerThread::spawn("page farm", move || async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .context("binding 127.0.0.1")?;
            let url = format!("http://{}", listener.local_addr()?);
            let app = router(listings);
            tokio::spawn(async move {
                if let Err(error) = axum::serve(listener, app).await {
                    eprintln!("the page farm stopped: {error}");
                }
            });
            Ok((url, ()))
        })?;
        Ok(PageFarm {
            url,
            _thread: thread,
        })
    }

    /// The base URL of both the legacy and the Open Cloud host.
    pub fn url(&self) -> &str {
        &self.url
    }
}

fn router(listings: Vec<Pages>) -> Router {
    listings.into_iter().fold(Router::new(), |router, pages| {
        let path = pages.listing.path.clone();
        router.route(&path, get(page).with_state(Arc::new(pages)))
    })
}

/// The stored page for the request's cursor. Only the cursor picks it: the facade and the raw loop send
/// other parameters differently (`limit`, `sortOrder`, `maxPageSize`), and both must get the same bytes.
async fn page(
    State(pages): State<Arc<Pages>>,
    Query(query): Query<Vec<(String, String)>>,
) -> Response {
    let cursor = query
        .iter()
        .find(|(name, _)| name == pages.listing.cursor_parameter)
        .map(|(_, value)| value.as_str());
    match pages.get(cursor) {
        Some(page) => (page.headers.clone(), page.body.clone()).into_response(),
        // The scan then fails, rather than measure a client reading errors.
        None => (
            StatusCode::NOT_FOUND,
            format!("no page was rendered for the cursor {cursor:?}"),
        )
            .into_response(),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use axum::body::Bytes;
    use axum::http::{HeaderMap, HeaderValue, header};

    use super::*;
    use crate::farm::{Listing, Page};

    fn page(body: &'static str) -> Page {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        headers.insert("x-ratelimit-remaining", HeaderValue::from_static("7"));
        Page {
            headers,
            body: Bytes::from_static(body.as_bytes()),
        }
    }

    #[test]
    fn each_cursor_gets_its_stored_page_whatever_else_is_asked() {
        let farm = PageFarm::start(vec![Pages {
            listing: Listing {
                path: "/v2/users/1/inventory/8".into(),
                cursor_parameter: "cursor",
                next_field: "nextPageCursor",
                query: &[],
                headers: Vec::new(),
            },
            by_cursor: HashMap::from([
                (String::new(), page(r#"{"nextPageCursor":"a b"}"#)),
                ("a b".to_owned(), page(r#"{"nextPageCursor":null}"#)),
            ]),
        }])
        .unwrap();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let http = reqwest::Client::new();
        let url = format!("{}/v2/users/1/inventory/8", farm.url());
        let get = |query: &'static [(&'static str, &'static str)]| {
            let request = http.get(&url).query(query);
            runtime.block_on(async move {
                let response = request.send().await.unwrap();
                let status = response.status();
                let headers = response.headers().clone();
                (status, headers, response.text().await.unwrap())
            })
        };

        for query in [
            &[][..],
            &[("limit", "100")],
            &[("cursor", ""), ("sortOrder", "Asc")],
        ] {
            let (status, headers, body) = get(query);
            assert_eq!(status, StatusCode::OK, "{query:?}");
            assert_eq!(body, r#"{"nextPageCursor":"a b"}"#, "{query:?}");
            assert_eq!(headers[header::CONTENT_TYPE], "application/json");
            assert_eq!(headers["x-ratelimit-remaining"], "7");
        }
        // The cursor arrives percent-encoded, and is matched decoded.
        let (status, _, body) = get(&[("limit", "100"), ("cursor", "a b")]);
        assert_eq!(
            (status, body.as_str()),
            (StatusCode::OK, r#"{"nextPageCursor":null}"#)
        );

        let (status, _, body) = get(&[("cursor", "unknown")]);
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert!(body.contains("unknown"), "{body}");
        let missing = runtime.block_on(
            http.get(format!("{}/v2/users/2/inventory/8", farm.url()))
                .send(),
        );
        assert_eq!(missing.unwrap().status(), StatusCode::NOT_FOUND);
    }
}
