//! The four output formats, written through one buffer that is flushed at the end of each page: a reader of
//! stdout gets each page as soon as it arrives, in a few `write` system calls rather than one per line.
//! `ndjson`, `json` and `csv` stream; only `table` keeps every record, to size its columns.

mod csv;
pub mod flat;
mod table;

use std::io::{self, Write};

use clap::ValueEnum;
use serde::Serialize;

use self::csv::Csv;
use self::flat::{Columns, Fields, flatten, row};

/// `--format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Aligned columns, fitted to the terminal's width.
    Table,
    /// One JSON array, written as the pages arrive.
    Json,
    /// One JSON object per line, written as the pages arrive.
    Ndjson,
    /// A header row and flat columns (nested fields joined with dots), written as the pages arrive.
    Csv,
}

/// How big the buffer in front of stdout is: a page of 100 records fits, so a page is one or two writes.
const BUFFER_BYTES: usize = 64 * 1024;

/// Where records go. Errors are the writer's own, so that a closed pipe can be told from other failures by its
/// kind.
pub struct Output<W: Write> {
    out: io::BufWriter<W>,
    writer: Writer,
}

enum Writer {
    Ndjson,
    Json {
        written: usize,
    },
    Csv(Csv),
    Table {
        columns: Columns,
        records: Vec<Fields>,
        width: Option<u16>,
    },
}

/// Why a record could not be written.
#[derive(Debug)]
pub enum WriteError {
    /// The record did not serialize (a bug, not the reader's doing).
    Encode(serde_json::Error),
    /// Writing failed, a closed pipe among other reasons.
    Io(io::Error),
}

impl From<io::Error> for WriteError {
    fn from(error: io::Error) -> Self {
        WriteError::Io(error)
    }
}

impl<W: Write> Output<W> {
    /// `terminal` says whether `out` is one: table widths and escaped csv follow from it.
    pub fn new(format: Format, columns: Columns, out: W, terminal: bool) -> Self {
        let writer = match format {
            Format::Ndjson => Writer::Ndjson,
            Format::Json => Writer::Json { written: 0 },
            Format::Csv => Writer::Csv(Csv::new(columns, terminal)),
            Format::Table => Writer::Table {
                columns,
                records: Vec::new(),
                width: table::terminal_width(terminal),
            },
        };
        Output {
            out: io::BufWriter::with_capacity(BUFFER_BYTES, out),
            writer,
        }
    }

    pub fn record(&mut self, record: &impl Serialize) -> Result<(), WriteError> {
        let out = &mut self.out;
        match &mut self.writer {
            Writer::Ndjson => {
                serde_json::to_writer(&mut *out, record).map_err(encode_or_io)?;
                out.write_all(b"\n")?;
            }
            Writer::Json { written } => {
                out.write_all(if *written == 0 { b"[\n" } else { b",\n" })?;
                serde_json::to_writer(&mut *out, record).map_err(encode_or_io)?;
                *written += 1;
            }
            Writer::Csv(csv) => csv.record(out, fields(record)?)?,
            Writer::Table { records, .. } => records.push(fields(record)?),
        }
        Ok(())
    }

    /// Ends a page: what it wrote reaches the reader now.
    pub fn end_page(&mut self) -> io::Result<()> {
        if let Writer::Csv(csv) = &mut self.writer {
            csv.end_page(&mut self.out)?;
        }
        self.out.flush()
    }

    /// Ends the output; after an error, what was written so far is still flushed.
    pub fn finish(mut self) -> io::Result<()> {
        let out = &mut self.out;
        match &mut self.writer {
            Writer::Ndjson => {}
            Writer::Json { written: 0 } => out.write_all(b"[]\n")?,
            Writer::Json { .. } => out.write_all(b"\n]\n")?,
            Writer::Csv(csv) => csv.finish(out)?,
            Writer::Table {
                columns,
                records,
                width,
            } => {
                let columns = columns.pick(records, false);
                let rows: Vec<Vec<String>> =
                    records.iter().map(|fields| row(&columns, fields)).collect();
                for line in table::render(&columns, &rows, *width) {
                    writeln!(out, "{line}")?;
                }
            }
        }
        out.flush()
    }
}

fn fields(record: &impl Serialize) -> Result<Fields, WriteError> {
    serde_json::to_value(record)
        .map(flatten)
        .map_err(WriteError::Encode)
}

/// serde_json reports the writer's failures as its own errors; the io error inside is what tells a closed pipe.
fn encode_or_io(error: serde_json::Error) -> WriteError {
    if error.is_io() {
        WriteError::Io(error.into())
    } else {
        WriteError::Encode(error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn written(format: Format, pages: &[&[serde_json::Value]]) -> String {
        let mut bytes = Vec::new();
        let mut output = Output::new(format, Columns::default(), &mut bytes, false);
        for page in pages {
            for record in *page {
                output.record(record).unwrap();
            }
            output.end_page().unwrap();
        }
        output.finish().unwrap();
        String::from_utf8(bytes).unwrap()
    }

    #[test]
    fn json_is_one_array_written_as_the_records_come() {
        let pages: [&[serde_json::Value]; 2] =
            [&[json!({"a": 1}), json!({"a": 2})], &[json!({"a": 3})]];
        let text = written(Format::Json, &pages);
        let parsed: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(parsed, json!([{"a": 1}, {"a": 2}, {"a": 3}]));
        assert_eq!(written(Format::Json, &[]), "[]\n");
    }

    #[test]
    fn ndjson_is_a_line_per_record() {
        let pages: [&[serde_json::Value]; 1] = [&[json!({"a": 1}), json!("x")]];
        assert_eq!(written(Format::Ndjson, &pages), "{\"a\":1}\n\"x\"\n");
    }

    /// Counts the writes that reach the writer.
    struct CountingWriter(usize);

    impl Write for CountingWriter {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.0 += 1;
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_page_reaches_the_writer_in_one_write() {
        let mut counter = CountingWriter(0);
        let mut output = Output::new(Format::Ndjson, Columns::default(), &mut counter, false);
        for index in 0..100 {
            output
                .record(&json!({"assetId": index, "assetName": "Dominus Empyreus", "serialNumber": null}))
                .unwrap();
        }
        output.end_page().unwrap();
        drop(output);
        assert_eq!(counter.0, 1);
    }
}
