//! Who is calling: the `.ROBLOSECURITY` cookie on the legacy hosts, `x-api-key` or a bearer token on Open Cloud.

use std::fmt;

use axum::http::{HeaderMap, header};

use super::{Caller, Host};

/// Valid secrets, each as (secret, owner user id). `Debug` shows the owners but never the secrets.
#[derive(Clone, Default)]
pub struct Credentials {
    /// Valid `.ROBLOSECURITY` cookie values and the user each one logs in.
    pub cookies: Vec<(String, u64)>,
    /// Valid Open Cloud API keys (`x-api-key`) and the user who owns each; rate limits count per owner.
    pub api_keys: Vec<(String, u64)>,
    /// Valid OAuth 2.0 access tokens (`Authorization: Bearer`) and the user who authorized each.
    pub oauth_tokens: Vec<(String, u64)>,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let owners =
            |list: &[(String, u64)]| list.iter().map(|(_, owner)| *owner).collect::<Vec<_>>();
        f.debug_struct("Credentials")
            .field("cookies (owners; secrets redacted)", &owners(&self.cookies))
            .field(
                "api_keys (owners; secrets redacted)",
                &owners(&self.api_keys),
            )
            .field(
                "oauth_tokens (owners; secrets redacted)",
                &owners(&self.oauth_tokens),
            )
            .finish()
    }
}

/// Why a request is refused; the message is the one Roblox puts in the body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub(crate) enum AuthError {
    /// A cookie-only legacy operation without a valid cookie.
    #[error("Authorization has been denied for this request.")]
    Legacy,
    /// Open Cloud without credentials, or with an unknown API key.
    #[error("Invalid API Key")]
    ApiKey,
    /// Open Cloud with an unknown bearer token.
    #[error("Invalid OAuth access token")]
    Bearer,
}

/// Legacy operations that need a cookie (the docs' security is cookie-only there); every other legacy
/// operation also serves anonymous callers.
fn cookie_required(operation: &str) -> bool {
    matches!(
        operation,
        "POST /v1/collections/items/{}/{}"
            | "DELETE /v1/collections/items/{}/{}"
            | "DELETE /v2/inventory/asset/{}"
            | "GET /v2/collectible-items/{}/owners"
    )
}

/// The caller a request authenticates as. Only the outcome leaves this module: the rate limit keys its
/// buckets by who the caller is, never by the secret text, so that invented secrets cannot grow its state.
pub(crate) fn identify(
    credentials: &Credentials,
    host: Host,
    operation: &str,
    headers: &HeaderMap,
) -> Result<Caller, AuthError> {
    match host {
        Host::Legacy => {
            match roblosecurity(headers).and_then(|secret| owner(&credentials.cookies, secret)) {
                Some(user_id) => Ok(Caller::Cookie { user_id }),
                // An unknown cookie is ignored where anonymous callers are served, as an expired session is.
                None if cookie_required(operation) => Err(AuthError::Legacy),
                None => Ok(Caller::Anonymous),
            }
        }
        Host::OpenCloud => {
            // The API key wins if both are sent, as the docs list it first.
            if let Some(key) = header_str(headers, "x-api-key") {
                owner(&credentials.api_keys, key)
                    .map(|owner_id| Caller::ApiKey { owner_id })
                    .ok_or(AuthError::ApiKey)
            } else if let Some(token) = bearer(headers) {
                owner(&credentials.oauth_tokens, token)
                    .map(|user_id| Caller::OAuth { user_id })
                    .ok_or(AuthError::Bearer)
            } else {
                Err(AuthError::ApiKey)
            }
        }
    }
}

fn owner(list: &[(String, u64)], secret: &str) -> Option<u64> {
    list.iter()
        .find(|(known, _)| known == secret)
        .map(|(_, owner)| *owner)
}

fn header_str<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get(name)
        .and_then(|value| value.to_str().ok())
        .filter(|value| !value.is_empty())
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = header_str(headers, header::AUTHORIZATION.as_str())?;
    let (scheme, token) = value.split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

// Clients may send several Cookie headers or several cookies in one.
fn roblosecurity(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == ".ROBLOSECURITY")
        .map(|(_, value)| value)
        .filter(|value| !value.is_empty())
}
