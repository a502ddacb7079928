//! Answers the facade refuses to read: bodies larger than the limit, and answers that came from another origin
//! because a caller-supplied HTTP client followed a redirect.
//!
//! The generated clients take a `reqwest::Result<reqwest::Response>` from the transport, so a refusal cannot be
//! an error of its own there. Instead the response's body is replaced by one that fails with a [`Refusal`] when
//! read: whoever reads it (the retry loop's buffering, the generated client, the error mapping) gets a
//! `reqwest::Error` whose source is the refusal, and [`refusal_of`] finds it again to build a typed error.

use std::error::Error as StdError;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use bytes::Bytes;
use http_body::{Body, Frame, SizeHint};
use reqwest::Url;

use crate::transport::same_origin;

/// Why a response's body was not read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub(crate) enum Refusal {
    /// The body is larger than the limit: by its `Content-Length` (then nothing was read), or counted while it was
    /// read.
    #[error("the response body is larger than the limit of {limit} bytes")]
    TooLarge {
        limit: u64,
        /// The `Content-Length`, when the server declared one above the limit.
        declared: Option<u64>,
    },
    /// The HTTP client followed a redirect to another origin (scheme, host, port) before the facade saw the answer.
    #[error("the HTTP client followed a redirect to {origin}")]
    OtherOrigin { origin: String },
}

/// The error of type `E` behind a `reqwest` error: a [`Refusal`], or a budget store's error, that the transport
/// sent through reqwest (the generated clients take only `reqwest::Result` from it).
pub(crate) fn carried<E: StdError + 'static>(error: &reqwest::Error) -> Option<&E> {
    let mut source = error.source();
    while let Some(cause) = source {
        if let Some(carried) = cause.downcast_ref::<E>() {
            return Some(carried);
        }
        source = cause.source();
    }
    None
}

/// Puts `response`, answered for a request sent to `sent_to`, under the rules: a body of at most `limit` bytes,
/// from the origin the request went to. Returns the head (status and headers untouched), the URL and the body,
/// which fails when read if a rule is broken; [`rebuild`] makes a response of them again.
pub(crate) fn guard_parts(
    response: reqwest::Response,
    sent_to: &Url,
    limit: u64,
) -> (http::response::Parts, Url, Bounded) {
    let refusal = if !same_origin(response.url(), sent_to) {
        Some(Refusal::OtherOrigin {
            origin: response.url().origin().ascii_serialization(),
        })
    } else {
        response
            .content_length()
            .filter(|declared| *declared > limit)
            .map(|declared| Refusal::TooLarge {
                limit,
                declared: Some(declared),
            })
    };
    let url = response.url().clone();
    let (parts, body) = http::Response::from(response).into_parts();
    let body = match refusal {
        Some(refusal) => Bounded::refused(refusal),
        None => Bounded::new(body, limit),
    };
    (parts, url, body)
}

pub(crate) fn rebuild(
    mut parts: http::response::Parts,
    url: Url,
    body: impl Into<reqwest::Body>,
) -> reqwest::Response {
    use reqwest::ResponseBuilderExt;
    let mut carrier = http::Response::builder().url(url);
    if let Some(extensions) = carrier.extensions_mut() {
        parts.extensions.extend(std::mem::take(extensions));
    }
    reqwest::Response::from(http::Response::from_parts(parts, body.into()))
}

/// A body that fails once more than `limit` bytes have come, or at once with a refusal decided beforehand.
pub(crate) struct Bounded {
    inner: Option<reqwest::Body>,
    refusal: Option<Refusal>,
    limit: u64,
    read: u64,
}

impl Bounded {
    fn new(inner: reqwest::Body, limit: u64) -> Self {
        Self {
            inner: Some(inner),
            refusal: None,
            limit,
            read: 0,
        }
    }

    fn refused(refusal: Refusal) -> Self {
        Self {
            inner: None,
            refusal: Some(refusal),
            limit: 0,
            read: 0,
        }
    }

    fn fail(&mut self, refusal: Refusal) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        self.inner = None;
        Poll::Ready(Some(Err(Box::new(refusal))))
    }
}

type BoxError = Box<dyn StdError + Send + Sync>;

