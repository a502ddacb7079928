//! What rbxinv logs on stderr: nothing by default, the facade's requests with -v, more with -vv, or whatever
//! `RUST_LOG` asks. The facade's spans and events carry no credential, so no verbosity prints one.

use tracing_subscriber::fmt::format::FmtSpan;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, Layer};

use crate::progress::Progress;

/// The filter of `-v` counted `verbose` times, unless `RUST_LOG` is set.
fn filter(verbose: u8) -> EnvFilter {
    if let Ok(filter) = EnvFilter::try_from_default_env() {
        return filter;
    }
    EnvFilter::new(match verbose {
        0 => "off",
        1 => "rbxinv=info,roblox_inventory=debug",
        _ => {
            "rbxinv=debug,roblox_inventory=trace,roblox_inventory_core=trace,reqwest=debug,hyper_util=debug"
        }
    })
}

/// Installs the subscriber: the log on stderr, and the progress line's view of the client's waits.
pub fn init(verbose: u8, progress: &Progress) {
    // The facade says a request in a span of its own (operation, method, path, status, attempt): its close is
    // the line that says the request is done and how long it took.
    let log = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .with_span_events(FmtSpan::CLOSE)
        .with_filter(filter(verbose));
    let waits = progress.layer().with_filter(
        tracing_subscriber::filter::Targets::new()
            .with_target(roblox_inventory::WAIT_TARGET, tracing::Level::INFO),
    );
    // A second installation (only in tests) keeps the first.
    let _ = tracing_subscriber::registry()
        .with(log)
        .with(waits)
        .try_init();
}
