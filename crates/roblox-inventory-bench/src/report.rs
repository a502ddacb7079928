//! BENCHMARKS.md: a summary of every target with PASS or MISS, then one section per scenario, the machine,
//! and how to reproduce. Explanations of missed targets come from `notes/missed-targets.md`, so that a rerun
//! keeps them while the numbers change.

use std::fmt::Write as _;

/// One line of the summary: a measured figure against its target.
#[derive(Clone, Debug, PartialEq)]
pub struct Verdict {
    /// A stable name, matched by the headings of `notes/missed-targets.md`.
    pub key: &'static str,
    /// What was measured.
    pub what: String,
    /// The target, in words and figures.
    pub target: String,
    /// The figure measured: median and spread.
    pub result: String,
    /// Whether the target was met; `None` where there is no target, only a figure to publish, or where the
    /// figure could not be measured (`result` then says why).
    pub met: Option<bool>,
}

impl Verdict {
    pub fn mark(&self) -> &'static str {
        match self.met {
            Some(true) => "PASS",
            Some(false) => "MISS",
            None => "—",
        }
    }
}

/// What a scenario contributes: its verdicts and a section of prose and tables.
#[derive(Clone, Debug)]
pub struct Section {
    pub title: String,
    /// How it was measured, in a paragraph or two.
    pub method: String,
    /// Tables and figures, as Markdown.
    pub body: String,
    pub verdicts: Vec<Verdict>,
}

/// A section and how long its scenario took.
#[derive(Clone, Debug)]
pub struct Timed {
    pub section: Section,
    pub seconds: f64,
}

/// Everything one run found.
#[derive(Clone, Debug)]
pub struct Report {
    /// One line per fact about the machine and the build.
    pub machine: Vec<String>,
    pub sections: Vec<Timed>,
    /// How long the run took, build excluded, in seconds.
    pub seconds: f64,
    /// How long the release build took when `cargo xtask bench` ran it.
    pub build_seconds: Option<f64>,
    /// Whether the run was the small one (`--quick`), whose figures prove only that the harness works.
    pub quick: bool,
}

impl Report {
    pub fn verdicts(&self) -> impl Iterator<Item = &Verdict> {
        self.sections
            .iter()
            .flat_map(|timed| &timed.section.verdicts)
    }

    /// The summary table, as printed to the terminal and written at the top of the file.
    pub fn summary(&self) -> String {
        let mut out = String::from("| measured | target | result | |\n|---|---|---|---|\n");
        for verdict in self.verdicts() {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |",
                verdict.what,
                verdict.target,
                verdict.result,
                verdict.mark()
            );
        }
        out
    }

    /// Missed targets for which `notes` has no explanation.
    pub fn unexplained_misses<'a>(&'a self, notes: &'a MissNotes) -> Vec<&'a Verdict> {
        self.verdicts()
            .filter(|verdict| verdict.met == Some(false) && notes.get(verdict.key).is_none())
            .collect()
    }

    /// The whole of BENCHMARKS.md.
    pub fn markdown(&self, notes: &MissNotes) -> String {
        let mut out = String::from("# Benchmarks\n\n");
        out.push_str(
            "Written by `cargo xtask bench` (crates/roblox-inventory-bench); do not edit by hand. Every figure below \
             is one that run printed. Figures are medians with the lowest and highest sample in brackets, except \
             criterion's decode times, whose brackets hold its 95 % confidence interval.\n\n",
        );
        if self.quick {
            out.push_str(
                "**This is a `--quick` run: tiny workloads that only prove the harness works. Its figures say \
                 nothing about speed.**\n\n",
            );
        }
        out.push_str("## Summary\n\n");
        out.push_str(&self.summary());
        let misses: Vec<&Verdict> = self
            .verdicts()
            .filter(|verdict| verdict.met == Some(false))
            .collect();
        if !misses.is_empty() {
            out.push_str("\n### Missed targets\n\n");
            for verdict in misses {
                let why = notes.get(verdict.key).unwrap_or(
                    "No explanation has been written yet (notes/missed-targets.md has no entry for it).",
                );
                let _ = writeln!(out, "- **{}** ({}): {}", verdict.what, verdict.key, why);
            }
        }
        let _ = write!(out, "\nThe scenarios took {:.0} s", self.seconds);
        if let Some(build) = self.build_seconds {
            let _ = write!(
                out,
                ", after a release build of {build:.0} s: `cargo xtask bench` took {:.0} s in all",
                build + self.seconds
            );
        }
        out.push_str(".\n\n## Machine\n\n");
        for line in &self.machine {
            let _ = writeln!(out, "- {line}");
        }
        for (number, Timed { section, seconds }) in self.sections.iter().enumerate() {
            let _ = write!(
                out,
                "\n## {}. {}\n\n{}\n\n{}\n\nThis scenario took {:.0} s.\n",
                number + 1,
                section.title,
                section.method.trim_end(),
                section.body.trim_end(),
                seconds
            );
        }
        out.push_str(REPRODUCE);
        out
    }
}

