use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

/// The future a [`Middleware`] returns.
pub type MiddlewareFuture<'a> =
    Pin<Box<dyn Future<Output = reqwest::Result<reqwest::Response>> + Send + 'a>>;

/// Takes over sending a request for a generated client: authentication, retries, rate limiting.
pub trait Middleware: Send + Sync + 'static {
    /// Sends `request` (an operation's, named by its spec `operationId`) and returns the response.
    fn execute<'a>(
        &'a self,
        client: &'a reqwest::Client,
        request: reqwest::Request,
        operation_id: &'static str,
    ) -> MiddlewareFuture<'a>;
}

/// The state every generated client carries and runs around each request (progenitor's `ClientHooks`).
///
/// `Hooks::default()` sends requests as they are.
#[derive(Clone, Default)]
pub struct Hooks {
    middleware: Option<Arc<dyn Middleware>>,
}

impl Hooks {
    /// Hooks whose requests are sent by `middleware`.
    pub fn with_middleware(middleware: impl Middleware) -> Self {
        Self {
            middleware: Some(Arc::new(middleware)),
        }
    }

    /// Sends a request; `operation_id` is the spec's `operationId` of the operation it belongs to.
    pub async fn execute(
        &self,
        client: &reqwest::Client,
        request: reqwest::Request,
        operation_id: &'static str,
    ) -> reqwest::Result<reqwest::Response> {
        match &self.middleware {
            Some(middleware) => middleware.execute(client, request, operation_id).await,
            None => client.execute(request).await,
        }
    }
}

impl fmt::Debug for Hooks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Hooks")
            .field("middleware", &self.middleware.is_some())
            .finish()
    }
}