impl Body for Bounded {
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        let this = &mut *self;
        if let Some(refusal) = this.refusal.take() {
            return this.fail(refusal);
        }
        let Some(inner) = this.inner.as_mut() else {
            return Poll::Ready(None);
        };
        match ready!(Pin::new(inner).poll_frame(cx)) {
            Some(Ok(frame)) => {
                let size = frame.data_ref().map_or(0, |data| data.len() as u64);
                this.read = this.read.saturating_add(size);
                if this.read > this.limit {
                    let limit = this.limit;
                    return this.fail(Refusal::TooLarge {
                        limit,
                        declared: None,
                    });
                }
                Poll::Ready(Some(Ok(frame)))
            }
            Some(Err(error)) => Poll::Ready(Some(Err(Box::new(error)))),
            None => {
                this.inner = None;
                Poll::Ready(None)
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        self.refusal.is_none() && self.inner.as_ref().is_none_or(Body::is_end_stream)
    }

    fn size_hint(&self) -> SizeHint {
        match (&self.refusal, &self.inner) {
            (None, Some(inner)) => inner.size_hint(),
            (None, None) => SizeHint::with_exact(0),
            (Some(_), _) => SizeHint::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The guarded response a caller of [`guard_parts`] that hands the body on gets.
    fn guard(response: reqwest::Response, sent_to: &Url, limit: u64) -> reqwest::Response {
        let (parts, url, body) = guard_parts(response, sent_to, limit);
        rebuild(parts, url, reqwest::Body::wrap(body))
    }

    fn response(url: &str, body: reqwest::Body) -> reqwest::Response {
        use reqwest::ResponseBuilderExt;
        let response = http::Response::builder()
            .status(200)
            .url(Url::parse(url).unwrap())
            .body(body)
            .unwrap();
        reqwest::Response::from(response)
    }

    /// A response from `url` whose body comes in `chunks`, with no length known beforehand.
    fn streamed(url: &str, chunks: &[&'static str]) -> reqwest::Response {
        let frames = chunks
            .iter()
            .map(|chunk| Ok::<_, std::convert::Infallible>(Frame::data(Bytes::from(*chunk))))
            .collect::<Vec<_>>();
        let body = http_body_util::StreamBody::new(futures_util::stream::iter(frames));
        response(url, reqwest::Body::wrap(body))
    }

    /// A response from `url` whose length is known beforehand, as with a `Content-Length`.
    fn sized(url: &str, body: &'static str) -> reqwest::Response {
        response(url, reqwest::Body::from(body))
    }

    fn url(text: &str) -> Url {
        Url::parse(text).unwrap()
    }

    #[tokio::test]
    async fn a_body_within_the_limit_reads_whole_and_keeps_url_and_status() {
        let guarded = guard(
            streamed("http://127.0.0.1:1/x?a=1", &["12", "345"]),
            &url("http://127.0.0.1:1/x?a=1"),
            5,
        );
        assert_eq!(guarded.status(), 200);
        assert_eq!(guarded.url().as_str(), "http://127.0.0.1:1/x?a=1");
        assert_eq!(guarded.bytes().await.unwrap(), "12345");
    }

    #[tokio::test]
    async fn a_body_over_the_limit_fails_with_the_limit() {
        let guarded = guard(
            streamed("http://127.0.0.1:1/x", &["123", "456"]),
            &url("http://127.0.0.1:1/x"),
            5,
        );
        let error = guarded.bytes().await.unwrap_err();
        assert_eq!(
            carried::<Refusal>(&error),
            Some(&Refusal::TooLarge {
                limit: 5,
                declared: None
            })
        );
        let exactly = guard(
            streamed("http://127.0.0.1:1/x", &["123", "45"]),
            &url("http://127.0.0.1:1/x"),
            5,
        );
        assert_eq!(exactly.bytes().await.unwrap(), "12345");
    }

    #[tokio::test]
    async fn a_declared_length_over_the_limit_is_refused_before_reading() {
        let guarded = guard(
            sized("http://127.0.0.1:1/x", "123456"),
            &url("http://127.0.0.1:1/x"),
            5,
        );
        let error = guarded.bytes().await.unwrap_err();
        assert_eq!(
            carried::<Refusal>(&error),
            Some(&Refusal::TooLarge {
                limit: 5,
                declared: Some(6)
            })
        );
    }

    #[tokio::test]
    async fn an_answer_from_another_origin_is_refused() {
        for other in [
            "http://127.0.0.1:2/x",
            "https://127.0.0.1:1/x",
            "http://localhost:1/x",
        ] {
            let guarded = guard(sized(other, "{}"), &url("http://127.0.0.1:1/x"), 100);
            let error = guarded.bytes().await.unwrap_err();
            assert!(
                matches!(carried::<Refusal>(&error), Some(Refusal::OtherOrigin { origin }) if other.starts_with(origin.as_str())),
                "{other}: {error:?}"
            );
        }
    }

    #[test]
    fn errors_without_a_refusal_have_none() {
        let error = reqwest::Client::new().get("not a url").build().unwrap_err();
        assert_eq!(carried::<Refusal>(&error), None);
    }
}
