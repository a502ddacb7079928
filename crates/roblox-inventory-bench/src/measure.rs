//! Clocks and statistics: wall time, the CPU time of the measuring thread, peak resident memory, and the
//! median with its spread.

use std::fmt;
use std::future::Future;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};

use tokio::runtime::Runtime;

/// What one timed run cost.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Cost {
    /// Elapsed time.
    pub wall: Duration,
    /// CPU time of the thread that ran it; the client runs on a current-thread runtime, so this is all the
    /// client's work and none of the emulator's. `None` where the platform has no per-thread clock.
    pub cpu: Option<Duration>,
}

/// Runs `work` to completion on `runtime` (a current-thread runtime, so on this thread) and times it.
pub fn timed<T>(runtime: &Runtime, work: impl Future<Output = T>) -> (T, Cost) {
    let cpu_before = thread_cpu_time();
    let started = Instant::now();
    let output = runtime.block_on(work);
    let wall = started.elapsed();
    let cpu = match (cpu_before, thread_cpu_time()) {
        (Some(before), Some(after)) => Some(after.saturating_sub(before)),
        _ => None,
    };
    (output, Cost { wall, cpu })
}

/// CPU time consumed so far by the calling thread.
#[cfg(unix)]
pub fn thread_cpu_time() -> Option<Duration> {
    let mut time = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `time` is a valid, writable timespec for the duration of the call.
    let status = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut time) };
    (status == 0).then(|| {
        Duration::new(
            u64::try_from(time.tv_sec).unwrap_or(0),
            u32::try_from(time.tv_nsec).unwrap_or(0),
        )
    })
}

/// CPU time consumed so far by the calling thread.
#[cfg(not(unix))]
pub fn thread_cpu_time() -> Option<Duration> {
    None
}

/// User and system CPU time of every child process this process has waited for so far (`RUSAGE_CHILDREN`):
/// the difference across one child's run and wait is that child's CPU time, if no other child ended between.
#[cfg(unix)]
pub fn children_cpu_time() -> Option<Duration> {
    // SAFETY: an all-zero rusage is a valid value of the plain C struct.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `usage` is a valid, writable rusage for the duration of the call.
    let status = unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) };
    let time = |t: libc::timeval| {
        Duration::new(
            u64::try_from(t.tv_sec).unwrap_or(0),
            u32::try_from(t.tv_usec).unwrap_or(0) * 1_000,
        )
    };
    (status == 0).then(|| time(usage.ru_utime) + time(usage.ru_stime))
}

/// User and system CPU time of every child process this process has waited for so far.
#[cfg(not(unix))]
pub fn children_cpu_time() -> Option<Duration> {
    None
}

/// The process's peak resident set size so far (`VmHWM`), in KiB.
pub fn peak_rss_kib() -> anyhow::Result<u64> {
    let status = std::fs::read_to_string("/proc/self/status")
        .context("reading /proc/self/status for the peak resident set (VmHWM)")?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .context("/proc/self/status has no VmHWM line")
}

/// Instructions `program` executes with `args`, counted by valgrind's cachegrind without cache simulation;
/// `None` when valgrind is not installed.
pub fn instructions(program: &Path, args: &[String]) -> anyhow::Result<Option<u64>> {
    let output = match Command::new("valgrind")
        .args([
            "--tool=cachegrind",
            "--cache-sim=no",
            "--cachegrind-out-file=/dev/null",
        ])
        .arg(program)
        .args(args)
        .output()
    {
        Ok(output) => output,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(error) => return Err(error).context("running valgrind"),
    };
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        bail!(
            "{} under valgrind failed ({}): {}",
            program.display(),
            output.status,
            stderr.trim()
        );
    }
    // `==123== I   refs:      18,274,711` (older valgrind) or `==123== I refs: 18,274,711` (newer).
    let refs = stderr
        .lines()
        .find_map(|line| {
            let words: Vec<&str> = line.split_whitespace().collect();
            let at = words.windows(2).position(|pair| pair == ["I", "refs:"])?;
            words.get(at + 2).map(|count| count.replace(',', ""))
        })
        .with_context(|| format!("valgrind printed no instruction count: {}", stderr.trim()))?;
    Ok(Some(refs.parse().with_context(|| {
        format!("valgrind's instruction count {refs:?} is not a number")
    })?))
}

