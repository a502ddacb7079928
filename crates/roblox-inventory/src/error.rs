//! One error type for every operation of the three APIs.

use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde::Serialize;

use crate::cloud_v2::types::OpenCloudError;
use crate::refusal::{Refusal, refusal_of};

/// What went wrong with a request.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Roblox answered with an error status.
    #[error(transparent)]
    Api(Box<ApiError>),
    /// The request could not be sent, the connection failed, or a timeout passed.
    #[error("{request}: {source}")]
    Transport {
        /// The request.
        request: RequestLine,
        /// Why (without the request's URL, whose query may carry a cursor or filter: `request` names it).
        source: reqwest::Error,
    },
    /// The server answered with a redirect. Roblox's inventory APIs do not redirect, and following one could
    /// carry a credential to another host, so it is not followed.
    #[error(
        "{request}: the server redirected ({status}) to {}; redirects are not followed, so that credentials stay on their host",
        .location.as_deref().unwrap_or("no location")
    )]
    Redirect {
        /// The request.
        request: RequestLine,
        /// The redirect's status (301, 302, 303, 307, 308...).
        status: StatusCode,
        /// Its `Location` header, as sent.
        location: Option<String>,
    },
    /// A caller-supplied HTTP client followed a redirect to another origin; the answer from there was refused.
    /// The request, credential included, did reach that origin: build the client with
    /// `reqwest::redirect::Policy::none()`.
    #[error(
        "{request}: the HTTP client followed a redirect to {origin}; the answer was refused (build the client with redirect::Policy::none())"
    )]
    FollowedRedirect {
        /// The request.
        request: RequestLine,
        /// Where the redirect led: scheme, host and port.
        origin: String,
    },
    /// The response body was larger than the client's `max_response_bytes`; it was not read (or not further).
    #[error("{request}: the response is larger than the limit of {limit} bytes{}", .declared.map(|declared| format!(" (Content-Length {declared})")).unwrap_or_default())]
    ResponseTooLarge {
        /// The request.
        request: RequestLine,
        /// The limit.
        limit: u64,
        /// The `Content-Length` the server declared, when it declared one above the limit.
        declared: Option<u64>,
    },
    /// Roblox's answer is not what the spec says (a success body of another shape, or an error page that is not
    /// one of Roblox's error shapes); the body is kept.
    #[error("{request}: the response does not decode ({source}); body: {}", body_preview(.body))]
    Decode {
        /// The request.
        request: RequestLine,
        /// What did not decode.
        source: serde_json::Error,
        /// The body, unchanged.
        body: Bytes,
    },
    /// The request was not valid, and was not sent: a missing parameter, a bad filter.
    #[error("invalid request: {0}")]
    InvalidRequest(String),
    /// The client could not be built.
    #[error("invalid client configuration: {0}")]
    Config(String),
    /// The client was not built because a credential would cross the network unencrypted: a plain `http://`
    /// URL to a host that is not this machine (see `ClientBuilder::allow_insecure_http`).
    #[error(
        "{field} {origin} is plain http to a host that is not this machine, so {credential} would cross the network unencrypted; use https://, or allow_insecure_http(true) to send it anyway"
    )]
    InsecureUrl {
        /// `legacy_url` or `cloud_url`.
        field: &'static str,
        /// The URL's scheme, host and port.
        origin: String,
        /// Which credential: `the cookie`, `the API key` or `the OAuth token`.
        credential: &'static str,
    },
}

/// `GET /v2/users/1/inventory`: which request failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestLine {
    /// The HTTP method.
    pub method: reqwest::Method,
    /// The path, without the query string (which may carry a cursor or filter).
    pub path: String,
}

impl fmt::Display for RequestLine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.method, self.path)
    }
}

/// What callers branch on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// 400: a parameter or the filter is wrong.
    InvalidArgument,
    /// 401: the credential is missing, wrong or expired.
    Unauthorized,
    /// 403 because the user's inventory is not visible to this caller.
    InventoryHidden,
    /// 403 for another reason (scopes, CSRF, permissions).
    Forbidden,
    /// 404.
    NotFound,
    /// 429: wait [`ApiError::retry_after`] before trying again.
    RateLimited,
    /// 5xx.
    Server,
    /// Any other status.
    Other,
}

