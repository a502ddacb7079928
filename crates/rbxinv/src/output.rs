//! The four output formats.

use std::io::{self, IsTerminal, Write};

use clap::ValueEnum;
use serde_json::{Map, Value};

use crate::terminal::escape_controls;

/// `--format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Aligned columns, truncated to the terminal width.
    Table,
    /// One JSON array.
    Json,
    /// One JSON object per line, written as each page arrives.
    Ndjson,
    /// A header row and flat columns (nested fields joined with dots).
    Csv,
}

/// Where items go. `ndjson` writes each item at once; the others need every item (json closes an array,
/// csv and table need every column) and write at the end. Errors are the writer's own, so that a closed pipe
/// can be told from other failures by its kind.
pub struct Sink<W: Write> {
    format: Format,
    out: W,
    /// Whether `out` is a terminal, where csv fields are escaped as tables always are.
    terminal: bool,
    buffered: Vec<Value>,
}

impl<W: Write> Sink<W> {
    pub fn new(format: Format, out: W, terminal: bool) -> Self {
        Sink {
            format,
            out,
            terminal,
            buffered: Vec::new(),
        }
    }

    pub fn item(&mut self, value: Value) -> io::Result<()> {
        match self.format {
            Format::Ndjson => {
                serde_json::to_writer(&mut self.out, &value)?;
                self.out.write_all(b"\n")?;
            }
            _ => self.buffered.push(value),
        }
        Ok(())
    }

    pub fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }

    pub fn finish(mut self) -> io::Result<()> {
        let items = std::mem::take(&mut self.buffered);
        match self.format {
            Format::Ndjson => {}
            Format::Json => {
                serde_json::to_writer_pretty(&mut self.out, &items)?;
                self.out.write_all(b"\n")?;
            }
            Format::Csv => {
                let (columns, rows) = flatten_all(items);
                for row in std::iter::once(columns).chain(rows) {
                    let line = csv_line(&row);
                    if self.terminal {
                        writeln!(self.out, "{}", escape_controls(&line))?;
                    } else {
                        writeln!(self.out, "{line}")?;
                    }
                }
            }
            Format::Table => {
                let width = terminal_width();
                let (columns, rows) = flatten_all(items);
                for line in table(&columns, &rows) {
                    let line = match width {
                        Some(width) => truncate(&line, width),
                        None => line,
                    };
                    writeln!(self.out, "{}", line.trim_end())?;
                }
            }
        }
        self.out.flush()
    }
}

/// `COLUMNS`, else 120 when stdout is a terminal, else no limit.
fn terminal_width() -> Option<usize> {
    if let Some(columns) = std::env::var("COLUMNS")
        .ok()
        .and_then(|text| text.parse::<usize>().ok())
        .filter(|&columns| columns > 0)
    {
        return Some(columns);
    }
    std::io::stdout().is_terminal().then_some(120)
}

fn flatten_into(prefix: &str, value: Value, out: &mut Vec<(String, String)>) {
    match value {
        Value::Object(map) => flatten_map(prefix, map, out),
        Value::Null => out.push((prefix.to_owned(), String::new())),
        Value::String(text) => out.push((prefix.to_owned(), text)),
        other => out.push((prefix.to_owned(), other.to_string())),
    }
}

fn flatten_map(prefix: &str, map: Map<String, Value>, out: &mut Vec<(String, String)>) {
    for (key, value) in map {
        let name = if prefix.is_empty() {
            key
        } else {
            format!("{prefix}.{key}")
        };
        flatten_into(&name, value, out);
    }
}

/// Every item's flat fields, under the union of the columns in first-seen order.
fn flatten_all(items: Vec<Value>) -> (Vec<String>, Vec<Vec<String>>) {
    let mut columns: Vec<String> = Vec::new();
    let flat: Vec<Vec<(String, String)>> = items
        .into_iter()
        .map(|item| {
            let mut fields = Vec::new();
            flatten_into(
                match item {
                    Value::Object(_) => "",
                    _ => "value",
                },
                item,
                &mut fields,
            );
            for (name, _) in &fields {
                if !columns.contains(name) {
                    columns.push(name.clone());
                }
            }
            fields
        })
        .collect();
    let rows = flat
        .into_iter()
        .map(|fields| {
            columns
                .iter()
                .map(|column| {
                    fields
                        .iter()
                        .find(|(name, _)| name == column)
                        .map(|(_, value)| value.clone())
                        .unwrap_or_default()
                })
                .collect()
        })
        .collect();
    (columns, rows)
}

fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

fn csv_line(fields: &[String]) -> String {
    fields
        .iter()
        .map(|field| csv_field(field))
        .collect::<Vec<_>>()
        .join(",")
}

const MAX_CELL: usize = 40;

fn truncate(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_owned();
    }
    let mut cut: String = text.chars().take(width.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

fn table(columns: &[String], rows: &[Vec<String>]) -> Vec<String> {
    let cell = |text: &str| {
        let flat = text.replace(['\n', '\r', '\t'], " ");
        truncate(&escape_controls(&flat), MAX_CELL)
    };
    let header: Vec<String> = columns.iter().map(|column| cell(column)).collect();
    let body: Vec<Vec<String>> = rows
        .iter()
        .map(|row| row.iter().map(|value| cell(value)).collect())
        .collect();
    let widths: Vec<usize> = (0..columns.len())
        .map(|index| {
            std::iter::once(&header)
                .chain(body.iter())
                .map(|row| row[index].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    std::iter::once(&header)
        .chain(body.iter())
        .map(|row| {
            row.iter()
                .zip(&widths)
                .map(|(text, width)| format!("{text:<width$}"))
                .collect::<Vec<_>>()
                .join("  ")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_and_flattens() {
        let items = vec![
            serde_json::json!({"a": 1, "b": {"c": "x,y"}}),
            serde_json::json!({"a": 2, "d": null}),
        ];
        let (columns, rows) = flatten_all(items);
        assert_eq!(columns, ["a", "b.c", "d"]);
        assert_eq!(csv_line(&rows[0]), "1,\"x,y\",");
        assert_eq!(csv_line(&rows[1]), "2,,");
    }

    #[test]
    fn table_aligns() {
        let lines = table(
            &["id".into(), "name".into()],
            &[
                vec!["1".into(), "hat".into()],
                vec!["100".into(), "x".into()],
            ],
        );
        assert_eq!(lines, ["id   name", "1    hat ", "100  x   "]);
    }

    #[test]
    fn table_cells_escape_what_a_terminal_would_obey() {
        let lines = table(
            &["name".into()],
            &[vec!["\u{1b}]0;pwned\u{7}Hat\u{1b}[2J".into()]],
        );
        assert_eq!(lines[1], "\\u{1b}]0;pwned\\u{7}Hat\\u{1b}[2J");
    }

    #[test]
    fn csv_is_escaped_only_on_a_terminal() {
        let item = serde_json::json!({"name": "a\u{1b}[2Jb"});
        for (terminal, expected) in [
            (true, "name\na\\u{1b}[2Jb\n"),
            (false, "name\na\u{1b}[2Jb\n"),
        ] {
            let mut out = Vec::new();
            let mut sink = Sink::new(Format::Csv, &mut out, terminal);
            sink.item(item.clone())
                .unwrap_or_else(|_| panic!("buffered"));
            sink.finish().unwrap_or_else(|_| panic!("written"));
            assert_eq!(String::from_utf8(out).unwrap(), expected);
        }
    }
}
