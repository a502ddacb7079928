//! Why a command failed, the one line it prints on stderr, and its exit status.

use std::fmt;
use std::io;
use std::process::ExitCode;

use roblox_inventory::{Error, ErrorKind, PaginationError};

use crate::terminal::escape_controls;

/// Exit status of a usage error, clap's own rejections of the command line included.
pub const USAGE_STATUS: u8 = 2;
/// Exit status when Roblox, the network, the emulator or stdout failed.
pub const FAILED_STATUS: u8 = 1;

/// Why the command failed, and so its exit status.
#[derive(Debug)]
pub enum Failure {
    /// Exit 2: the command line asks for something that cannot be done.
    Usage(String),
    /// Exit 1: Roblox, the network or the emulator failed; the text says what to do.
    Api(String),
    /// Exit 1: writing to stdout failed. The `io::Error` itself is kept so that a closed pipe is known by its
    /// kind, whatever the platform calls it.
    Output(io::Error),
}

impl Failure {
    /// Whether the reader of stdout went away (`rbxinv items 1 | head`), which ends a listing without error.
    pub fn is_closed_pipe(&self) -> bool {
        matches!(self, Failure::Output(error) if error.kind() == io::ErrorKind::BrokenPipe)
    }

    pub fn exit_code(&self) -> ExitCode {
        ExitCode::from(match self {
            Failure::Usage(_) => USAGE_STATUS,
            Failure::Api(_) | Failure::Output(_) => FAILED_STATUS,
        })
    }

    /// Prints the failure on stderr as one line and gives the exit status.
    pub fn report(&self) -> ExitCode {
        // Roblox's messages are server text, which must not drive the terminal.
        eprintln!("rbxinv: {}", escape_controls(&self.to_string()));
        self.exit_code()
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Usage(message) | Failure::Api(message) => f.write_str(message),
            Failure::Output(error) => write!(f, "writing output: {error}"),
        }
    }
}

impl From<io::Error> for Failure {
    fn from(error: io::Error) -> Self {
        Failure::Output(error)
    }
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        Failure::Api(describe(&error))
    }
}

impl<C: std::fmt::Debug> From<PaginationError<Error, C>> for Failure {
    fn from(error: PaginationError<Error, C>) -> Self {
        match error {
            PaginationError::Fetch { source, .. } => source.into(),
            other => Failure::Api(one_line(&other.to_string())),
        }
    }
}

/// `text` with every run of whitespace, line breaks included, made one space: stderr gets one line.
pub fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The error and each cause beneath it that adds something ("error sending request: ... Connection refused").
fn with_causes(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}

/// One line: status, Roblox's code and message, and what to do.
fn describe(error: &Error) -> String {
    let Some(api) = error.api() else {
        let hint = match error {
            Error::Transport { .. } => "; check the network and --legacy-url / --cloud-url",
            Error::Redirect { .. } => "; check --legacy-url / --cloud-url",
            _ => "",
        };
        return one_line(&format!("{}{hint}", with_causes(error)));
    };
    let hint = match api.kind {
        ErrorKind::InventoryHidden => {
            "inventory is hidden: the user's privacy settings hide it; use the owner's credentials"
        }
        ErrorKind::Unauthorized => {
            "not authorized: pass a valid --api-key, --oauth-token or --cookie for this host"
        }
        ErrorKind::Forbidden => "forbidden: the credential lacks the permission or scope needed",
        ErrorKind::NotFound => "not found: check the ids",
        ErrorKind::RateLimited => "rate limited: retries were exhausted; wait and try again",
        ErrorKind::InvalidArgument => "invalid argument: check the flags' values",
        ErrorKind::Server => "Roblox server error: try again later",
        _ => "request failed",
    };
    one_line(&format!("{hint} ({api})"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_broken_pipe_on_stdout_is_a_closed_pipe() {
        let broken = || io::Error::new(io::ErrorKind::BrokenPipe, "gone");
        assert!(Failure::from(broken()).is_closed_pipe());
        // The kind decides, not the words: a network error that mentions a broken pipe still fails.
        assert!(
            !Failure::Api("error sending request: Broken pipe (os error 32)".into())
                .is_closed_pipe()
        );
        assert!(!Failure::from(io::Error::other("Broken pipe")).is_closed_pipe());
        // serde_json hands back the io::Error it was given, kind and all.
        let through_json = io::Error::from(serde_json::Error::io(broken()));
        assert!(Failure::from(through_json).is_closed_pipe());
    }

    #[test]
    fn output_failures_read_as_before_and_exit_1() {
        let failure = Failure::from(io::Error::other("disk full"));
        assert_eq!(failure.to_string(), "writing output: disk full");
        assert_eq!(failure.exit_code(), ExitCode::from(FAILED_STATUS));
        assert_eq!(
            Failure::Usage("bad".into()).exit_code(),
            ExitCode::from(USAGE_STATUS)
        );
    }
}
