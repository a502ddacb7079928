//! `cargo xtask drift`: a watch on the documents Roblox publishes for our specs.
//!
//! For each spec, the document is downloaded from [`UPSTREAM`] (or read from `--from DIR`) and cut to the part
//! that concerns the spec ([`Scope`]: all of it, or the inventory part of the docs source), its hash compared
//! with the one `spec/upstream.lock` recorded ([`Lock`]), and the spec audited against it with
//! [`crate::audit`]. The report, in Markdown, says which documents changed since the lock, lists the audit's
//! unexplained findings, and gives for each operation, parameter, response or field only upstream has a YAML
//! fragment to start the spec edit from ([`Fragment`]). Nothing is new (exit 0) when every hash matches the lock
//! and no finding is unexplained.
//!
//! The lock holds hashes only, not the documents: what changed in a document shows up as the audit's findings
//! against our spec, which is what needs editing anyway. Once the spec says what the new document says (or an
//! `x-wire-note` says why not), `--update-lock` records the documents as seen.

mod extract;
mod fetch;
mod fragment;
mod lock;
mod yaml;

use std::fmt;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use serde::Serialize;
use serde_json::Value;

use crate::audit::{AuditReport, audit};
use crate::specs::Spec;
pub use extract::Scope;
pub use fetch::Source;
pub use fragment::Fragment;
pub use lock::{Lock, LockEntry, canonical_sha256, today};
pub use yaml::to_yaml;

/// Where Roblox publishes the document each spec is transcribed from: the one table of upstream URLs.
pub const UPSTREAM: [Upstream; 3] = [
    Upstream {
        spec: "legacy-v1",
        url: "https://inventory.roblox.com/docs/json/v1",
        scope: Scope::Whole,
    },
    Upstream {
        spec: "legacy-v2",
        url: "https://inventory.roblox.com/docs/json/v2",
        scope: Scope::Whole,
    },
    // The source of create.roblox.com's API reference (Roblox/creator-docs, the file the reference material's
    // extract comes from). It describes every Open Cloud API and changes weekly: only its inventory part is
    // hashed and audited.
    Upstream {
        spec: "cloud-v2",
        url: "https://raw.githubusercontent.com/Roblox/creator-docs/main/content/en-us/reference/cloud/openapi.json",
        scope: Scope::OpenCloudInventory,
    },
];

/// The lock, relative to the workspace root.
pub const LOCK: &str = "spec/upstream.lock";

/// One spec's upstream document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Upstream {
    pub spec: &'static str,
    pub url: &'static str,
    /// The part of the document that is hashed and audited.
    pub scope: Scope,
}

impl Upstream {
    /// The document of `spec`.
    pub fn of(spec: Spec) -> &'static Upstream {
        UPSTREAM
            .iter()
            .find(|upstream| upstream.spec == spec.name)
            .expect("every spec has an upstream document")
    }
}

/// What `cargo xtask drift` checks.
#[derive(Clone, Debug)]
pub struct Options {
    /// The workspace root: the specs are read from `ROOT/spec`.
    pub root: PathBuf,
    /// The lock to compare with (`ROOT/spec/upstream.lock`).
    pub lock: PathBuf,
    pub specs: Vec<Spec>,
    /// Whether the specs were named: then a spec whose document is missing from a `--from` folder is an error
    /// rather than left unchecked.
    pub specs_named: bool,
    pub source: Source,
}

impl Options {
    /// Every spec, downloaded from Roblox, against `ROOT/spec/upstream.lock`.
    pub fn new(root: &Path) -> Self {
        Options {
            root: root.to_path_buf(),
            lock: root.join(LOCK),
            specs: Spec::all().to_vec(),
            specs_named: false,
            source: Source::Download { base: None },
        }
    }
}

/// Everything `cargo xtask drift` found.
#[derive(Clone, Debug, Serialize)]
pub struct DriftReport {
    /// When it ran (UTC).
    pub date: String,
    pub documents: Vec<DocumentReport>,
    /// Specs whose document a `--from` folder lacks, with the file looked for.
    pub not_checked: Vec<(String, String)>,
}

