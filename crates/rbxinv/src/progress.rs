//! The progress line of a listing on stderr: items, pages and rate, and a wait for the rate limit or a retry
//! shown as a wait rather than a frozen line. Hidden unless a person watches stderr.

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use tracing::field::{Field, Visit};
use tracing_subscriber::layer::Context;

/// One listing's progress line.
#[derive(Clone)]
pub struct Progress {
    bar: ProgressBar,
}

impl Progress {
    /// Shown on a terminal stderr unless `quiet` (or while requests are logged there, `verbose`).
    pub fn new(quiet: bool, verbose: bool) -> Self {
        Self::drawn(!quiet && !verbose && std::io::stderr().is_terminal())
    }

    fn drawn(visible: bool) -> Self {
        let target = if visible {
            ProgressDrawTarget::stderr()
        } else {
            ProgressDrawTarget::hidden()
        };
        let bar = ProgressBar::with_draw_target(None, target);
        bar.set_style(
            ProgressStyle::with_template(
                "{spinner} {human_pos} items, {msg} ({per_sec}, {elapsed})",
            )
            .expect("a valid template"),
        );
        if visible {
            // Redrawn while no page arrives, so that a long wait reads as a wait.
            bar.enable_steady_tick(Duration::from_millis(200));
        }
        Progress { bar }
    }

    #[cfg(test)]
    fn is_hidden(&self) -> bool {
        self.bar.is_hidden()
    }

    /// A page of `items` arrived; `pages` so far.
    pub fn page(&self, items: usize, pages: usize) {
        self.bar.inc(items as u64);
        self.bar
            .set_message(format!("{pages} page{}", if pages == 1 { "" } else { "s" }));
    }

    /// The client waits `wait` before its next request, for `reason`.
    pub fn waiting(&self, wait: Duration, reason: &str) {
        self.bar
            .set_message(format!("waiting {:.1} s ({reason})", wait.as_secs_f64()));
    }

    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }

    /// A tracing layer that shows the facade's wait events (`roblox_inventory::WAIT_TARGET`) on this line.
    pub fn layer(&self) -> WaitLayer {
        WaitLayer {
            progress: self.clone(),
        }
    }
}

/// See [`Progress::layer`].
pub struct WaitLayer {
    progress: Progress,
}

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for WaitLayer {
    fn on_event(&self, event: &tracing::Event<'_>, _: Context<'_, S>) {
        if event.metadata().target() != roblox_inventory::WAIT_TARGET {
            return;
        }
        let mut wait = WaitFields::default();
        event.record(&mut wait);
        if let Some(milliseconds) = wait.milliseconds {
            self.progress.waiting(
                Duration::from_millis(milliseconds),
                wait.reason.as_deref().unwrap_or("waiting"),
            );
        }
    }
}

#[derive(Default)]
struct WaitFields {
    milliseconds: Option<u64>,
    reason: Option<String>,
}

impl Visit for WaitFields {
    fn record_u64(&mut self, field: &Field, value: u64) {
        if field.name() == "wait_ms" {
            self.milliseconds = Some(value);
        }
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "reason" {
            self.reason = Some(value.to_owned());
        }
    }

    fn record_debug(&mut self, _: &Field, _: &dyn std::fmt::Debug) {}
}

#[cfg(test)]
mod tests {
    use super::*;
    use tracing_subscriber::layer::SubscriberExt;

    #[test]
    fn hidden_when_quiet_or_logging() {
        assert!(Progress::new(true, false).is_hidden());
        assert!(Progress::new(false, true).is_hidden());
        assert!(Progress::drawn(false).is_hidden());
    }

    #[test]
    fn a_wait_event_becomes_the_message() {
        let progress = Progress::drawn(false);
        let subscriber = tracing_subscriber::registry().with(progress.layer());
        tracing::subscriber::with_default(subscriber, || {
            tracing::info!(
                target: roblox_inventory::WAIT_TARGET,
                wait_ms = 2_500u64,
                reason = "rate limit",
                "waiting for the rate limit"
            );
        });
        assert_eq!(progress.bar.message(), "waiting 2.5 s (rate limit)");
        progress.page(100, 1);
        assert_eq!(progress.bar.message(), "1 page");
        assert_eq!(progress.bar.position(), 100);
    }
}
