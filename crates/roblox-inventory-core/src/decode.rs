//! How an answer is read and decoded: its body read whole under a bound ([`read_body`], for the generated
//! clients' `send` and the facade's transport alike), JSON bodies with the UTF-8 check made once for the whole
//! body, and the parts of progenitor's errors made from an answer already read.
//!
//! progenitor's `ResponseValue::from_response` decodes with `serde_json::from_slice`, whose reader checks every
//! string it reads (object keys included) for valid UTF-8 on its own. On a legacy inventory page, a dozen short
//! strings per item, that check was the largest single cost of decoding (about 1,800 instructions per item, a
//! sixth of a scan's). Checking the whole body at once runs the standard library's word-at-a-time ASCII path
//! and lets serde_json's `str` reader skip its per-string checks. `cargo xtask regen` writes each builder's
//! `decode` over [`json_body`], [`error_body`] and [`unexpected_response`] where progenitor reads the response
//! itself.

use bytes::Bytes;
use progenitor_client::{Error, ResponseValue};
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;

/// The largest body the generated clients' `send` reads: 32 MiB, some 300 times the largest page Roblox sends
/// (100 items).
pub const MAX_BODY_BYTES: u64 = 32 * 1024 * 1024;

/// Why an answer's body was not read whole.
#[derive(Debug, thiserror::Error)]
pub enum BodyError {
    /// The body is larger than the limit: by its `Content-Length` (`declared`; then nothing was read), or counted
    /// as it came.
    #[error("the response body is larger than the limit of {limit} bytes{}", .declared.map(|declared| format!(" (Content-Length {declared})")).unwrap_or_default())]
    TooLarge {
        /// The limit.
        limit: u64,
        /// The `Content-Length`, when the server declared one above the limit.
        declared: Option<u64>,
    },
    /// reqwest could not read it: the connection broke, or a timeout passed.
    #[error("reading the response body failed: {0}")]
    Read(#[source] reqwest::Error),
}

/// Reads `response`'s body whole: refused unread when its `Content-Length` is over `limit`, and given up once
/// more than `limit` bytes have come, so that no server makes the client hold more than `limit` bytes.
pub async fn read_body(response: &mut reqwest::Response, limit: u64) -> Result<Bytes, BodyError> {
    let declared = response.content_length();
    if let Some(declared) = declared.filter(|declared| *declared > limit) {
        return Err(BodyError::TooLarge {
            limit,
            declared: Some(declared),
        });
    }
    // Room for what the server declared, up to a first megabyte: a server that declares much and sends slowly
    // is not given the memory before it sends the bytes.
    let capacity = usize::try_from(declared.unwrap_or(0).min(1024 * 1024)).unwrap_or(0);
    let mut first: Option<Bytes> = None;
    let mut joined: Vec<u8> = Vec::new();
    let mut read = 0u64;
    while let Some(chunk) = response.chunk().await.map_err(BodyError::Read)? {
        read = read.saturating_add(chunk.len() as u64);
        if read > limit {
            return Err(BodyError::TooLarge {
                limit,
                declared: None,
            });
        }
        // A body in one piece is handed on as it came; pieces are joined once.
        match first.take() {
            None if joined.is_empty() => first = Some(chunk),
            Some(earlier) => {
                joined.reserve(capacity);
                joined.extend_from_slice(&earlier);
                joined.extend_from_slice(&chunk);
            }
            None => joined.extend_from_slice(&chunk),
        }
    }
    Ok(first.unwrap_or_else(|| Bytes::from(joined)))
}

/// Decodes `body` as JSON into `T`; the same value, and for a body that is not JSON the same error, as
/// `serde_json::from_slice`.
pub fn decode_json<T: DeserializeOwned>(body: &[u8]) -> serde_json::Result<T> {
    match std::str::from_utf8(body) {
        Ok(text) => serde_json::from_str(text),
        // The slice reader finds the invalid byte again and says where it is.
        Err(_) => serde_json::from_slice(body),
    }
}

/// A documented body, decoded through [`decode_json`]; one that does not decode is
/// `Error::InvalidResponsePayload` with the raw bytes, as progenitor's own decoding makes it.
// The error is progenitor's own, which every generated `decode` returns.
#[allow(clippy::result_large_err)]
pub fn json_body<T: DeserializeOwned, E>(body: &Bytes) -> Result<T, Error<E>> {
    decode_json(body).map_err(|error| Error::InvalidResponsePayload(body.clone(), error))
}

/// A documented error body with the answer's status and headers, as `Error::ErrorResponse` holds it.
#[allow(clippy::result_large_err)]
pub fn error_body<T: DeserializeOwned, E>(
    status: StatusCode,
    headers: &HeaderMap,
    body: &Bytes,
) -> Result<ResponseValue<T>, Error<E>> {
    let inner = json_body(body)?;
    Ok(ResponseValue::new(inner, status, headers.clone()))
}

/// An answer of a status the spec does not list, as `Error::UnexpectedResponse` holds it: its status, headers
/// and body kept.
pub fn unexpected_response(
    status: StatusCode,
    headers: &HeaderMap,
    body: &Bytes,
) -> reqwest::Response {
    let mut response = http::Response::new(body.clone());
    *response.status_mut() = status;
    *response.headers_mut() = headers.clone();
    reqwest::Response::from(response)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Item {
        name: String,
        id: u64,
    }

    fn from_slice<T: DeserializeOwned>(body: &[u8]) -> serde_json::Result<T> {
        serde_json::from_slice(body)
    }

    #[test]
    fn decodes_what_from_slice_decodes() {
        let body = br#"{"name": "Caf\u00e9 \u00e9t\u00e9 \ud83d\ude00 \u4e2d", "id": 7}"#;
        assert_eq!(
            decode_json::<Item>(body).unwrap(),
            from_slice::<Item>(body).unwrap()
        );
        let raw_utf8 = "{\"name\": \"Crimson Ω 中 😀\", \"id\": 18446744073709551615}";
        let item: Item = decode_json(raw_utf8.as_bytes()).unwrap();
        assert_eq!(item.name, "Crimson Ω 中 😀");
        assert_eq!(item.id, u64::MAX);
    }

    #[test]
    fn a_body_that_is_not_utf8_or_not_json_gets_from_slice_answer() {
        let cases: [(&[u8], bool); 6] = [
            (b"{\"name\": \"\xff\xfe\", \"id\": 1}", false),
            // serde_json skips an unknown field's string without reading it as text, so this decodes.
            (
                b"{\"name\": \"ok\", \"id\": 1, \"extra\": \"\xc3\x28\"}",
                true,
            ),
            (b"{\"name\": \"ok\", \"id\": -1}", false),
            (b"{\"name\": \"ok\"", false),
            (b"", false),
            (b"{\"name\": \"ok\", \"id\": 2} trailing", false),
        ];
        for (body, decodes) in cases {
            let ours = decode_json::<Item>(body);
            let theirs = from_slice::<Item>(body);
            assert_eq!(ours.is_ok(), decodes, "{body:?}: {ours:?}");
            assert_eq!(format!("{ours:?}"), format!("{theirs:?}"), "{body:?}");
        }
    }

    #[test]
    fn a_lone_surrogate_escape_is_refused() {
        let body = br#"{"name": "\ud800", "id": 1}"#;
        let ours = decode_json::<Item>(body).expect_err("a lone surrogate is not text");
        let theirs = from_slice::<Item>(body).expect_err("a lone surrogate is not text");
        assert_eq!(ours.to_string(), theirs.to_string());
        assert!(ours.to_string().contains("hex escape"), "{ours}");
    }

    fn headers() -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert("x-ratelimit-remaining", "99".parse().unwrap());
        headers
    }

