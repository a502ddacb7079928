//! What the figures were measured on: processor, memory, system, compiler, commit, load.

use std::path::Path;
use std::process::Command;
use std::time::SystemTime;

/// One line per fact; a fact that cannot be read says so rather than failing the run.
pub fn describe(workspace: &Path) -> Vec<String> {
    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    let model = proc_field("/proc/cpuinfo", "model name").unwrap_or_else(|| "unknown".into());
    let memory = proc_field("/proc/meminfo", "MemTotal")
        .and_then(|kib| kib.trim_end_matches("kB").trim().parse::<u64>().ok())
        .map_or("unknown".into(), |kib| {
            format!("{:.1} GiB", kib as f64 / 1048576.0)
        });
    let kernel = read("/proc/sys/kernel/osrelease");
    let load = read("/proc/loadavg")
        .split_whitespace()
        .take(3)
        .collect::<Vec<_>>()
        .join(" ");
    let build = if cfg!(debug_assertions) {
        "debug build: figures not representative"
    } else {
        "release build"
    };
    let date = chrono::DateTime::<chrono::Utc>::from(SystemTime::now())
        .format("%Y-%m-%d %H:%M UTC")
        .to_string();
    let commit = output(workspace, "git", &["rev-parse", "--short", "HEAD"]);
    // The report being rewritten does not count as a change to what is measured.
    let dirty = !output(
        workspace,
        "git",
        &[
            "status",
            "--porcelain",
            "--untracked-files=no",
            "--",
            ".",
            ":!BENCHMARKS.md",
        ],
    )
    .is_empty();
    vec![
        format!("Date: {date}"),
        format!("Processor: {model}, {cpus} logical CPUs"),
        format!("Memory: {memory}"),
        format!("System: {} {kernel}", std::env::consts::OS),
        format!("Load average (1, 5, 15 min) at the start: {load}"),
        format!(
            "Compiler: {}; {build}",
            output(workspace, "rustc", &["--version"])
        ),
        format!(
            "Commit: {}{}",
            if commit.is_empty() {
                "unknown"
            } else {
                &commit
            },
            if dirty {
                " with uncommitted changes"
            } else {
                ""
            }
        ),
    ]
}

fn read(path: &str) -> String {
    std::fs::read_to_string(path)
        .map(|text| text.trim().to_owned())
        .unwrap_or_else(|_| "unknown".into())
}

fn proc_field(path: &str, field: &str) -> Option<String> {
    std::fs::read_to_string(path)
        .ok()?
        .lines()
        .find_map(|line| {
            let (name, value) = line.split_once(':')?;
            (name.trim() == field).then(|| value.trim().to_owned())
        })
}

fn output(workspace: &Path, program: &str, args: &[&str]) -> String {
    Command::new(program)
        .args(args)
        .current_dir(workspace)
        .output()
        .ok()
        .filter(|output| output.status.success())
        .map(|output| String::from_utf8_lossy(&output.stdout).trim().to_owned())
        .unwrap_or_default()
}
