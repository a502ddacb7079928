//! Finding the `x-wire-note` of ours that explains a difference.

use serde_json::{Map, Value};

const NOTE: &str = "x-wire-note";

pub(super) fn note_of(object: &Map<String, Value>) -> Option<&str> {
    object.get(NOTE).and_then(Value::as_str)
}

pub(super) fn value_note(value: &Value) -> Option<&str> {
    value.as_object().and_then(note_of)
}

/// Whether `note` names `word` as a whole word (so `id` does not match `valid`), outside its citations: the
/// `87` of `legacy-AssetType-enum.tsv:87-88` or the `1` of `WIRE-QUIRKS 1` does not name enum value 87 or 1.
pub(super) fn mentions(note: &str, word: &str) -> bool {
    let text = without_citations(note);
    let is_word = |c: char| c.is_alphanumeric() || c == '_';
    !word.is_empty()
        && text.match_indices(word).any(|(at, _)| {
            !text[..at].chars().next_back().is_some_and(is_word)
                && !text[at + word.len()..].chars().next().is_some_and(is_word)
        })
}

fn without_citations(note: &str) -> String {
    let mut kept = Vec::new();
    let mut after_quirks = false;
    for token in note.split_whitespace() {
        let bare = token.trim_matches(|c: char| matches!(c, '(' | ')' | ';' | ',' | '`'));
        let quirk_number = after_quirks && bare.starts_with(|c: char| c.is_ascii_digit());
        let file_line = bare.split_once(':').is_some_and(|(file, line)| {
            file.contains('.') && line.starts_with(|c: char| c.is_ascii_digit())
        });
        after_quirks = bare == "WIRE-QUIRKS";
        if !(after_quirks || quirk_number || file_line) {
            kept.push(token);
        }
    }
    kept.join(" ")
}

/// The note that explains a difference at a spot of ours: one that names `hint` if any does, else the nearest.
pub(super) fn note_at<'n>(notes: &[&'n str], hint: &str) -> Option<&'n str> {
    naming(notes, hint).or_else(|| notes.first().copied())
}

/// For an element only upstream has, only a note that names it explains it.
pub(super) fn naming<'n>(notes: &[&'n str], name: &str) -> Option<&'n str> {
    notes.iter().copied().find(|note| mentions(note, name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_note_mentions_whole_words_only() {
        assert!(mentions("named `packageID` upstream", "packageID"));
        assert!(!mentions("an invalid id", "valid"));
        assert!(!mentions("values 1993", "93"));
        assert!(mentions("adds 93 TextDocument", "93"));
        assert!(!mentions("(WIRE-QUIRKS 10; docs/enum.tsv:87-88)", "87"));
        assert!(!mentions("(WIRE-QUIRKS 10; docs/enum.tsv:87-88)", "10"));
        assert!(mentions("value 10 (WIRE-QUIRKS 10)", "10"));
    }
}