const REPRODUCE: &str = "
## How to reproduce

```sh
cargo xtask bench            # release build, then every scenario; rewrites BENCHMARKS.md
cargo xtask bench --quick    # tiny workloads: checks the harness in seconds, figures meaningless
```

Everything runs on loopback against the emulator (crates/roblox-inventory-mock), started in the benchmark's
own process on a thread of its own; nothing reaches Roblox. The paging scenario has the emulator render its
pages once and serves them from memory on such a thread, so that its clients, not the server, set the pace.
The memory scenario runs its client in a child process so that its peak resident memory is the client's
alone. Close other work first: the machines this runs on are shared, and the paging ratios are only as steady
as the cores are quiet.
";

/// Explanations of missed targets: `## key` headings in `notes/missed-targets.md`, each followed by its text.
#[derive(Clone, Debug, Default)]
pub struct MissNotes(Vec<(String, String)>);

impl MissNotes {
    pub fn parse(text: &str) -> MissNotes {
        let mut notes: Vec<(String, String)> = Vec::new();
        for line in text.lines() {
            if let Some(key) = line.strip_prefix("## ") {
                notes.push((key.trim().to_owned(), String::new()));
            } else if let Some((_, body)) = notes.last_mut() {
                let line = line.trim();
                if !line.is_empty() {
                    if !body.is_empty() {
                        body.push(' ');
                    }
                    body.push_str(line);
                }
            }
        }
        notes.retain(|(_, body)| !body.is_empty());
        MissNotes(notes)
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(name, _)| name == key)
            .map(|(_, body)| body.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn verdict(key: &'static str, met: Option<bool>) -> Verdict {
        Verdict {
            key,
            what: format!("what {key}"),
            target: "≤ 1.10".into(),
            result: "1.20 (1.10–1.30)".into(),
            met,
        }
    }

    fn report(verdicts: Vec<Verdict>) -> Report {
        Report {
            machine: vec!["2 CPUs".into()],
            sections: vec![Timed {
                section: Section {
                    title: "Paging".into(),
                    method: "How.".into(),
                    body: "| a |\n".into(),
                    verdicts,
                },
                seconds: 3.0,
            }],
            seconds: 12.0,
            build_seconds: None,
            quick: false,
        }
    }

    #[test]
    fn summary_marks_each_target() {
        let report = report(vec![
            verdict("a", Some(true)),
            verdict("b", Some(false)),
            verdict("c", None),
        ]);
        let summary = report.summary();
        assert!(summary.contains("| what a | ≤ 1.10 | 1.20 (1.10–1.30) | PASS |"));
        assert!(summary.contains("| what b | ≤ 1.10 | 1.20 (1.10–1.30) | MISS |"));
        assert!(summary.contains("| what c | ≤ 1.10 | 1.20 (1.10–1.30) | — |"));
    }

    #[test]
    fn a_miss_carries_its_note_and_a_missing_note_is_reported() {
        let report = report(vec![verdict("a", Some(false)), verdict("b", Some(false))]);
        let notes = MissNotes::parse(
            "# Notes\n\nintro\n\n## a\nWhy a missed,\nand what closes it.\n\n## c\nunused\n",
        );
        assert_eq!(notes.get("a"), Some("Why a missed, and what closes it."));
        let unexplained: Vec<_> = report
            .unexplained_misses(&notes)
            .iter()
            .map(|v| v.key)
            .collect();
        assert_eq!(unexplained, ["b"]);
        let markdown = report.markdown(&notes);
        assert!(markdown.contains("- **what a** (a): Why a missed, and what closes it."));
        assert!(markdown.contains("- **what b** (b): No explanation has been written yet"));
        assert!(markdown.contains("## 1. Paging\n\nHow.\n\n| a |\n\nThis scenario took 3 s.\n"));
    }

    #[test]
    fn no_misses_no_missed_section() {
        let report = report(vec![verdict("a", Some(true))]);
        assert!(
            !report
                .markdown(&MissNotes::default())
                .contains("Missed targets")
        );
    }
}
