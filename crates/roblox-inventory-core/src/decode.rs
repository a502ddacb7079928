//! How the generated clients decode an answer: JSON bodies with the UTF-8 check made once for the whole body,
//! and the parts of progenitor's errors made from an answer already read.
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
}