/// One entry of Roblox's error body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ErrorEntry {
    /// Roblox's code: an integer (legacy, Open Cloud gateway) or a name (Open Cloud v2, `INVALID_ARGUMENT`).
    pub code: Option<ErrorCode>,
    /// Roblox's message.
    pub message: Option<String>,
    /// The legacy API's message meant for end users, when present.
    pub user_facing_message: Option<String>,
}

/// A code in an error body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum ErrorCode {
    /// Legacy and Open Cloud gateway codes.
    Number(i64),
    /// Open Cloud v2 codes.
    Name(String),
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ErrorCode::Number(code) => write!(f, "{code}"),
            ErrorCode::Name(name) => f.write_str(name),
        }
    }
}

/// An error status from Roblox, with everything its body said.
#[derive(Clone, Debug)]
pub struct ApiError {
    /// The request.
    pub request: RequestLine,
    /// The status.
    pub status: StatusCode,
    /// What to branch on.
    pub kind: ErrorKind,
    /// Every entry of the body (empty when the body was not one of Roblox's error shapes).
    pub errors: Vec<ErrorEntry>,
    /// From `Retry-After` (seconds), when Roblox sent it.
    pub retry_after: Option<Duration>,
    /// The body as received (or, for a body decoded by the generated client, re-encoded from it).
    pub body: Bytes,
}

impl std::error::Error for ApiError {}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} from {}", self.status, self.request)?;
        match self.errors.first() {
            Some(entry) => {
                f.write_str(":")?;
                if let Some(code) = &entry.code {
                    write!(f, " {code}")?;
                }
                if let Some(message) = &entry.message {
                    write!(f, " {message}")?;
                }
                if self.errors.len() > 1 {
                    write!(f, " (and {} more)", self.errors.len() - 1)?;
                }
                Ok(())
            }
            None if self.body.is_empty() => Ok(()),
            None => write!(f, ": {}", body_preview(&self.body)),
        }
    }
}

impl ApiError {
    /// Whether this is one of `kinds`.
    pub fn is(&self, kind: ErrorKind) -> bool {
        self.kind == kind
    }
}

impl Error {
    /// The API error, when Roblox answered with an error status.
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            Error::Api(error) => Some(error),
            _ => None,
        }
    }

    /// What to branch on, when Roblox answered with an error status.
    pub fn kind(&self) -> Option<ErrorKind> {
        self.api().map(|error| error.kind)
    }
}

fn body_preview(body: &[u8]) -> String {
    const LIMIT: usize = 200;
    let text = String::from_utf8_lossy(body);
    match text.char_indices().nth(LIMIT) {
        Some((cut, _)) => format!("{}...", &text[..cut]),
        None => text.into_owned(),
    }
}

/// Turns a generated body into the entries callers read.
pub(crate) trait ErrorBody: Serialize {
    fn entries(&self) -> Vec<ErrorEntry>;
}

macro_rules! legacy_error_body {
    ($type:ty) => {
        impl ErrorBody for $type {
            fn entries(&self) -> Vec<ErrorEntry> {
                self.errors
                    .iter()
                    .map(|entry| ErrorEntry {
                        code: entry.code.map(|code| ErrorCode::Number(code.into())),
                        message: entry.message.clone(),
                        user_facing_message: entry.user_facing_message.clone(),
                    })
                    .collect()
            }
        }
    };
}

legacy_error_body!(crate::legacy_v1::types::LegacyErrorResponse);
legacy_error_body!(crate::legacy_v2::types::LegacyErrorResponse);

impl ErrorBody for OpenCloudError {
    fn entries(&self) -> Vec<ErrorEntry> {
        match self {
            OpenCloudError::GatewayError(body) => body
                .errors
                .iter()
                .map(|entry| ErrorEntry {
                    code: entry.code.map(|code| ErrorCode::Number(code.into())),
                    message: entry.message.clone(),
                    user_facing_message: None,
                })
                .collect(),
            OpenCloudError::StatusError(body) => vec![ErrorEntry {
                code: Some(ErrorCode::Name(body.code.to_string())),
                message: body.message.clone(),
                user_facing_message: None,
            }],
        }
    }
}

impl ErrorBody for () {
    fn entries(&self) -> Vec<ErrorEntry> {
        Vec::new()
    }
}

