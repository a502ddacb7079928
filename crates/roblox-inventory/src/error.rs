//! One error type for every operation of the three APIs.

use std::error::Error as StdError;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use reqwest::StatusCode;
use roblox_inventory_core::{Operation, Request};
use serde::Serialize;

use roblox_inventory_cloud_v2::types::OpenCloudError;
use roblox_inventory_legacy_types::AssetType;
use roblox_inventory_legacy_types::LegacyErrorResponse;

/// What went wrong with a request.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Roblox answered with an error status (or a success status the spec does not list for the operation), with
    /// whatever its body said.
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
    /// Roblox's success answer is not what the spec says (a body of another shape); the body is kept. (An error
    /// status is [`Error::Api`] whatever its body.)
    #[error("{request}: the response does not decode ({source}); body: {}", body_preview(.body))]
    Decode {
        /// The request.
        request: RequestLine,
        /// What did not decode.
        source: serde_json::Error,
        /// The body, unchanged.
        body: Bytes,
    },
    /// The rate budget store (see [`BudgetStore`](crate::BudgetStore)) failed when asked whether the request may
    /// go; the request was not sent.
    #[error("{request}: not sent, the rate budget store failed: {source}")]
    Budget {
        /// The request.
        request: RequestLine,
        /// What the store said.
        source: BudgetError,
    },
    /// The request was not valid, and was not sent.
    #[error("invalid request: {0}")]
    InvalidRequest(#[from] InvalidRequest),
    /// The client could not be built.
    #[error("invalid client configuration: {0}")]
    Config(#[from] ConfigError),
}

/// Why a request the caller asked for was not sent.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum InvalidRequest {
    /// An id above what Roblox's APIs take (`i64::MAX`).
    #[error("{field} {value} is out of range (at most {max})", max = i64::MAX)]
    IdOutOfRange {
        /// The parameter, such as `user_id`.
        field: &'static str,
        /// What was given.
        value: u64,
    },
    /// An asset type known only by a name, where the request needs its id.
    #[error("asset type {asset_type} has no id")]
    AssetTypeWithoutId {
        /// The asset type.
        asset_type: AssetType,
    },
    /// A parameter the generated client could not turn into its type.
    #[error("{request}: {message}")]
    Parameter {
        /// The request.
        request: RequestLine,
        /// The generated client's message, naming the parameter.
        message: String,
    },
}

/// Why a client could not be built.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// A base URL that does not parse, or is not `http://` or `https://` with a host.
    #[error("{field} {value:?} {reason}")]
    InvalidUrl {
        /// `legacy_url` or `cloud_url`.
        field: &'static str,
        /// What was given.
        value: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A credential that is empty or cannot be an HTTP header value; the value is never shown.
    #[error(
        "{field} is empty or has characters an HTTP header cannot carry (control characters, non-ASCII)"
    )]
    InvalidCredential {
        /// `cookie`, or `api_key / oauth_token`.
        field: &'static str,
    },
    /// A credential that would cross the network unencrypted: a plain `http://` URL to a host that is not this
    /// machine (see `ClientBuilder::allow_insecure_http`).
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
    /// reqwest could not build its client (its TLS backend, for example).
    #[error("the HTTP client could not be built: {0}")]
    HttpClient(#[source] reqwest::Error),
}

/// `GET /v2/users/1/inventory`: which request failed, and the operation of the spec it is one of.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestLine {
    /// The operation, from its crate's operation table.
    pub operation: &'static Operation,
    /// The path, without the query string (which may carry a cursor or filter).
    pub path: String,
}

impl RequestLine {
    /// The request line of a generated request.
    pub fn of<R: Request>(request: &R) -> Self {
        Self {
            operation: R::OPERATION,
            path: request.path(),
        }
    }

    /// The HTTP method.
    pub fn method(&self) -> &'static str {
        self.operation.method
    }
}

impl fmt::Display for RequestLine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.operation.method, self.path)
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
    /// From `Retry-After` (seconds, or an HTTP date), when Roblox sent it.
    pub retry_after: Option<Duration>,
    /// The body as received.
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

/// A budget store's failure (its server unreachable, say). It names the store's problem and carries no
/// credential: a store never sees one.
#[derive(Clone, Debug)]
pub struct BudgetError {
    message: String,
    source: Option<Arc<dyn StdError + Send + Sync>>,
}

