//! The paging scenario's instruction counts: each side's scans in a child process under valgrind, the
//! client's instructions per item, and their verdicts.

use std::fmt::Write as _;

use anyhow::Context;

use super::{ENDPOINTS, Endpoint, Side};
use crate::measure::instructions;
use crate::report::Verdict;

/// Facade ÷ raw instructions per item.
pub const TARGET: f64 = 1.03;

/// Instructions per item of one endpoint's scans.
#[derive(Clone, Copy, Debug, PartialEq)]
struct PerItem {
    raw: f64,
    facade: f64,
}

/// The table of instructions per item (a sentence where there is none) and one verdict per endpoint,
/// counted from scans of `pages` and `2 × pages` pages served at `url`; `pages` 0 counts nothing.
pub fn counted(url: &str, pages: u64) -> (String, Vec<Verdict>) {
    let counts = if pages == 0 {
        Err("not counted in a `--quick` run".to_owned())
    } else {
        match per_item(url, pages) {
            Ok(Some(counts)) => Ok(counts),
            Ok(None) => Err("not counted: valgrind is not installed".to_owned()),
            Err(error) => {
                eprintln!("warning: the instruction counts failed: {error:#}");
                Err(format!("not counted: {error:#}"))
            }
        }
    };
    let verdicts = ENDPOINTS
        .iter()
        .enumerate()
        .map(|(index, endpoint)| verdict(*endpoint, counts.as_ref().map(|counts| &counts[index])))
        .collect();
    let table = match &counts {
        Ok(counts) => table(counts),
        Err(why) => format!("Instructions per item: {why}.\n"),
    };
    (table, verdicts)
}

fn verdict(endpoint: Endpoint, counted: Result<&PerItem, &String>) -> Verdict {
    let (result, met) = match counted {
        Ok(per_item) => {
            let ratio = per_item.facade / per_item.raw;
            (
                format!(
                    "{ratio:.3} ({:.0} against {:.0} per item)",
                    per_item.facade, per_item.raw
                ),
                Some(ratio <= TARGET),
            )
        }
        Err(why) => (why.clone(), None),
    };
    Verdict {
        key: match endpoint {
            Endpoint::Legacy => "paging-instructions-legacy",
            Endpoint::Cloud => "paging-instructions-cloud",
        },
        what: format!(
            "Paging work, {}: facade ÷ raw reqwest instructions per item (valgrind), from pre-rendered pages",
            endpoint.describe()
        ),
        target: format!("≤ {TARGET:.2}"),
        result,
        met,
    }
}

fn table(counts: &[PerItem]) -> String {
    let mut table = String::from(
        "| endpoint | raw loop, instructions per item | facade, instructions per item | facade ÷ raw, instructions |\n\
         |---|---|---|---|\n",
    );
    for (endpoint, per_item) in ENDPOINTS.iter().zip(counts) {
        let _ = writeln!(
            table,
            "| {} | {:.0} | {:.0} | {:.3} |",
            endpoint.describe(),
            per_item.raw,
            per_item.facade,
            per_item.facade / per_item.raw
        );
    }
    table
}

/// Instructions per item of each endpoint, in [`ENDPOINTS`] order; `None` when valgrind is not installed.
fn per_item(url: &str, pages: u64) -> anyhow::Result<Option<Vec<PerItem>>> {
    let exe = std::env::current_exe().context("finding the benchmark's own executable")?;
    let count = |endpoint: Endpoint, side: Side, pages: u64| -> anyhow::Result<Option<u64>> {
        let args = [
            "scan-client".to_owned(),
            format!("--url={url}"),
            format!("--endpoint={}", format!("{endpoint:?}").to_lowercase()),
            format!("--side={}", format!("{side:?}").to_lowercase()),
            format!("--pages={pages}"),
        ];
        instructions(&exe, &args)
    };
    // A count hardly depends on timing (the same scan of the same pages repeated to within a few
    // instructions, alone or beside the others, when checked), so the eight runs go at once.
    let runs: Vec<(Endpoint, Side, u64)> = ENDPOINTS
        .into_iter()
        .flat_map(|endpoint| [Side::Raw, Side::Facade].map(|side| (endpoint, side)))
        .flat_map(|(endpoint, side)| [pages, pages * 2].map(|pages| (endpoint, side, pages)))
        .collect();
    let counts: Vec<Option<u64>> = std::thread::scope(|scope| {
        let handles: Vec<_> = runs
            .iter()
            .map(|&(endpoint, side, pages)| scope.spawn(move || count(endpoint, side, pages)))
            .collect();
        handles
            .into_iter()
            .map(|handle| handle.join().expect("an instruction-count thread panicked"))
            .collect::<anyhow::Result<_>>()
    })?;
    let counted = |endpoint: Endpoint, side: Side, pages: u64| {
        runs.iter()
            .position(|run| *run == (endpoint, side, pages))
            .and_then(|index| counts[index])
    };
    let mut per_endpoint = Vec::new();
    for endpoint in ENDPOINTS {
        let mut sides = Vec::new();
        for side in [Side::Raw, Side::Facade] {
            let (Some(once), Some(twice)) = (
                counted(endpoint, side, pages),
                counted(endpoint, side, pages * 2),
            ) else {
                return Ok(None);
            };
            anyhow::ensure!(
                twice > once,
                "{endpoint:?} {side:?}: {} pages counted {twice} instructions, no more than {pages} pages ({once})",
                pages * 2
            );
            sides.push((twice - once) as f64 / (pages * 100) as f64);
        }
        per_endpoint.push(PerItem {
            raw: sides[0],
            facade: sides[1],
        });
    }
    Ok(Some(per_endpoint))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_count_within_the_target_passes_and_one_above_misses() {
        let within = verdict(
            Endpoint::Legacy,
            Ok(&PerItem {
                raw: 10_000.0,
                facade: 10_300.0,
            }),
        );
        assert_eq!(within.met, Some(true));
        assert_eq!(within.result, "1.030 (10300 against 10000 per item)");
        let above = verdict(
            Endpoint::Cloud,
            Ok(&PerItem {
                raw: 10_000.0,
                facade: 10_400.0,
            }),
        );
        assert_eq!(
            (above.key, above.met),
            ("paging-instructions-cloud", Some(false))
        );
    }

    #[test]
    fn nothing_counted_is_neither_pass_nor_miss_and_says_why() {
        let (table, verdicts) = counted("http://127.0.0.1:9", 0);
        assert!(table.contains("`--quick`"), "{table}");
        assert_eq!(verdicts.len(), 2);
        for verdict in verdicts {
            assert_eq!(verdict.met, None);
            assert!(verdict.result.contains("not counted"), "{}", verdict.result);
        }
    }
}
