//! The two error shapes handlers answer with: the legacy envelope and Open Cloud's v2 status error.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// What a legacy handler returns.
pub type LegacyReply = Result<Response, LegacyError>;

/// A legacy error: `{"errors":[{"code":N,"message":"..."}]}` with its status.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{status} code {code}: {message}")]
pub struct LegacyError {
    pub status: StatusCode,
    pub code: i32,
    pub message: String,
}

impl LegacyError {
    pub fn new(status: StatusCode, code: i32, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
        }
    }

    pub fn bad_request(code: i32, message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, message)
    }

    pub fn forbidden(code: i32, message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, code, message)
    }

    pub fn unauthorized() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            0,
            "Authorization has been denied for this request.",
        )
    }
}

impl IntoResponse for LegacyError {
    fn into_response(self) -> Response {
        let body = json!({"errors": [{"code": self.code, "message": self.message}]});
        (self.status, Json(body)).into_response()
    }
}

/// An Open Cloud v2 error: `{"code":"INVALID_ARGUMENT","message":"...","details":[]}`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{status} {code}: {message}")]
pub struct CloudError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
}

impl CloudError {
    pub fn invalid_argument(message: impl Into<String>) -> Self {
        Self {
            status: StatusCode::BAD_REQUEST,
            code: "INVALID_ARGUMENT",
            message: message.into(),
        }
    }

    pub fn permission_denied(message: impl Into<String>) -> Self {
        Self {
            status: StatusCode::FORBIDDEN,
            code: "PERMISSION_DENIED",
            message: message.into(),
        }
    }
}

impl IntoResponse for CloudError {
    fn into_response(self) -> Response {
        let body = json!({"code": self.code, "message": self.message, "details": []});
        (self.status, Json(body)).into_response()
    }
}
