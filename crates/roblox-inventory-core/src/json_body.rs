//! How the generated clients decode a JSON body: the UTF-8 check made once for the whole body.
//!
//! progenitor's `ResponseValue::from_response` decodes with `serde_json::from_slice`, whose reader checks every
//! string it reads (object keys included) for valid UTF-8 on its own. On a legacy inventory page, a dozen short
//! strings per item, that check was the largest single cost of decoding (about 1,800 instructions per item, a
//! sixth of a scan's). Checking the whole body at once runs the standard library's word-at-a-time ASCII path
//! and lets serde_json's `str` reader skip its per-string checks. `cargo xtask regen` writes a call to
//! [`json_response`] where progenitor writes `ResponseValue::from_response`.

use progenitor_client::{Error, ResponseValue};
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

/// Reads `response`'s body and decodes it as JSON into `T`, keeping its status and headers: what progenitor's
/// `ResponseValue::from_response` does, through [`decode_json`]. A body that does not decode is
/// `Error::InvalidResponsePayload` with the raw bytes, as there.
pub async fn json_response<T: DeserializeOwned, E>(
    mut response: reqwest::Response,
) -> Result<ResponseValue<T>, Error<E>> {
    let status = response.status();
    // Moved out rather than cloned: reading the body needs no headers.
    let headers = std::mem::take(response.headers_mut());
    let body = response.bytes().await.map_err(Error::ResponseBodyError)?;
    match decode_json(&body) {
        Ok(inner) => Ok(ResponseValue::new(inner, status, headers)),
        Err(error) => Err(Error::InvalidResponsePayload(body, error)),
    }
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

    fn response(status: u16, body: &'static [u8]) -> reqwest::Response {
        let answer = http::Response::builder()
            .status(status)
            .header("x-ratelimit-remaining", "99")
            .body(body)
            .unwrap();
        reqwest::Response::from(answer)
    }

    #[tokio::test]
    async fn a_response_keeps_its_status_and_headers() {
        let value: ResponseValue<Item> =
            json_response::<Item, ()>(response(200, br#"{"name":"x","id":3}"#))
                .await
                .unwrap();
        assert_eq!(value.status(), 200);
        assert_eq!(value.headers()["x-ratelimit-remaining"], "99");
        assert_eq!(
            value.into_inner(),
            Item {
                name: "x".into(),
                id: 3
            }
        );
    }

    #[tokio::test]
    async fn a_body_that_does_not_decode_is_kept_whole_in_the_error() {
        let body: &[u8] = b"{\"name\":\"\xff\",\"id\":3}";
        match json_response::<Item, ()>(response(200, body)).await {
            Err(Error::InvalidResponsePayload(kept, error)) => {
                assert_eq!(&kept[..], body);
                assert!(error.to_string().contains("line 1"), "{error}");
            }
            other => panic!("expected InvalidResponsePayload, got {other:?}"),
        }
    }
}
