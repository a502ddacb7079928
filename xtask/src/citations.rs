//! The evidence an `x-wire-note` cites, and whether it exists: each `WIRE-QUIRKS <n>` must be a numbered quirk of
//! `WIRE-QUIRKS.md`, each `<file>:<line>` a file under the reference folder with that line. The reference
//! material sits beside the workspace (`../shared/reference`) in the development environment only, so the check
//! runs wherever it is present.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

/// One piece of evidence named by a note.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Citation {
    /// `WIRE-QUIRKS 5`: the numbered entry of WIRE-QUIRKS.md.
    Quirk(u32),
    /// `responses/page.json:2-3`: lines `first..=last` of a file under the reference folder.
    Lines {
        file: String,
        first: usize,
        last: usize,
    },
}

/// Every citation in a note, in order. `file:5-16` is one range; `file:37,44` cites lines 37 and 44.
pub fn citations(note: &str) -> Vec<Citation> {
    let mut found = Vec::new();
    for (at, word) in note.match_indices("WIRE-QUIRKS") {
        let digits: String = note[at + word.len()..]
            .trim_start_matches([' ', '#'])
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        if let Ok(number) = digits.parse() {
            found.push(Citation::Quirk(number));
        }
    }
    for token in note.split(|c: char| c.is_whitespace() || matches!(c, ';' | '(' | ')' | '`')) {
        let token = token.trim_end_matches([',', '.']);
        let Some((file, lines)) = token.split_once(':') else {
            continue;
        };
        if !file.contains('.') || !lines.starts_with(|c: char| c.is_ascii_digit()) {
            continue;
        }
        for part in lines.split(',') {
            let (first, last) = part.split_once('-').unwrap_or((part, part));
            if let (Ok(first), Ok(last)) = (first.parse(), last.parse()) {
                found.push(Citation::Lines {
                    file: file.to_owned(),
                    first,
                    last,
                });
            }
        }
    }
    found
}

/// What is wrong with each citation of every `x-wire-note` and `x-assumption` in `spec` that `reference` cannot
/// back, one line each, naming the location and the citation.
pub fn unresolved(spec: &Value, reference: &Path) -> Vec<String> {
    let mut files = LineCounts::new(reference);
    let quirks = quirk_numbers(reference);
    let mut problems = Vec::new();
    let mut check_all = |where_: String, text: &str| {
        for citation in citations(text) {
            if let Some(problem) = check(&citation, &quirks, &mut files) {
                problems.push(format!("{where_}: {problem}"));
            }
        }
    };
    crate::walk::visit_notes(spec, &mut |pointer, note| {
        check_all(pointer.to_owned(), note)
    });
    for assumption in crate::assumptions::of("", spec) {
        check_all(assumption.location, &assumption.text);
    }
    problems.sort();
    problems
}

fn check(citation: &Citation, quirks: &[u32], files: &mut LineCounts) -> Option<String> {
    match citation {
        Citation::Quirk(number) if quirks.contains(number) => None,
        Citation::Quirk(number) => Some(format!(
            "cites WIRE-QUIRKS {number}, which WIRE-QUIRKS.md does not number"
        )),
        Citation::Lines { file, first, last } => match files.lines(file) {
            None => Some(format!(
                "cites {file}, which is not in the reference folder"
            )),
            Some(_) if first > last || *first == 0 => Some(format!(
                "cites {file}:{first}-{last}, which is not a range of lines"
            )),
            Some(count) if *last > count => Some(format!(
                "cites {file}:{last}, but the file has {count} lines"
            )),
            Some(_) => None,
        },
    }
}

/// The numbers of WIRE-QUIRKS.md's entries: lines that open with `<n>. `.
fn quirk_numbers(reference: &Path) -> Vec<u32> {
    let text = std::fs::read_to_string(reference.join("WIRE-QUIRKS.md")).unwrap_or_default();
    text.lines()
        .filter_map(|line| line.split_once(". ")?.0.parse().ok())
        .collect()
}

/// Line counts of reference files, each read once.
struct LineCounts {
    reference: PathBuf,
    counts: HashMap<String, Option<usize>>,
}

impl LineCounts {
    fn new(reference: &Path) -> Self {
        LineCounts {
            reference: reference.to_path_buf(),
            counts: HashMap::new(),
        }
    }

    fn lines(&mut self, file: &str) -> Option<usize> {
        let reference = &self.reference;
        *self.counts.entry(file.to_owned()).or_insert_with(|| {
            let inside = !file.split('/').any(|part| part == ".." || part.is_empty());
            let text = std::fs::read(reference.join(file))
                .ok()
                .filter(|_| inside)?;
            Some(text.split(|&byte| byte == b'\n').count() - usize::from(text.ends_with(b"\n")))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_note_cites_quirks_single_lines_ranges_and_lists() {
        let note = "null here (WIRE-QUIRKS 5; responses/page.json:2-3; docs/a.txt:37,44), see WIRE-QUIRKS #20.";
        assert_eq!(
            citations(note),
            [
                Citation::Quirk(5),
                Citation::Quirk(20),
                Citation::Lines {
                    file: "responses/page.json".into(),
                    first: 2,
                    last: 3
                },
                Citation::Lines {
                    file: "docs/a.txt".into(),
                    first: 37,
                    last: 37
                },
                Citation::Lines {
                    file: "docs/a.txt".into(),
                    first: 44,
                    last: 44
                },
            ]
        );
        assert!(citations("https://apis.roblox.com/cloud at 10:30").is_empty());
    }

    #[test]
    fn each_citation_that_the_reference_cannot_back_is_named_with_its_place() {
        let reference = tempfile::tempdir().unwrap();
        std::fs::write(
            reference.path().join("WIRE-QUIRKS.md"),
            "# Quirks\n\n1. **One.**\n2. **Two.**\n",
        )
        .unwrap();
        std::fs::create_dir(reference.path().join("responses")).unwrap();
        std::fs::write(
            reference.path().join("responses/page.json"),
            "{\n\"a\": 1\n}\n",
        )
        .unwrap();
        let spec = json!({"components": {"schemas": {"Page": {"properties": {
            "good": {"x-wire-note": "(WIRE-QUIRKS 2; responses/page.json:1-3)"},
            "quirk": {"x-wire-note": "(WIRE-QUIRKS 3)"},
            "line": {"x-wire-note": "(WIRE-QUIRKS 1; responses/page.json:4)"},
            "file": {"x-wire-note": "(responses/gone.json:1)"},
            "outside": {"x-wire-note": "(../secrets.txt:1)"}
        }}}}});
        assert_eq!(
            unresolved(&spec, reference.path()),
            [
                "/components/schemas/Page/properties/file: cites responses/gone.json, which is not in the reference folder",
                "/components/schemas/Page/properties/line: cites responses/page.json:4, but the file has 3 lines",
                "/components/schemas/Page/properties/outside: cites ../secrets.txt, which is not in the reference folder",
                "/components/schemas/Page/properties/quirk: cites WIRE-QUIRKS 3, which WIRE-QUIRKS.md does not number",
            ]
        );
    }
}
