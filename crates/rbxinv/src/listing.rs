//! The listing commands' printing loop: every page written (and flushed) as it arrives, the progress line
//! kept up to date, and a reader that goes away (`rbxinv items 1 | head -n 3`) taken as a success.

use std::io::IsTerminal;

use futures_util::TryStreamExt;
use roblox_inventory::{PagedRequest, Scan, Transport};
use serde::Serialize;

use crate::failure::Failure;
use crate::output::flat::Columns;
use crate::output::{Format, Output, WriteError};
use crate::progress::Progress;

/// How a listing prints.
pub struct Listing {
    format: Format,
    columns: Vec<String>,
    max_items: Option<usize>,
    progress: Progress,
}

impl Listing {
    /// `format` defaults by where stdout goes: a table for a person, ndjson for a program.
    pub fn new(
        format: Option<Format>,
        columns: Vec<String>,
        max_items: Option<usize>,
        progress: Progress,
    ) -> Self {
        let format = format.unwrap_or(if std::io::stdout().is_terminal() {
            Format::Table
        } else {
            Format::Ndjson
        });
        Listing {
            format,
            columns,
            max_items,
            progress,
        }
    }

    /// Runs `scan` page by page, writing each item as Roblox sent it as it arrives, with `preferred` as the first
    /// table and csv columns. The items are written on a thread of their own, so that the next page is fetched
    /// and decoded while this one is written.
    pub async fn scan<R>(
        &self,
        scan: Scan<R, &Transport>,
        preferred: &'static [&'static str],
    ) -> Result<(), Failure>
    where
        R: PagedRequest<Item: Serialize + Send + 'static>,
    {
        let scan = match self.max_items {
            Some(count) => scan.max_items(count),
            None => scan,
        };
        let mut pages = scan.pages();
        // Two pages in flight at most: enough to overlap fetching and writing, and memory stays bounded.
        let (to_writer, written_pages) = std::sync::mpsc::sync_channel::<Vec<R::Item>>(2);
        let (format, columns) = (self.format, Columns::new(self.columns.clone(), preferred));
        let writer = std::thread::spawn(move || write_pages(format, columns, written_pages));
        let mut page_count = 0;
        let scanned = loop {
            match pages.try_next().await {
                Ok(Some(page)) => {
                    page_count += 1;
                    let count = page.items.len();
                    if to_writer.send(page.items).is_err() {
                        // The writer stopped (a closed pipe, say); what it returns says why.
                        break Ok(());
                    }
                    self.progress.page(count, page_count);
                }
                Ok(None) => break Ok(()),
                Err(error) => break Err(Failure::from(error)),
            }
        };
        drop(to_writer);
        let written = writer
            .join()
            .unwrap_or_else(|_| Err(Failure::Api("the output thread panicked".to_owned())));
        self.progress.finish();
        settle(scanned.and(written))
    }

    /// Prints the records of a one-call operation, with `preferred` as the first table and csv columns.
    pub fn records<W: Serialize>(
        &self,
        records: impl IntoIterator<Item = W>,
        preferred: &'static [&'static str],
    ) -> Result<(), Failure> {
        let mut output = self.output(preferred);
        let result = records
            .into_iter()
            .take(self.max_items.unwrap_or(usize::MAX))
            .try_for_each(|record| output.record(&record))
            .map_err(Failure::from);
        self.end(output, result)
    }

    fn output(&self, preferred: &'static [&'static str]) -> Output<std::io::StdoutLock<'static>> {
        stdout_output(self.format, Columns::new(self.columns.clone(), preferred))
    }

    fn end(
        &self,
        output: Output<std::io::StdoutLock<'static>>,
        result: Result<(), Failure>,
    ) -> Result<(), Failure> {
        self.progress.finish();
        let finished = output.finish().map_err(Failure::from);
        settle(result.and(finished))
    }
}

fn stdout_output(format: Format, columns: Columns) -> Output<std::io::StdoutLock<'static>> {
    let stdout = std::io::stdout();
    let terminal = stdout.is_terminal();
    Output::new(format, columns, stdout.lock(), terminal)
}

/// Writes each page that arrives, flushing it, until the pages end or writing fails; then ends the output,
/// which flushes what was written even after a failure.
fn write_pages<W: Serialize>(
    format: Format,
    columns: Columns,
    pages: std::sync::mpsc::Receiver<Vec<W>>,
) -> Result<(), Failure> {
    let mut output = stdout_output(format, columns);
    let mut written = Ok(());
    for page in pages {
        written = page
            .iter()
            .try_for_each(|record| output.record(record))
            .map_err(Failure::from)
            .and_then(|()| output.end_page().map_err(Failure::from));
        if written.is_err() {
            break;
        }
    }
    let finished = output.finish().map_err(Failure::from);
    written.and(finished)
}

/// `rbxinv items 1 | head` is a success: the reader has all it wanted.
fn settle(result: Result<(), Failure>) -> Result<(), Failure> {
    match result {
        Err(failure) if failure.is_closed_pipe() => Ok(()),
        other => other,
    }
}

impl From<WriteError> for Failure {
    fn from(error: WriteError) -> Self {
        match error {
            WriteError::Io(error) => Failure::Output(error),
            WriteError::Encode(error) => Failure::Api(format!("encoding an item: {error}")),
        }
    }
}
