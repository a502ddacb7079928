//! Rendering a listing once: its pages fetched from the emulator in order, following the cursors.

use std::collections::HashMap;

use anyhow::Context;
use axum::http::{HeaderMap, header};

use super::{Listing, Page, Pages};

/// Fetches every page of `listing` from the server at `base` with a plain reqwest loop; fails after
/// `max_pages` pages, or on a cursor seen before, rather than loop forever.
pub async fn render(
    http: &reqwest::Client,
    base: &str,
    listing: Listing,
    max_pages: u64,
) -> anyhow::Result<Pages> {
    let url = format!("{base}{}", listing.path);
    let mut by_cursor = HashMap::new();
    let mut cursor = String::new();
    loop {
        anyhow::ensure!(
            (by_cursor.len() as u64) < max_pages,
            "{} has more than {max_pages} pages",
            listing.path
        );
        let mut request = http.get(&url).query(listing.query);
        if !cursor.is_empty() {
            request = request.query(&[(listing.cursor_parameter, &cursor)]);
        }
        for (name, value) in &listing.headers {
            request = request.header(*name, value);
        }
        let response = request
            .send()
            .await
            .and_then(reqwest::Response::error_for_status)
            .with_context(|| format!("rendering {} at cursor {cursor:?}", listing.path))?;
        let headers = kept_headers(response.headers());
        let body = response.bytes().await.context("reading a page")?;
        let next = next_cursor(&body, listing.next_field)?;
        anyhow::ensure!(
            by_cursor
                .insert(std::mem::take(&mut cursor), Page { headers, body })
                .is_none(),
            "{} repeats a cursor",
            listing.path
        );
        match next {
            Some(next) => cursor = next,
            None => break,
        }
    }
    Ok(Pages { listing, by_cursor })
}

/// The headers a client acts on: the type of the body, and the rate-limit headers, which the facade reads on
/// every response as it would Roblox's, so that the farm costs it the work the emulator's responses did.
fn kept_headers(headers: &HeaderMap) -> HeaderMap {
    headers
        .iter()
        .filter(|(name, _)| {
            *name == header::CONTENT_TYPE || name.as_str().starts_with("x-ratelimit-")
        })
        .map(|(name, value)| (name.clone(), value.clone()))
        .collect()
}

/// The cursor of the page after `body`; `None` on the last page (the field null, empty or absent).
fn next_cursor(body: &[u8], field: &str) -> anyhow::Result<Option<String>> {
    let page: serde_json::Value = serde_json::from_slice(body).context("a page is not JSON")?;
    Ok(page
        .get(field)
        .and_then(serde_json::Value::as_str)
        .filter(|cursor| !cursor.is_empty())
        .map(str::to_owned))
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    #[test]
    fn the_last_page_has_no_next_cursor() {
        let next = |body: &str| next_cursor(body.as_bytes(), "nextPageCursor").unwrap();
        assert_eq!(next(r#"{"nextPageCursor":"abc"}"#), Some("abc".into()));
        assert_eq!(next(r#"{"nextPageCursor":null}"#), None);
        assert_eq!(next(r#"{"nextPageCursor":""}"#), None);
        assert_eq!(next(r#"{"nextPageToken":"abc"}"#), None);
        assert!(next_cursor(b"<html>", "nextPageCursor").is_err());
    }

    #[test]
    fn only_the_body_type_and_rate_limits_are_kept() {
        let mut headers = HeaderMap::new();
        for (name, value) in [
            ("content-type", "application/json"),
            ("x-ratelimit-remaining", "99"),
            ("content-length", "12"),
            ("date", "Sun, 30 Nov 2026 14:48:00 GMT"),
        ] {
            headers.insert(name, HeaderValue::from_static(value));
        }
        let kept = kept_headers(&headers);
        let mut names: Vec<&str> = kept.keys().map(|name| name.as_str()).collect();
        names.sort_unstable();
        assert_eq!(names, ["content-type", "x-ratelimit-remaining"]);
    }
}
