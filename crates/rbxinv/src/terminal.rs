//! Server text (and the command line clap rejects) made safe for a terminal. A message or an item name may
//! carry control characters that move the cursor, clear the screen or retitle the window (`ESC]0;…BEL`,
//! `ESC[2J`), or bidirectional overrides that make text read other than it is; they are shown as escapes
//! (`\u{1b}`) instead.

use std::borrow::Cow;

/// `text` with every control character and bidirectional override escaped; unchanged (and not copied) when it
/// has none.
pub fn escape_controls(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut escaped = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if needs_escape(c) {
            escaped.extend(c.escape_unicode());
        } else {
            escaped.push(c);
        }
    }
    Cow::Owned(escaped)
}

/// clap's multi-line usage errors keep their line breaks; every other control character is escaped.
pub fn escape_controls_but_newlines(text: &str) -> String {
    text.split('\n')
        .map(|line| escape_controls(line).into_owned())
        .collect::<Vec<_>>()
        .join("\n")
}

fn needs_escape(c: char) -> bool {
    // C0, DEL and C1 (which includes the one-byte CSI, U+009B), then the embeddings, overrides and isolates.
    c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_are_escaped_and_the_rest_kept() {
        assert_eq!(
            escape_controls("\u{1b}]0;pwned\u{7}Hat\u{1b}[2J"),
            "\\u{1b}]0;pwned\\u{7}Hat\\u{1b}[2J"
        );
        assert_eq!(escape_controls("a\u{9b}31mb\u{7f}"), "a\\u{9b}31mb\\u{7f}");
        assert_eq!(escape_controls("abc\u{202e}cba"), "abc\\u{202e}cba");
        assert_eq!(
            escape_controls("line\nnext\ttab"),
            "line\\u{a}next\\u{9}tab"
        );
    }

    #[test]
    fn line_breaks_alone_survive_in_multi_line_text() {
        assert_eq!(
            escape_controls_but_newlines("error: '\u{1b}[2J'\n\nUsage:\r\tx"),
            "error: '\\u{1b}[2J'\n\nUsage:\\u{d}\\u{9}x"
        );
    }

    #[test]
    fn plain_text_is_borrowed_unchanged() {
        for text in ["", "Dominus Empyreus", "ドミナス 👑", "a \\u{1b} b"] {
            assert!(matches!(escape_controls(text), Cow::Borrowed(same) if same == text));
        }
    }
}