/// One spec against its upstream document.
#[derive(Clone, Debug, Serialize)]
pub struct DocumentReport {
    pub spec: String,
    /// The URL or file read.
    pub source: String,
    /// [`canonical_sha256`] of the document read, or of the part of it in scope.
    pub sha256: String,
    /// What part of the document was hashed and audited, when not all of it ([`Scope::describe`]).
    pub part: Option<String>,
    /// What the lock recorded, if it has the spec.
    pub locked: Option<LockEntry>,
    pub audit: AuditReport,
    pub fragments: Vec<Fragment>,
}

impl DocumentReport {
    /// Whether the document differs from the one the lock recorded (or the lock has none).
    pub fn changed(&self) -> bool {
        self.locked
            .as_ref()
            .is_none_or(|locked| locked.sha256 != self.sha256)
    }

    /// Nothing new: unchanged since the lock, and every difference explained.
    pub fn is_clean(&self) -> bool {
        !self.changed() && self.audit.findings.is_empty()
    }
}

impl DriftReport {
    /// Nothing new in any document checked.
    pub fn is_clean(&self) -> bool {
        self.documents.iter().all(DocumentReport::is_clean)
    }

    /// The lock with every document checked recorded as seen today.
    pub fn updated_lock(&self, lock: &Lock) -> Lock {
        let mut lock = lock.clone();
        for document in &self.documents {
            lock.documents.insert(
                document.spec.clone(),
                LockEntry {
                    sha256: document.sha256.clone(),
                    date: self.date.clone(),
                    source: document.source.clone(),
                },
            );
        }
        lock
    }
}

/// Reads the lock (an empty one if `missing_ok` and there is none), reads each document, and audits each spec.
pub fn run(options: &Options, missing_lock_ok: bool) -> anyhow::Result<(DriftReport, Lock)> {
    let lock = if missing_lock_ok && !options.lock.exists() {
        Lock::default()
    } else {
        Lock::read(&options.lock)?
    };
    let mut report = DriftReport {
        date: today(),
        documents: Vec::new(),
        not_checked: Vec::new(),
    };
    let downloader = match &options.source {
        Source::Download { base } => Some(fetch::Downloader::new(base.is_some())?),
        Source::Directory(dir) => {
            if !dir.is_dir() {
                bail!("--from {}: no such folder", dir.display());
            }
            None
        }
    };
    for spec in &options.specs {
        let (source, text) = match (&options.source, &downloader) {
            (Source::Download { base }, Some(downloader)) => {
                let url = match base {
                    Some(base) => format!("{}/{}.json", base.trim_end_matches('/'), spec.name),
                    None => Upstream::of(*spec).url.to_owned(),
                };
                let text = downloader.get(&url)?;
                (url, text)
            }
            (Source::Directory(dir), _) => match fetch::read_local(dir, spec.name)? {
                Some((path, text)) => (path.display().to_string(), text),
                None if options.specs_named => {
                    bail!("{}/{}.json: no such file", dir.display(), spec.name)
                }
                None => {
                    let path = dir.join(format!("{}.json", spec.name));
                    report
                        .not_checked
                        .push((spec.name.to_owned(), path.display().to_string()));
                    continue;
                }
            },
            (Source::Download { .. }, None) => unreachable!("a download has a downloader"),
        };
        report
            .documents
            .push(check(&options.root, *spec, &lock, source, &text)?);
    }
    Ok((report, lock))
}

/// One spec against the document `text` read from `source`.
pub fn check(
    root: &Path,
    spec: Spec,
    lock: &Lock,
    source: String,
    text: &str,
) -> anyhow::Result<DocumentReport> {
    let document: Value =
        serde_json::from_str(text).with_context(|| format!("{source} is not JSON"))?;
    let scope = Upstream::of(spec).scope;
    let upstream = scope.apply(&document);
    let ours = spec.load(root)?;
    let audit = audit(&ours, &upstream)
        .with_context(|| format!("auditing spec {} against {source}", spec.name))?;
    let fragments = fragment::fragments(spec.name, &ours, &upstream, &audit.findings)?;
    Ok(DocumentReport {
        spec: spec.name.to_owned(),
        sha256: canonical_sha256(&upstream),
        part: scope.describe().map(str::to_owned),
        locked: lock.documents.get(spec.name).cloned(),
        source,
        audit,
        fragments,
    })
}