/// Legacy code 4 on a 403 is "You are not authorized to view this user's inventory"; Open Cloud's inventory
/// listing says PERMISSION_DENIED when the caller may not see the user's inventory. The code and the
/// operation, not the English text, decide.
fn kind_of(status: StatusCode, entries: &[ErrorEntry], request: &RequestLine) -> ErrorKind {
    let has_code = |wanted: &ErrorCode| {
        entries
            .iter()
            .any(|entry| entry.code.as_ref() == Some(wanted))
    };
    match status.as_u16() {
        400 => ErrorKind::InvalidArgument,
        401 => ErrorKind::Unauthorized,
        403 if has_code(&ErrorCode::Number(4)) => ErrorKind::InventoryHidden,
        403 if request.path.ends_with("/inventory-items")
            && has_code(&ErrorCode::Name("PERMISSION_DENIED".to_owned())) =>
        {
            ErrorKind::InventoryHidden
        }
        403 => ErrorKind::Forbidden,
        404 => ErrorKind::NotFound,
        429 => ErrorKind::RateLimited,
        500..=599 => ErrorKind::Server,
        _ => ErrorKind::Other,
    }
}

fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(reqwest::header::RETRY_AFTER)?.to_str().ok()?;
    value.trim().parse::<u64>().ok().map(Duration::from_secs)
}

fn api_error(
    request: RequestLine,
    status: StatusCode,
    headers: &HeaderMap,
    errors: Vec<ErrorEntry>,
    body: Bytes,
) -> Error {
    Error::Api(Box::new(ApiError {
        kind: kind_of(status, &errors, &request),
        retry_after: retry_after(headers),
        request,
        status,
        errors,
        body,
    }))
}

/// Converts an error of a generated client, for the request `request`.
pub(crate) async fn from_generated<E: ErrorBody>(
    error: progenitor_client::Error<E>,
    request: RequestLine,
) -> Error {
    use progenitor_client::Error as Generated;
    match error {
        Generated::ErrorResponse(response) => {
            let status = response.status();
            let headers = response.headers().clone();
            let body = response.into_inner();
            let bytes = serde_json::to_vec(&body)
                .map(Bytes::from)
                .unwrap_or_default();
            api_error(request, status, &headers, body.entries(), bytes)
        }
        Generated::UnexpectedResponse(response) if response.status().is_redirection() => {
            Error::Redirect {
                request,
                status: response.status(),
                location: response
                    .headers()
                    .get(reqwest::header::LOCATION)
                    .and_then(|value| value.to_str().ok())
                    .map(str::to_owned),
            }
        }
        Generated::UnexpectedResponse(response) => {
            let status = response.status();
            let headers = response.headers().clone();
            match response.bytes().await {
                Ok(body) => {
                    let errors = decode_any_error_body(&body);
                    api_error(request, status, &headers, errors, body)
                }
                Err(source) => transport(request, source),
            }
        }
        // progenitor keeps no status for a body it cannot decode.
        Generated::InvalidResponsePayload(body, source) => Error::Decode {
            request,
            source,
            body,
        },
        Generated::CommunicationError(source)
        | Generated::ResponseBodyError(source)
        | Generated::InvalidUpgrade(source) => transport(request, source),
        Generated::InvalidRequest(message) | Generated::Custom(message) => {
            Error::InvalidRequest(message)
        }
    }
}

/// An error of reqwest's: a refused answer (see [`crate::refusal`]) or a transport failure.
fn transport(request: RequestLine, source: reqwest::Error) -> Error {
    match refusal_of(&source) {
        Some(Refusal::TooLarge { limit, declared }) => Error::ResponseTooLarge {
            request,
            limit: *limit,
            declared: *declared,
        },
        Some(Refusal::OtherOrigin { origin }) => Error::FollowedRedirect {
            request,
            origin: origin.clone(),
        },
        None => Error::Transport {
            request,
            source: source.without_url(),
        },
    }
}

/// Reads a body of an undocumented error status as any of Roblox's error shapes.
fn decode_any_error_body(body: &[u8]) -> Vec<ErrorEntry> {
    if let Ok(legacy) = serde_json::from_slice::<crate::legacy_v2::types::LegacyErrorResponse>(body)
        && !legacy.errors.is_empty()
    {
        return legacy.entries();
    }
    serde_json::from_slice::<OpenCloudError>(body)
        .map(|cloud| cloud.entries())
        .unwrap_or_default()
}
