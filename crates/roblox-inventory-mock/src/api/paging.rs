//! Opaque cursors and the walk over a sequence that serves one page.
//!
//! A cursor is base64 of a small JSON object: the position to continue from, the direction, and a
//! fingerprint of the request's other parameters, so that a cursor replayed with different parameters is
//! rejected as Roblox does. Positions index the unfiltered sequence in sort order, so a page of a filtered
//! million-item inventory costs only the items it looks at, and a request looks at a bounded number of them:
//! a page may come back short, even empty, with a cursor to where it stopped.

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

/// How many more positions a request may examine.
struct Budget(u64);

impl Budget {
    fn spend(&mut self) -> bool {
        let left = self.0 > 0;
        self.0 = self.0.saturating_sub(1);
        left
    }
}

impl<T, F: Fn(u64) -> Option<T>> Sequence<F> {
    fn at(&self, index: u64) -> Option<T> {
        let raw = if self.descending {
            // Not `len - (index + 1)`: `index + 1` overflows for a forged cursor at u64::MAX.
            self.len.checked_sub(1)?.checked_sub(index)?
        } else {
            index
        };
        (self.get)(raw)
    }

    /// Where the next page starts: the first item at or after `start`, or where the budget ran out (a page
    /// there may be empty); `None` when nothing is left.
    fn next_from(&self, start: u64, budget: &mut Budget) -> Option<u64> {
        let mut index = start;
        while index < self.len {
            if !budget.spend() || self.at(index).is_some() {
                return Some(index);
            }
            index += 1;
        }
        None
    }

    /// Where the previous page ends (it holds the items before the returned position): just after the last
    /// item before `end`, or where the budget ran out; `None` when nothing comes before `end`.
    fn previous_before(&self, end: u64, budget: &mut Budget) -> Option<u64> {
        let mut index = end.min(self.len);
        while index > 0 {
            if !budget.spend() || self.at(index - 1).is_some() {
                return Some(index);
            }
            index -= 1;
        }
        None
    }