/// The median of a set of samples and the range they spread over.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Spread {
    pub median: f64,
    pub min: f64,
    pub max: f64,
    pub samples: usize,
}

impl Spread {
    /// `None` for no samples or any sample that is not a number.
    pub fn of(samples: impl IntoIterator<Item = f64>) -> Option<Spread> {
        let mut sorted: Vec<f64> = samples.into_iter().collect();
        if sorted.is_empty() || sorted.iter().any(|sample| sample.is_nan()) {
            return None;
        }
        sorted.sort_by(f64::total_cmp);
        let middle = sorted.len() / 2;
        let median = if sorted.len().is_multiple_of(2) {
            (sorted[middle - 1] + sorted[middle]) / 2.0
        } else {
            sorted[middle]
        };
        Some(Spread {
            median,
            min: sorted[0],
            max: sorted[sorted.len() - 1],
            samples: sorted.len(),
        })
    }

    /// The same spread with every value multiplied by `factor` (units: seconds to milliseconds, say).
    pub fn scaled(self, factor: f64) -> Spread {
        Spread {
            median: self.median * factor,
            min: self.min * factor,
            max: self.max * factor,
            samples: self.samples,
        }
    }

    /// Formats as `median (min–max)` with `decimals` digits after the point.
    pub fn display(self, decimals: usize) -> SpreadDisplay {
        SpreadDisplay {
            spread: self,
            decimals,
        }
    }
}

/// See [`Spread::display`].
pub struct SpreadDisplay {
    spread: Spread,
    decimals: usize,
}

impl fmt::Display for SpreadDisplay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Spread {
            median, min, max, ..
        } = self.spread;
        let d = self.decimals;
        write!(f, "{median:.d$} ({min:.d$}–{max:.d$})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_odd_and_even_counts() {
        let odd = Spread::of([3.0, 1.0, 2.0]).unwrap();
        assert_eq!(
            (odd.median, odd.min, odd.max, odd.samples),
            (2.0, 1.0, 3.0, 3)
        );
        let even = Spread::of([4.0, 1.0, 3.0, 2.0]).unwrap();
        assert_eq!((even.median, even.min, even.max), (2.5, 1.0, 4.0));
    }

    #[test]
    fn no_samples_or_nan_has_no_spread() {
        assert_eq!(Spread::of([]), None);
        assert_eq!(Spread::of([1.0, f64::NAN]), None);
    }

    #[test]
    fn displays_median_then_range() {
        let spread = Spread::of([1.0, 1.25, 1.5]).unwrap();
        assert_eq!(spread.display(2).to_string(), "1.25 (1.00–1.50)");
        assert_eq!(
            spread.scaled(1000.0).display(0).to_string(),
            "1250 (1000–1500)"
        );
    }

    #[test]
    fn valgrind_counts_a_commands_instructions() {
        let program = |name: &str| -> std::path::PathBuf {
            let output = Command::new("sh")
                .args(["-c", &format!("command -v {name}")])
                .output()
                .unwrap();
            String::from_utf8_lossy(&output.stdout).trim().into()
        };
        match instructions(&program("true"), &[]) {
            Ok(Some(count)) => assert!(count > 1_000, "{count}"),
            Ok(None) => return, // valgrind is not installed: nothing to check
            Err(error) => panic!("{error:#}"),
        }
        let failure = instructions(&program("false"), &[]).unwrap_err();
        assert!(
            format!("{failure:#}").contains("under valgrind failed"),
            "{failure:#}"
        );
    }

    #[test]
    fn this_thread_uses_cpu_time() {
        let Some(before) = thread_cpu_time() else {
            return;
        };
        let mut x = 0u64;
        for i in 0..5_000_000u64 {
            x = std::hint::black_box(x.wrapping_add(i));
        }
        assert!(thread_cpu_time().unwrap() > before, "{x}");
    }
}
