//! Credentials (API keys, OAuth tokens, the `.ROBLOSECURITY` cookie) in a type that never prints them, and the
//! headers that carry them to their host.

use std::fmt;
use std::sync::Arc;

use reqwest::header::{AUTHORIZATION, COOKIE, HeaderName, HeaderValue};

use super::rate_limit::RateLimit;

const API_KEY_HEADER: HeaderName = HeaderName::from_static("x-api-key");

/// A credential. `Debug` and `Display` print `***`; only [`Secret::expose`] gives the value, and the crate calls
/// it only to build the header for the host the secret belongs to.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(Arc<str>);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(Arc::from(value.into()))
    }

    /// The secret itself. Keep it out of logs and errors.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self::new(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Self::new(value)
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// How requests to Open Cloud authenticate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CloudCredential {
    /// An Open Cloud API key, sent as `x-api-key`.
    ApiKey(Secret),
    /// An OAuth 2.0 access token, sent as `Authorization: Bearer`.
    OAuthToken(Secret),
}

/// What the client says of and does with one kind of Open Cloud credential, beside its header
/// ([`CloudCredential::header`]).
pub(crate) struct CloudCredentialKind {
    /// How an error names it.
    pub described: &'static str,
    /// Its kind in budget keys.
    pub key_name: &'static str,
    /// How the client's `Debug` shows it.
    pub redacted: &'static str,
    /// Roblox's documented limit for it, unless the builder sets one.
    pub documented_limit: RateLimit,
}

impl CloudCredential {
    pub(crate) fn secret(&self) -> &Secret {
        match self {
            CloudCredential::ApiKey(secret) | CloudCredential::OAuthToken(secret) => secret,
        }
    }

    /// The header that carries the credential: `x-api-key`, or `Authorization: Bearer`.
    pub(crate) fn header(&self) -> Option<(HeaderName, HeaderValue)> {
        match self {
            CloudCredential::ApiKey(key) => {
                sensitive(key.expose()).map(|value| (API_KEY_HEADER, value))
            }
            CloudCredential::OAuthToken(token) => {
                sensitive(&format!("Bearer {}", token.expose())).map(|value| (AUTHORIZATION, value))
            }
        }
    }

    pub(crate) fn kind(&self) -> &'static CloudCredentialKind {
        match self {
            CloudCredential::ApiKey(_) => &CloudCredentialKind {
                described: "the API key",
                key_name: "api-key",
                redacted: "api key ***",
                documented_limit: RateLimit::API_KEY,
            },
            CloudCredential::OAuthToken(_) => &CloudCredentialKind {
                described: "the OAuth token",
                key_name: "oauth-token",
                redacted: "oauth token ***",
                documented_limit: RateLimit::OAUTH_TOKEN,
            },
        }
    }
}

/// The header that carries the legacy host's `.ROBLOSECURITY` cookie.
pub(crate) fn cookie_header(cookie: &Secret) -> Option<(HeaderName, HeaderValue)> {
    sensitive(&format!(".ROBLOSECURITY={}", cookie.expose())).map(|value| (COOKIE, value))
}

/// `value` as a header value that no `Debug` prints; `None` for a value no header can carry (empty, control
/// characters, non-ASCII).
pub(crate) fn sensitive(value: &str) -> Option<HeaderValue> {
    let mut value = HeaderValue::from_str(value).ok()?;
    value.set_sensitive(true);
    Some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_prints_the_value() {
        let secret = Secret::new("_|WARNING:-DO-NOT-SHARE-THIS.--abc");
        assert_eq!(format!("{secret:?}"), "Secret(***)");
        assert_eq!(secret.to_string(), "***");
        let credential = CloudCredential::ApiKey(secret.clone());
        assert!(!format!("{credential:?}").contains("abc"));
        assert_eq!(secret.expose(), "_|WARNING:-DO-NOT-SHARE-THIS.--abc");
    }

    #[test]
    fn credential_headers_are_sensitive_and_name_their_host_s_header() {
        let (name, value) = cookie_header(&Secret::new("SECRET-COOKIE")).unwrap();
        assert_eq!(name, COOKIE);
        assert_eq!(value, ".ROBLOSECURITY=SECRET-COOKIE");
        assert!(value.is_sensitive());
        assert!(!format!("{value:?}").contains("SECRET"));
        let (name, value) = CloudCredential::ApiKey(Secret::new("key"))
            .header()
            .unwrap();
        assert_eq!(
            (name, value),
            (API_KEY_HEADER, HeaderValue::from_static("key"))
        );
        let (name, value) = CloudCredential::OAuthToken(Secret::new("token"))
            .header()
            .unwrap();
        assert_eq!(
            (name, value),
            (AUTHORIZATION, HeaderValue::from_static("Bearer token"))
        );
        assert_eq!(cookie_header(&Secret::new("line\nbreak")), None);
    }
}
