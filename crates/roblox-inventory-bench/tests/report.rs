//! The benchmark end to end in its quick mode, and the committed BENCHMARKS.md.

use std::path::Path;
use std::process::Command;

const BENCH: &str = env!("CARGO_BIN_EXE_roblox-inventory-bench");

/// The summary rows of a report: `| what | target | result | mark |`.
fn summary_rows(markdown: &str) -> Vec<&str> {
    markdown
        .split("## Summary")
        .nth(1)
        .unwrap_or_default()
        .lines()
        .skip_while(|line| !line.starts_with("|---"))
        .skip(1)
        .take_while(|line| line.starts_with('|'))
        .collect()
}

fn mark(row: &str) -> &str {
    row.trim_end_matches('|')
        .rsplit('|')
        .next()
        .unwrap_or_default()
        .trim()
}

#[test]
fn a_quick_run_measures_every_scenario_and_writes_what_it_printed() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.md");
    let output = Command::new(BENCH)
        .args(["--quick", "--skip-regen", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    let report = std::fs::read_to_string(&out).unwrap();

    assert!(report.contains("This is a `--quick` run"));
    for (number, title) in [
        "Paging overhead",
        "Decode speed",
        "Memory",
        "Rate-limit ceiling",
        "Concurrency",
        // --skip-regen leaves out Regeneration (sixth in a full run), so the CLI output section is sixth here.
        "CLI output",
        // Not measured (a `—` row) where no redis-server can start, but its section is written all the same.
        "Rate-limit ceiling: three worker processes",
    ]
    .iter()
    .enumerate()
    {
        assert!(
            report.contains(&format!("## {}. {title}", number + 1)),
            "section {title} missing:\n{report}"
        );
    }
    assert!(!report.contains("Regeneration"), "--skip-regen ran it");

    let rows = summary_rows(&report);
    assert_eq!(rows.len(), 12, "one row per target:\n{report}");
    for row in &rows {
        // Counting instructions under valgrind takes longer than a quick run may: those rows say so.
        if row.contains("instructions per item") {
            assert_eq!(mark(row), "—", "{row}");
            assert!(row.contains("not counted in a `--quick` run"), "{row}");
        } else if row.contains("three worker processes") && mark(row) == "—" {
            // No redis-server on this machine: the row says so instead of failing the run.
            assert!(
                row.contains("not measured: redis-server could not start"),
                "{row}"
            );
        } else {
            assert!(matches!(mark(row), "PASS" | "MISS"), "{row}");
        }
    }
    // Every figure published is one the run printed.
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains(&report),
        "the file is not what was printed:\n{stdout}"
    );
    // Every scan listed what the emulator holds (the run fails otherwise), and memory is a figure in MiB.
    let memory = rows.iter().find(|row| row.starts_with("| Memory")).unwrap();
    let mib: f64 = memory
        .split(" | ")
        .nth(2)
        .and_then(|result| result.split_whitespace().next())
        .and_then(|figure| figure.parse().ok())
        .unwrap_or_else(|| panic!("no figure in {memory}"));
    assert!(mib > 0.0, "{memory}");
}

#[test]
fn only_runs_the_scenarios_named() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.md");
    let output = Command::new(BENCH)
        .args(["--quick", "--only", "memory,concurrency", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report = std::fs::read_to_string(&out).unwrap();
    assert!(report.contains("## 1. Memory"));
    assert!(report.contains("## 2. Concurrency"));
    assert!(!report.contains("Paging overhead"));
    assert_eq!(summary_rows(&report).len(), 2);
}

#[test]
fn an_unknown_scenario_is_refused_with_the_allowed_names() {
    let output = Command::new(BENCH)
        .args(["--only", "pagination"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("pagination"), "{stderr}");
    assert!(stderr.contains("rate-limit"), "{stderr}");
}

#[test]
fn the_committed_report_is_a_full_run_with_every_miss_explained() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../BENCHMARKS.md");
    let report = std::fs::read_to_string(&path).unwrap();
    assert!(
        !report.contains("`--quick` run"),
        "a quick run was committed"
    );
    assert!(
        report.contains("## 6. Regeneration"),
        "a partial run was committed"
    );
    assert!(
        report.contains("release build"),
        "a debug build was committed"
    );
    let rows = summary_rows(&report);
    assert_eq!(rows.len(), 13, "one row per target");
    for row in rows.iter().filter(|row| mark(row) == "MISS") {
        let what = row.split(" | ").next().unwrap().trim_start_matches("| ");
        let explanation = report
            .lines()
            .find(|line| line.starts_with(&format!("- **{what}**")))
            .unwrap_or_else(|| panic!("no explanation of the miss {what}"));
        assert!(
            !explanation.contains("No explanation has been written yet"),
            "{explanation}"
        );
    }
}