/// The report in Markdown, as the weekly issue shows it.
impl fmt::Display for DriftReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "# Upstream drift\n")?;
        let changed = self.documents.iter().filter(|d| d.changed()).count();
        let findings: usize = self.documents.iter().map(|d| d.audit.findings.len()).sum();
        let verdict = if self.is_clean() {
            "nothing new".to_owned()
        } else {
            format!(
                "**{changed} of {} document(s) changed since the lock, {findings} unexplained finding(s)**",
                self.documents.len()
            )
        };
        writeln!(
            f,
            "`cargo xtask drift` on {}: Roblox's published documents against `spec/upstream.lock` and our specs: \
             {verdict}.\n",
            self.date
        )?;
        writeln!(
            f,
            "| spec | document | since the lock | unexplained findings | explained by an `x-wire-note` |"
        )?;
        writeln!(f, "|---|---|---|---|---|")?;
        for document in &self.documents {
            let since = if document.changed() {
                "**changed**"
            } else {
                "unchanged"
            };
            writeln!(
                f,
                "| {} | {} | {since} | {} | {} |",
                document.spec,
                document.source,
                document.audit.findings.len(),
                document.audit.intentional.len()
            )?;
        }
        for (spec, file) in &self.not_checked {
            writeln!(f, "| {spec} | {file} | not checked: no such file | | |")?;
        }
        for document in &self.documents {
            write!(f, "\n{document}")?;
        }
        if !self.is_clean() {
            writeln!(
                f,
                "\n---\n\nWhat to do: README.md, section \"When Roblox's docs change\". Edit the spec (or explain a \
                 difference with an `x-wire-note`), `cargo xtask regen`, then record the documents with \
                 `cargo xtask drift --update-lock` and commit the lock with the spec."
            )?;
        }
        Ok(())
    }
}

impl fmt::Display for DocumentReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "## {}\n", self.spec)?;
        match &self.part {
            Some(part) => writeln!(f, "- Document: {} ({part})", self.source)?,
            None => writeln!(f, "- Document: {}", self.source)?,
        }
        match &self.locked {
            Some(locked) if locked.sha256 == self.sha256 => writeln!(
                f,
                "- Unchanged since the lock (recorded {}): sha256 `{}`.",
                locked.date, self.sha256
            )?,
            Some(locked) => writeln!(
                f,
                "- **Changed since the lock**: sha256 `{}` (recorded {}) -> `{}`. The lock keeps hashes \
                 only, so what changed shows as the audit's findings below.",
                locked.sha256, locked.date, self.sha256
            )?,
            None => writeln!(
                f,
                "- **Not in the lock**: sha256 `{}`. Record it with `cargo xtask drift --update-lock`.",
                self.sha256
            )?,
        }
        writeln!(
            f,
            "- Audit of `spec/{}.yaml`: {} unexplained finding(s), {} explained by an `x-wire-note`.",
            self.spec,
            self.audit.findings.len(),
            self.audit.intentional.len()
        )?;
        if !self.audit.findings.is_empty() {
            writeln!(f, "\n### Unexplained findings\n")?;
            for finding in &self.audit.findings {
                // The audit's line starts with the location: set it in code.
                let line = finding.to_string();
                let rest = line.strip_prefix(&finding.location).unwrap_or(&line);
                writeln!(f, "- `{}`{}", finding.location, one_line(rest))?;
            }
        }
        if !self.fragments.is_empty() {
            writeln!(
                f,
                "\n### Only upstream: starting points for the spec\n\nConverted mechanically from the upstream \
                 document. Then follow spec/README.md: a lowerCamelCase `operationId`, named enums with \
                 `x-enum-varnames`, `x-pagination` on paged operations, `x-wire-note` where the wire differs."
            )?;
            for fragment in &self.fragments {
                writeln!(
                    f,
                    "\n`{}`, {}:\n\n```yaml\n{}```",
                    fragment.subject, fragment.placement, fragment.yaml
                )?;
            }
        }
        Ok(())
    }
}

/// Upstream summaries carry line breaks; a list item keeps to one line.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