    #[test]
    fn an_error_body_keeps_the_answers_status_and_headers() {
        let body = Bytes::from_static(br#"{"name":"x","id":3}"#);
        let value: ResponseValue<Item> =
            error_body::<Item, ()>(StatusCode::BAD_REQUEST, &headers(), &body).unwrap();
        assert_eq!(value.status(), 400);
        assert_eq!(value.headers()["x-ratelimit-remaining"], "99");
        assert_eq!(
            value.into_inner(),
            Item {
                name: "x".into(),
                id: 3
            }
        );
    }

    #[test]
    fn a_body_that_does_not_decode_is_kept_whole_in_the_error() {
        let body = Bytes::from_static(b"{\"name\":\"\xff\",\"id\":3}");
        match json_body::<Item, ()>(&body) {
            Err(Error::InvalidResponsePayload(kept, error)) => {
                assert_eq!(kept, body);
                assert!(error.to_string().contains("line 1"), "{error}");
            }
            other => panic!("expected InvalidResponsePayload, got {other:?}"),
        }
    }

    #[tokio::test]
    async fn an_unexpected_answer_keeps_its_status_headers_and_body() {
        let body = Bytes::from_static(b"<html>Bad Gateway</html>");
        let response = unexpected_response(StatusCode::BAD_GATEWAY, &headers(), &body);
        assert_eq!(response.status(), 502);
        assert_eq!(response.headers()["x-ratelimit-remaining"], "99");
        assert_eq!(response.bytes().await.unwrap(), body);
    }

    /// An answer whose body comes in `chunks`, with no length known beforehand.
    fn streamed(chunks: &[&'static str]) -> reqwest::Response {
        let frames = chunks
            .iter()
            .map(|chunk| {
                Ok::<_, std::convert::Infallible>(http_body::Frame::data(Bytes::from(*chunk)))
            })
            .collect::<Vec<_>>();
        let body = http_body_util::StreamBody::new(futures_util::stream::iter(frames));
        reqwest::Response::from(http::Response::new(reqwest::Body::wrap(body)))
    }

    /// An answer whose length is known beforehand, as with a `Content-Length`.
    fn sized(body: &'static str) -> reqwest::Response {
        reqwest::Response::from(http::Response::new(reqwest::Body::from(body)))
    }

    #[tokio::test]
    async fn a_body_within_the_limit_is_read_whole() {
        assert_eq!(
            read_body(&mut streamed(&["12", "345"]), 5).await.unwrap(),
            "12345"
        );
        assert_eq!(
            read_body(&mut streamed(&["12345"]), 5).await.unwrap(),
            "12345"
        );
        assert_eq!(read_body(&mut sized("12345"), 5).await.unwrap(), "12345");
        assert_eq!(read_body(&mut streamed(&[]), 5).await.unwrap(), "");
    }

    #[tokio::test]
    async fn a_body_over_the_limit_is_given_up_as_it_comes() {
        let error = read_body(&mut streamed(&["123", "456"]), 5)
            .await
            .unwrap_err();
        assert!(
            matches!(
                error,
                BodyError::TooLarge {
                    limit: 5,
                    declared: None
                }
            ),
            "{error:?}"
        );
        assert_eq!(
            error.to_string(),
            "the response body is larger than the limit of 5 bytes"
        );
    }

    #[tokio::test]
    async fn a_declared_length_over_the_limit_is_refused_before_reading() {
        let error = read_body(&mut sized("123456"), 5).await.unwrap_err();
        assert!(
            matches!(
                error,
                BodyError::TooLarge {
                    limit: 5,
                    declared: Some(6)
                }
            ),
            "{error:?}"
        );
        assert_eq!(
            error.to_string(),
            "the response body is larger than the limit of 5 bytes (Content-Length 6)"
        );
    }
}