    /// The page of at most `limit` items at `position`, examining at most `max_examined` positions (at least
    /// one, so that every cursor moves on). When the budget runs out first, the page is short and its cursors
    /// lead on from where the examination stopped.
    pub fn window(&self, position: Position, limit: usize, max_examined: u64) -> Window<T> {
        let mut budget = Budget(max_examined.max(1));
        let mut found: Vec<(u64, T)> = Vec::with_capacity(limit.min(1024));
        let (next, previous) = if position.backward {
            let end = position.index.min(self.len);
            let mut index = end;
            while index > 0 && found.len() < limit && budget.spend() {
                index -= 1;
                if let Some(item) = self.at(index) {
                    found.push((index, item));
                }
            }
            found.reverse();
            // Positions between the page and `end` hold nothing, so the next page starts looking at `end`.
            let previous = self.previous_before(index, &mut budget);
            (self.next_from(end, &mut budget), previous)
        } else {
            let mut index = position.index;
            while index < self.len && found.len() < limit && budget.spend() {
                if let Some(item) = self.at(index) {
                    found.push((index, item));
                }
                index += 1;
            }
            let next = self.next_from(index, &mut budget);
            let first = found.first().map_or(position.index, |(index, _)| *index);
            (next, self.previous_before(first, &mut budget))
        };
        Window {
            items: found.into_iter().map(|(_, item)| item).collect(),
            next: next.map(|index| Position {
                index,
                backward: false,
            }),
            previous: previous.map(|index| Position {
                index,
                backward: true,
            }),
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
        let first = seq.window(Position::START, 2, u64::MAX);
        assert_eq!(first.items, [0, 2]);
        assert!(first.previous.is_none());
        let second = seq.window(first.next.unwrap(), 2, u64::MAX);
        assert_eq!(second.items, [4, 6]);
        let third = seq.window(second.next.unwrap(), 2, u64::MAX);
        assert_eq!(third.items, [8]);
        assert!(third.next.is_none());
        let back = seq.window(third.previous.unwrap(), 2, u64::MAX);
        assert_eq!(back.items, [4, 6]);
        assert_eq!(
            seq.window(back.previous.unwrap(), 2, u64::MAX).items,
            [0, 2]
        );
    }

    #[test]
    fn descending_reverses() {
        let seq = evens(5, true);
        assert_eq!(seq.window(Position::START, 10, u64::MAX).items, [4, 2, 0]);
    }

    #[test]
    fn cursors_at_the_top_of_u64_answer_without_overflow() {
        for descending in [false, true] {
            let seq = Sequence {
                len: u64::MAX,
                descending,
                get: Some,
            };
            let raw = |index: u64| {
                if descending {
                    u64::MAX - 1 - index
                } else {
                    index
                }
            };
            let at = |index, backward| {
                seq.window(
                    Position { index, backward },
                    3,
                    crate::world::DEFAULT_MAX_EXAMINED_PER_REQUEST,
                )
            };

            let last = at(u64::MAX - 1, false);
            assert_eq!(last.items, [raw(u64::MAX - 1)], "descending {descending}");
            assert_eq!(last.next, None);
            assert_eq!(last.previous.map(|p| p.backward), Some(true));

            let past = at(u64::MAX, false);
            assert!(past.items.is_empty());
            assert_eq!(past.next, None);

            let before_last = at(u64::MAX - 1, true);
            let expected: Vec<u64> = (u64::MAX - 4..u64::MAX - 1).map(raw).collect();
            assert_eq!(before_last.items, expected);
            assert_eq!(
                before_last.next,
                Some(Position {
                    index: u64::MAX - 1,
                    backward: false
                })
            );

            let before_end = at(u64::MAX, true);
            let expected: Vec<u64> = (u64::MAX - 3..u64::MAX).map(raw).collect();
            assert_eq!(before_end.items, expected);
            assert_eq!(before_end.next, None);
        }
    }

    #[test]
    fn a_selection_matching_nothing_examines_only_the_budget_and_moves_on() {
        let examined = std::cell::Cell::new(0u64);
        let seq = Sequence {
            len: 1_000_000_000_000,
            descending: false,
            get: |_| {
                examined.set(examined.get() + 1);
                None::<u64>
            },
        };
        let first = seq.window(Position::START, 100, 1_000);
        assert!(first.items.is_empty());
        assert_eq!(examined.get(), 1_000);
        assert_eq!(first.previous, None, "nothing can come before the start");
        let next = first
            .next
            .expect("a cursor to where the examination stopped");
        assert_eq!(next.index, 1_000);

        let second = seq.window(next, 100, 1_000);
        assert!(second.items.is_empty());
        assert_eq!(examined.get(), 2_000);
        assert_eq!(second.next.map(|p| p.index), Some(2_000));
        let back = second.previous.expect("unexamined positions before");
        assert_eq!(back.index, 1_000);
        assert!(back.backward);

        let first_again = seq.window(back, 100, 1_000);
        assert!(first_again.items.is_empty());
        assert_eq!(examined.get(), 3_000);
        assert_eq!(first_again.previous, None);
        assert_eq!(first_again.next.map(|p| p.index), Some(1_000));
    }

    /// Every page of `seq` from the start, following next cursors: the items in order, how many pages, and
    /// the last page.
    fn walk_forward<F: Fn(u64) -> Option<u64>>(
        seq: &Sequence<F>,
        limit: usize,
        budget: u64,
    ) -> (Vec<u64>, usize, Window<u64>) {
        let mut items = Vec::new();
        let mut page = seq.window(Position::START, limit, budget);
        let mut pages = 1;
        loop {
            items.extend(page.items.iter().copied());
            let Some(next) = page.next else {
                return (items, pages, page);
            };
            assert!(pages < 100_000, "the scan does not end");
            page = seq.window(next, limit, budget);
            pages += 1;
        }
    }

    #[test]
    fn a_small_budget_still_lists_sparse_items_each_once_in_order_both_ways() {
        let len = 1_000;
        for descending in [false, true] {
            let seq = Sequence {
                len,
                descending,
                get: |i: u64| i.is_multiple_of(37).then_some(i),
            };
            let expected = walk_forward(&seq, 1_000, u64::MAX).0;
            assert_eq!(expected.len(), 28);
            for limit in [1, 3, 10] {
                for budget in [1, 2, 10, 36, 37, 100, u64::MAX] {
                    let case = format!("descending {descending}, limit {limit}, budget {budget}");
                    let (items, pages, last) = walk_forward(&seq, limit, budget);
                    assert_eq!(items, expected, "{case}");
                    if budget <= 10 {
                        assert!(
                            pages > expected.len().div_ceil(limit),
                            "short pages: {case}"
                        );
                    }

                    // Back from the last page, as a legacy client walking previous cursors.
                    let mut back = last.items.clone();
                    let mut previous = last.previous;
                    let mut steps = 0;
                    while let Some(position) = previous {
                        let page = seq.window(position, limit, budget);
                        back.splice(0..0, page.items);
                        previous = page.previous;
                        steps += 1;
                        assert!(steps < 100_000, "the walk back does not end: {case}");
                    }
                    assert_eq!(back, expected, "back: {case}");
                }
            }
        }
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
