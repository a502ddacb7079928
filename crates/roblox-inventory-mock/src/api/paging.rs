//! Opaque cursors and the walk over a sequence that serves one page.
//!
//! A cursor is base64 of a small JSON object: the position to continue from, the direction, and a
//! fingerprint of the request's other parameters, so that a cursor replayed with different parameters is
//! rejected as Roblox does. Positions index the unfiltered sequence in sort order, so a page of a filtered
//! million-item inventory costs only the items it looks at.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};

use crate::world::hash::fnv1a;

/// Where a page starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Position {
    /// Index in sort order.
    #[serde(rename = "k")]
    pub index: u64,
    /// True for a previous-page cursor: the page is the items before `index`.
    #[serde(rename = "b", default)]
    pub backward: bool,
}

impl Position {
    pub const START: Self = Self {
        index: 0,
        backward: false,
    };
}

#[derive(Serialize, Deserialize)]
struct CursorBody {
    #[serde(flatten)]
    position: Position,
    #[serde(rename = "h")]
    fingerprint: String,
}

/// Why a cursor was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CursorError {
    #[error("the cursor {0:?} is not one this server issued")]
    Malformed(String),
    #[error("the cursor {0:?} was issued for different request parameters")]
    OtherParameters(String),
}

/// The fingerprint of a request's parameters, as carried in its cursors.
pub fn fingerprint(parameters: &str) -> String {
    format!("{:016x}", fnv1a(parameters))
}

/// Encodes a cursor; `prefix` is `v1/` for Open Cloud tokens (their decoded form starts so), empty for legacy.
pub fn encode(prefix: &str, position: Position, parameters: &str) -> String {
    let body = CursorBody {
        position,
        fingerprint: fingerprint(parameters),
    };
    let json = serde_json::to_string(&body).unwrap_or_default();
    URL_SAFE_NO_PAD.encode(format!("{prefix}{json}"))
}

/// Decodes a cursor issued by [`encode`] for the same parameters; empty means the first page.
pub fn decode(prefix: &str, cursor: &str, parameters: &str) -> Result<Position, CursorError> {
    if cursor.is_empty() {
        return Ok(Position::START);
    }
    let malformed = || CursorError::Malformed(cursor.to_owned());
    let bytes = URL_SAFE_NO_PAD
        .decode(cursor.trim_end_matches('='))
        .map_err(|_| malformed())?;
    let text = String::from_utf8(bytes).map_err(|_| malformed())?;
    let json = text.strip_prefix(prefix).ok_or_else(malformed)?;
    let body: CursorBody = serde_json::from_str(json).map_err(|_| malformed())?;
    if body.fingerprint != fingerprint(parameters) {
        return Err(CursorError::OtherParameters(cursor.to_owned()));
    }
    Ok(body.position)
}

/// One page and where its neighbours start.
#[derive(Debug)]
pub struct Window<T> {
    pub items: Vec<T>,
    pub next: Option<Position>,
    pub previous: Option<Position>,
}

/// A sequence addressed by index in sort order; `None` where a position holds nothing the request selects.
pub struct Sequence<F> {
    pub len: u64,
    pub descending: bool,
    pub get: F,
}

impl<T, F: Fn(u64) -> Option<T>> Sequence<F> {
    fn at(&self, index: u64) -> Option<T> {
        let raw = if self.descending {
            self.len.checked_sub(index + 1)?
        } else {
            index
        };
        (self.get)(raw)
    }

    fn any_from(&self, start: u64) -> Option<u64> {
        (start..self.len).find(|index| self.at(*index).is_some())
    }

    fn any_before(&self, end: u64) -> bool {
        (0..end.min(self.len))
            .rev()
            .any(|index| self.at(index).is_some())
    }

    /// The page of at most `limit` items at `position`.
    pub fn window(&self, position: Position, limit: usize) -> Window<T> {
        let mut found: Vec<(u64, T)> = Vec::with_capacity(limit.min(1024));
        if position.backward {
            let mut index = position.index.min(self.len);
            while index > 0 && found.len() < limit {
                index -= 1;
                if let Some(item) = self.at(index) {
                    found.push((index, item));
                }
            }
            found.reverse();
        } else {
            let mut index = position.index;
            while index < self.len && found.len() < limit {
                if let Some(item) = self.at(index) {
                    found.push((index, item));
                }
                index += 1;
            }
        }
        let first = found.first().map_or(position.index, |(index, _)| *index);
        let after = found.last().map_or(position.index, |(index, _)| index + 1);
        let next = self.any_from(after).map(|index| Position {
            index,
            backward: false,
        });
        let previous = self.any_before(first).then_some(Position {
            index: first,
            backward: true,
        });
        Window {
            items: found.into_iter().map(|(_, item)| item).collect(),
            next,
            previous,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn evens(len: u64, descending: bool) -> Sequence<impl Fn(u64) -> Option<u64>> {
        Sequence {
            len,
            descending,
            get: |i: u64| i.is_multiple_of(2).then_some(i),
        }
    }

    #[test]
    fn forward_and_back_visit_the_same_pages() {
        let seq = evens(10, false);
        let first = seq.window(Position::START, 2);
        assert_eq!(first.items, [0, 2]);
        assert!(first.previous.is_none());
        let second = seq.window(first.next.unwrap(), 2);
        assert_eq!(second.items, [4, 6]);
        let third = seq.window(second.next.unwrap(), 2);
        assert_eq!(third.items, [8]);
        assert!(third.next.is_none());
        let back = seq.window(third.previous.unwrap(), 2);
        assert_eq!(back.items, [4, 6]);
        assert_eq!(seq.window(back.previous.unwrap(), 2).items, [0, 2]);
    }

    #[test]
    fn descending_reverses() {
        let seq = evens(5, true);
        assert_eq!(seq.window(Position::START, 10).items, [4, 2, 0]);
    }

    #[test]
    fn cursors_round_trip_and_bind_their_parameters() {
        let position = Position {
            index: 7,
            backward: true,
        };
        let cursor = encode("v1/", position, "a=1");
        assert_eq!(decode("v1/", &cursor, "a=1"), Ok(position));
        assert!(matches!(
            decode("v1/", &cursor, "a=2"),
            Err(CursorError::OtherParameters(_))
        ));
        assert!(matches!(
            decode("v1/", "%%%", "a=1"),
            Err(CursorError::Malformed(_))
        ));
    }
}