impl BudgetError {
    /// A failure described by `message` (say which store and what failed).
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            source: None,
        }
    }

    /// A failure described by `message`, caused by `source` (the store client's error).
    pub fn with_source(
        message: impl Into<String>,
        source: impl StdError + Send + Sync + 'static,
    ) -> Self {
        Self {
            message: message.into(),
            source: Some(Arc::new(source)),
        }
    }

    /// What failed.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for BudgetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if let Some(source) = &self.source {
            write!(f, ": {source}")?;
        }
        Ok(())
    }
}

impl StdError for BudgetError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.source
            .as_deref()
            .map(|source| source as &(dyn StdError + 'static))
    }
}

/// Legacy code 4 on a 403 is "You are not authorized to view this user's inventory"; Open Cloud's inventory
/// listing says PERMISSION_DENIED when the caller may not see the user's inventory. The code and the
/// operation (from the operation table), not the English text, decide.
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
        403 if *request.operation
            == roblox_inventory_cloud_v2::operations::LIST_INVENTORY_ITEMS
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

/// Roblox's answer of `status` to `request`, as the error it is: every entry of the body in whichever of
/// Roblox's error shapes it came (none when it is no error shape), and the body as received.
pub(crate) fn api_error(
    request: RequestLine,
    status: StatusCode,
    retry_after: Option<Duration>,
    body: Bytes,
) -> Error {
    let errors = error_entries(&body);
    Error::Api(Box::new(ApiError {
        kind: kind_of(status, &errors, &request),
        retry_after,
        request,
        status,
        errors,
        body,
    }))
}

/// A request reqwest could not send or whose answer it could not read. The source goes without its URL, whose
/// query may carry a cursor or a filter: `request` names the request.
pub(crate) fn transport_error(request: RequestLine, source: reqwest::Error) -> Error {
    Error::Transport {
        request,
        source: source.without_url(),
    }
}

/// Why a generated request could not be built: a parameter that is missing or could not be converted, or a URL
/// reqwest refuses.
pub(crate) fn not_built<E>(request: RequestLine, error: progenitor_client::Error<E>) -> Error {
    use progenitor_client::Error as Generated;
    match error {
        Generated::InvalidRequest(message) | Generated::Custom(message) => {
            Error::InvalidRequest(InvalidRequest::Parameter { request, message })
        }
        Generated::CommunicationError(source)
        | Generated::InvalidUpgrade(source)
        | Generated::ResponseBodyError(source) => transport_error(request, source),
        // Building a request reads no answer; should a generated crate ever say otherwise, the error still
        // names the request.
        Generated::ErrorResponse(_)
        | Generated::InvalidResponsePayload(..)
        | Generated::UnexpectedResponse(_) => Error::InvalidRequest(InvalidRequest::Parameter {
            request,
            message: "the generated request answered while it was being built".to_owned(),
        }),
    }
}

/// The entries of an error body in any of Roblox's error shapes: the legacy `{"errors": [...]}` (which the Open
/// Cloud gateway shares), or Open Cloud v2's `{"code": "...", "message": "..."}`. None for any other body.
fn error_entries(body: &[u8]) -> Vec<ErrorEntry> {
    if let Ok(legacy) = serde_json::from_slice::<LegacyErrorResponse>(body)
        && !legacy.errors.is_empty()
    {
        return legacy
            .errors
            .iter()
            .map(|entry| ErrorEntry {
                code: entry.code.map(|code| ErrorCode::Number(code.into())),
                message: entry.message.clone(),
                user_facing_message: entry.user_facing_message.clone(),
            })
            .collect();
    }
    match serde_json::from_slice::<OpenCloudError>(body) {
        Ok(OpenCloudError::GatewayError(body)) => body
            .errors
            .iter()
            .map(|entry| ErrorEntry {
                code: entry.code.map(|code| ErrorCode::Number(code.into())),
                message: entry.message.clone(),
                user_facing_message: None,
            })
            .collect(),
        Ok(OpenCloudError::StatusError(body)) => vec![ErrorEntry {
            code: Some(ErrorCode::Name(body.code.to_string())),
            message: body.message.clone(),
            user_facing_message: None,
        }],
        Err(_) => Vec::new(),
    }
}
