//! The paged commands' printing loop: every page written as it arrives, with an optional progress line.

use std::io::IsTerminal;
use std::time::Instant;

use futures_util::TryStreamExt;
use roblox_inventory::{IntoItems, Scan, ScanRequest};
use serde::Serialize;

use crate::failure::Failure;
use crate::output::{Format, Sink};

/// How a paged command prints.
pub struct Listing {
    format: Format,
    max_items: Option<usize>,
    progress: bool,
}

impl Listing {
    /// `format` defaults by where stdout goes; progress is shown only where a person watches stderr.
    pub fn new(format: Option<Format>, max_items: Option<usize>, quiet: bool) -> Self {
        let format = format.unwrap_or(if std::io::stdout().is_terminal() {
            Format::Table
        } else {
            Format::Ndjson
        });
        Listing {
            format,
            max_items,
            progress: !quiet && std::io::stderr().is_terminal(),
        }
    }

    /// Runs `scan` page by page, writing each item (converted by `wire` to what Roblox sends) as it arrives.
    pub async fn run<R: ScanRequest<Item: IntoItems<T>>, T: Send, W: Serialize>(
        &self,
        scan: Scan<R, T>,
        wire: impl Fn(T) -> W,
    ) -> Result<(), Failure> {
        let scan = match self.max_items {
            Some(count) => scan.max_items(count),
            None => scan,
        };
        let mut pages = scan.pages();
        let stdout = std::io::stdout();
        let terminal = stdout.is_terminal();
        let mut sink = Sink::new(self.format, stdout.lock(), terminal);
        let started = Instant::now();
        let (mut items, mut page_count) = (0usize, 0usize);
        let result = loop {
            match pages.try_next().await {
                Ok(Some(page)) => {
                    page_count += 1;
                    items += page.items.len();
                    let written = page
                        .items
                        .into_iter()
                        .try_for_each(|item| {
                            let value = serde_json::to_value(wire(item)).map_err(|error| {
                                Failure::Api(format!("encoding an item: {error}"))
                            })?;
                            sink.item(value).map_err(Failure::Output)
                        })
                        .and_then(|()| sink.flush().map_err(Failure::Output));
                    if let Err(error) = written {
                        break Err(error);
                    }
                    if self.progress {
                        let seconds = started.elapsed().as_secs_f64().max(0.001);
                        eprint!(
                            "\r{items} items, {page_count} pages, {:.0} items/s ",
                            items as f64 / seconds
                        );
                    }
                }
                Ok(None) => break Ok(()),
                Err(error) => break Err(Failure::from(error)),
            }
        };
        if self.progress {
            eprint!("\r\x1b[K");
        }
        match result.and_then(|()| sink.finish().map_err(Failure::Output)) {
            // `rbxinv items 1 | head` is a success: the reader has all it wanted.
            Err(failure) if failure.is_closed_pipe() => Ok(()),
            other => other,
        }
    }
}
