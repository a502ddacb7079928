//! The legacy CSRF token: mutations must echo the current token in `x-csrf-token`.

use std::sync::Mutex;

use axum::http::{HeaderMap, Method};
use base64::Engine as _;

use super::mix;

/// The header carrying the token, in both directions.
pub(crate) const HEADER: &str = "x-csrf-token";

/// Whether a legacy request must carry the token; Roblox guards everything that can change state.
pub(crate) fn guards(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// One token for the whole server (Roblox ties it to the session; one is enough to exercise the retry dance).
#[derive(Debug)]
pub(crate) struct CsrfToken {
    salt: u64,
    state: Mutex<(u64, String)>,
}

impl CsrfToken {
    pub(crate) fn new(salt: u64) -> Self {
        Self {
            salt,
            state: Mutex::new((0, make_token(salt, 0))),
        }
    }

    /// `Err` carries the current token, to be sent back with the 403.
    pub(crate) fn check(&self, headers: &HeaderMap) -> Result<(), String> {
        let state = self
            .state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let presented = headers.get(HEADER).and_then(|value| value.to_str().ok());
        if presented == Some(state.1.as_str()) {
            Ok(())
        } else {
            Err(state.1.clone())
        }
    }

    pub(crate) fn rotate(&self) {
        let mut state = self
            .state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        state.0 += 1;
        state.1 = make_token(self.salt, state.0);
    }
}

// Twelve base64 characters, the length of a real Roblox token.
fn make_token(salt: u64, generation: u64) -> String {
    let bytes = mix(salt, generation).to_le_bytes();
    let extra = mix(generation, salt).to_le_bytes();
    let mut raw = [0u8; 9];
    raw[..8].copy_from_slice(&bytes);
    raw[8] = extra[0];
    base64::engine::general_purpose::STANDARD.encode(raw)
}
