//! `--format csv`: a header row, then a row per record with nested fields under dotted names, streamed page by
//! page. The header is the named columns, else every column the command chose plus any other the first page
//! has; a column first seen later has no place in it, and is named once on stderr instead of being dropped in
//! silence.

use std::io::{self, Write};

use super::flat::{Columns, Fields, row};
use crate::terminal::escape_controls;

pub struct Csv {
    columns: Columns,
    /// Rows of the first page, until its end fixes the header.
    first_page: Vec<Fields>,
    header: Option<Vec<String>>,
    left_out: Vec<String>,
    /// Escape fields as tables are when the output is a terminal.
    terminal: bool,
}

impl Csv {
    pub fn new(columns: Columns, terminal: bool) -> Self {
        Csv {
            columns,
            first_page: Vec::new(),
            header: None,
            left_out: Vec::new(),
            terminal,
        }
    }

    pub fn record(&mut self, out: &mut impl Write, fields: Fields) -> io::Result<()> {
        match &self.header {
            None => {
                self.first_page.push(fields);
                Ok(())
            }
            Some(_) => self.write_row(out, &fields),
        }
    }

    /// Fixes the header at the end of the first page and writes what it held.
    pub fn end_page(&mut self, out: &mut impl Write) -> io::Result<()> {
        if self.header.is_some() {
            return Ok(());
        }
        let header = self.columns.pick(&self.first_page, true);
        self.write_line(out, &header)?;
        self.header = Some(header);
        for fields in std::mem::take(&mut self.first_page) {
            self.write_row(out, &fields)?;
        }
        Ok(())
    }

    pub fn finish(&mut self, out: &mut impl Write) -> io::Result<()> {
        self.end_page(out)
    }

    fn write_row(&mut self, out: &mut impl Write, fields: &Fields) -> io::Result<()> {
        let header = self.header.as_deref().unwrap_or_default();
        if !self.columns.are_named() {
            for (name, _) in fields {
                if !header.contains(name) && !self.left_out.contains(name) {
                    eprintln!(
                        "rbxinv: the column {} first appeared after the csv header was written, so it is not \
                         in the output; name it with --columns to include it",
                        escape_controls(name)
                    );
                    self.left_out.push(name.clone());
                }
            }
        }
        let cells = row(header, fields);
        self.write_line(out, &cells)
    }

    fn write_line(&self, out: &mut impl Write, cells: &[String]) -> io::Result<()> {
        for (index, cell) in cells.iter().enumerate() {
            if index > 0 {
                out.write_all(b",")?;
            }
            let cell = if self.terminal {
                escape_controls(cell)
            } else {
                cell.into()
            };
            if cell.contains([',', '"', '\n', '\r']) {
                write!(out, "\"{}\"", cell.replace('"', "\"\""))?;
            } else {
                out.write_all(cell.as_bytes())?;
            }
        }
        out.write_all(b"\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::flat::flatten;
    use serde_json::json;

    fn run(columns: Columns, terminal: bool, pages: &[&[serde_json::Value]]) -> String {
        let mut out = Vec::new();
        let mut csv = Csv::new(columns, terminal);
        for page in pages {
            for record in *page {
                csv.record(&mut out, flatten(record.clone())).unwrap();
            }
            csv.end_page(&mut out).unwrap();
        }
        csv.finish(&mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn quotes_what_needs_it_and_flattens() {
        let page = [
            json!({"a": 1, "b": {"c": "x,y"}}),
            json!({"a": 2, "d": "say \"hi\""}),
        ];
        assert_eq!(
            run(Columns::default(), false, &[&page]),
            "a,b.c,d\n1,\"x,y\",\n2,,\"say \"\"hi\"\"\"\n"
        );
    }

    #[test]
    fn the_header_is_written_once_and_later_pages_stream_under_it() {
        let first = [json!({"a": 1})];
        let second = [json!({"a": 2, "late": true})];
        assert_eq!(
            run(Columns::default(), false, &[&first, &second]),
            "a\n1\n2\n"
        );
        let named = Columns::new(vec!["late".into(), "a".into()], &[]);
        assert_eq!(
            run(named, false, &[&first, &second]),
            "late,a\n,1\ntrue,2\n"
        );
    }

    #[test]
    fn fields_are_escaped_only_on_a_terminal() {
        let page = [json!({"name": "a\u{1b}[2Jb"})];
        assert_eq!(
            run(Columns::default(), true, &[&page]),
            "name\na\\u{1b}[2Jb\n"
        );
        assert_eq!(
            run(Columns::default(), false, &[&page]),
            "name\na\u{1b}[2Jb\n"
        );
    }
}
