//! `--format table`: aligned columns laid out by display width (an emoji or a CJK character takes two cells of
//! a terminal), wrapped to fit the terminal's width when there is one. Every cell is escaped for the terminal.

use comfy_table::{ContentArrangement, Table, presets};

use crate::terminal::escape_controls;

/// The lines of a table of `rows` under `columns`, fitted to `width` display columns when given.
pub fn render(columns: &[String], rows: &[Vec<String>], width: Option<u16>) -> Vec<String> {
    let cell = |text: &str| escape_controls(&text.replace(['\n', '\r', '\t'], " ")).into_owned();
    let mut table = Table::new();
    table.load_style(presets::NOTHING);
    table.set_header(columns.iter().map(|column| cell(column)));
    for row in rows {
        table.add_row(row.iter().map(|value| cell(value)));
    }
    match width {
        Some(width) => {
            table
                .set_content_arrangement(ContentArrangement::Dynamic)
                .set_width(width);
        }
        None => {
            table.set_content_arrangement(ContentArrangement::Disabled);
        }
    }
    for column in table.column_iter_mut() {
        column.set_padding((0, 2));
    }
    table
        .lines()
        .map(|line| line.trim_end().to_owned())
        .collect()
}

/// `COLUMNS`, else the terminal's width when stdout is one (120 when it cannot be told), else no limit.
pub fn terminal_width(stdout_is_terminal: bool) -> Option<u16> {
    let columns = std::env::var("COLUMNS")
        .ok()
        .and_then(|text| text.parse::<u16>().ok())
        .filter(|&columns| columns > 0);
    columns.or(stdout_is_terminal.then_some(120))
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_width::UnicodeWidthStr;

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|item| (*item).to_owned()).collect()
    }

    /// The display column where `needle` starts in `line`.
    fn column_of(line: &str, needle: &str) -> usize {
        line[..line.find(needle).unwrap()].width()
    }

    #[test]
    fn wide_characters_keep_the_columns_aligned() {
        let rows = [
            strings(&["Dominus Empyreus", "21070012"]),
            strings(&["ドミナス 👑", "1"]),
            strings(&["🎩🎩🎩", "4"]),
            strings(&["a", "100"]),
        ];
        let lines = render(&strings(&["assetName", "assetId"]), &rows, None);
        assert_eq!(lines.len(), 5);
        let ids = ["assetId", "21070012", "1", "4", "100"];
        let starts: Vec<usize> = lines
            .iter()
            .zip(ids)
            .map(|(line, id)| column_of(line, id))
            .collect();
        assert!(starts.iter().all(|&start| start == starts[0]), "{lines:#?}");
        assert_eq!(starts[0], "Dominus Empyreus".width() + 2);
    }

    #[test]
    fn a_narrow_terminal_wraps_cells_instead_of_overflowing() {
        let rows = [strings(&["a name long enough to need two lines here", "7"])];
        let lines = render(&strings(&["name", "id"]), &rows, Some(30));
        assert!(lines.iter().all(|line| line.width() <= 30), "{lines:#?}");
        assert!(lines.len() > 2);
    }

    #[test]
    fn cells_escape_what_a_terminal_would_obey() {
        let rows = [strings(&["\u{1b}]0;pwned\u{7}Hat\u{1b}[2J"])];
        let lines = render(&strings(&["name"]), &rows, None);
        assert_eq!(lines[1], "\\u{1b}]0;pwned\\u{7}Hat\\u{1b}[2J");
    }
}
