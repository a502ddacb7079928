//! The legacy host's CSRF handshake: a mutation carries the current token; a 403 from the legacy host offering a
//! fresh one in `x-csrf-token` is answered by sending the mutation once more with it.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use reqwest::StatusCode;
use reqwest::header::{HeaderMap, HeaderName};

use super::credential::sensitive;

const CSRF_HEADER: HeaderName = HeaderName::from_static("x-csrf-token");

/// The legacy host's CSRF token, shared by every clone of the client and every task using one cookie.
#[derive(Debug, Default)]
pub(crate) struct CsrfToken {
    current: Mutex<Option<Arc<str>>>,
    refreshes: AtomicUsize,
}

impl CsrfToken {
    /// Puts the current token on `request`; returns it, for [`offered`](Self::offered) to compare with.
    pub(crate) fn attach(&self, request: &mut reqwest::Request) -> Option<Arc<str>> {
        let used = self.current.lock().expect("csrf lock").clone();
        if let Some(token) = used.as_deref().and_then(sensitive) {
            request.headers_mut().insert(CSRF_HEADER, token);
        }
        used
    }

    /// The token an answer of the legacy host offers: Roblox answers a missing or expired token with 403 and a
    /// fresh token in `x-csrf-token`; the header, not the message text ("Token Validation Failed"), marks it.
    pub(crate) fn offered(status: StatusCode, headers: &HeaderMap) -> Option<String> {
        headers
            .get(CSRF_HEADER)
            .and_then(|value| value.to_str().ok())
            .filter(|_| status == StatusCode::FORBIDDEN)
            .map(str::to_owned)
    }

    /// A request sent with `used` came back offering `offered`: installs it, and puts the token to resend with
    /// on `retry`. If another request already replaced the token `used` was, that one is used instead: many
    /// requests meeting one expired token cause one refresh, not one each.
    pub(crate) fn refresh(
        &self,
        used: Option<&Arc<str>>,
        offered: &str,
        retry: &mut reqwest::Request,
    ) {
        let token = {
            let mut current = self.current.lock().expect("csrf lock");
            match current.as_ref().filter(|newer| Some(*newer) != used) {
                Some(newer) => newer.clone(),
                None => {
                    let token: Arc<str> = Arc::from(offered);
                    *current = Some(token.clone());
                    self.refreshes.fetch_add(1, Ordering::Relaxed);
                    token
                }
            }
        };
        if let Some(value) = sensitive(&token) {
            retry.headers_mut().insert(CSRF_HEADER, value);
        }
    }

    /// How many times the token was replaced.
    pub(crate) fn refreshes(&self) -> usize {
        self.refreshes.load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn delete() -> reqwest::Request {
        let url = reqwest::Url::parse("https://inventory.roblox.com/v2/inventory/asset/1").unwrap();
        reqwest::Request::new(reqwest::Method::DELETE, url)
    }

    fn token_on(request: &reqwest::Request) -> Option<&str> {
        request
            .headers()
            .get(CSRF_HEADER)
            .map(|value| value.to_str().unwrap())
    }

    #[test]
    fn a_refresh_by_another_request_is_reused() {
        let csrf = CsrfToken::default();
        let mut retry = delete();
        csrf.refresh(None, "one", &mut retry);
        assert_eq!(token_on(&retry), Some("one"));
        let first = csrf.attach(&mut delete());
        // A request that was sent without a token before "one" was installed uses "one", not its own offer.
        let mut late = delete();
        csrf.refresh(None, "two", &mut late);
        assert_eq!(token_on(&late), Some("one"));
        // A request that used the now-stale "one" installs the new token.
        let mut stale = delete();
        csrf.refresh(first.as_ref(), "three", &mut stale);
        assert_eq!(token_on(&stale), Some("three"));
        assert_eq!(csrf.refreshes(), 2);
        let mut next = delete();
        assert_eq!(csrf.attach(&mut next).as_deref(), Some("three"));
        assert_eq!(token_on(&next), Some("three"));
        assert!(next.headers()[CSRF_HEADER].is_sensitive());
    }

    #[test]
    fn only_a_403_offers_a_token() {
        let mut headers = HeaderMap::new();
        headers.insert(CSRF_HEADER, "fresh".parse().unwrap());
        assert_eq!(
            CsrfToken::offered(StatusCode::FORBIDDEN, &headers).as_deref(),
            Some("fresh")
        );
        assert_eq!(CsrfToken::offered(StatusCode::OK, &headers), None);
        assert_eq!(
            CsrfToken::offered(StatusCode::FORBIDDEN, &HeaderMap::new()),
            None
        );
    }
}
