//! `cargo xtask drift`: a watch on the documents Roblox publishes for our specs.
//!
//! Each spec is checked against every document that describes its API ([`UPSTREAM`]): the legacy specs against
//! inventory.roblox.com's Swagger and against the legacy part of the docs source of create.roblox.com, which
//! moves ahead of the Swagger; the Open Cloud spec against the docs source's inventory part. Each document is
//! downloaded (or read from `--from DIR`), cut to the part that concerns the spec ([`Scope`]), its hash compared
//! with the one `spec/upstream.lock` recorded ([`Lock`]), what changed since then listed as JSON paths from the
//! digest tree kept beside the lock ([`digest`]), and the spec audited against it with [`crate::audit`]. The
//! report, in Markdown, says per spec and document what changed, lists the audit's unexplained findings with a
//! YAML fragment for whatever only upstream has ([`Fragment`]), and ends with the spec's guesses
//! ([`crate::assumptions`]). Nothing is new (exit 0) when every hash matches the lock and every difference is
//! explained by an `x-differs-from-upstream` entry.

pub mod digest;
mod extract;
mod fetch;
mod fragment;
mod lock;
mod yaml;

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use anyhow::{Context, bail};
use serde::Serialize;
use serde_json::Value;

use crate::assumptions::{self, Assumption};
use crate::audit::{AuditReport, audit};
use crate::specs::Spec;
use digest::Changed;
pub use extract::Scope;
pub use fetch::Source;
pub use fragment::Fragment;
pub use lock::{Lock, LockEntry, canonical_sha256, today};
pub use yaml::to_yaml;

const SWAGGER_V1: &str = "https://inventory.roblox.com/docs/json/v1";
const SWAGGER_V2: &str = "https://inventory.roblox.com/docs/json/v2";
/// The source of create.roblox.com's API reference (Roblox/creator-docs). It describes every Open Cloud API and
/// the legacy inventory operations too, and changes weekly: only the parts about inventory are hashed and
/// audited.
const CREATOR_DOCS: &str = "https://raw.githubusercontent.com/Roblox/creator-docs/main/content/en-us/reference/cloud/openapi.json";

/// Every document Roblox publishes about our specs, as each concerns one spec: the one table of upstream URLs.
pub const UPSTREAM: [Upstream; 5] = [
    Upstream {
        key: "legacy-v1.swagger",
        spec: "legacy-v1",
        document: "the Swagger of inventory.roblox.com/v1",
        file: "legacy-v1",
        url: SWAGGER_V1,
        scope: Scope::Whole,
    },
    Upstream {
        key: "legacy-v1.creator-docs",
        spec: "legacy-v1",
        document: "the creator-docs source",
        file: "cloud-v2",
        url: CREATOR_DOCS,
        scope: Scope::LegacyInventory { version: "/v1/" },
    },
    Upstream {
        key: "legacy-v2.swagger",
        spec: "legacy-v2",
        document: "the Swagger of inventory.roblox.com/v2",
        file: "legacy-v2",
        url: SWAGGER_V2,
        scope: Scope::Whole,
    },
    Upstream {
        key: "legacy-v2.creator-docs",
        spec: "legacy-v2",
        document: "the creator-docs source",
        file: "cloud-v2",
        url: CREATOR_DOCS,
        scope: Scope::LegacyInventory { version: "/v2/" },
    },
    Upstream {
        key: "cloud-v2.creator-docs",
        spec: "cloud-v2",
        document: "the creator-docs source",
        file: "cloud-v2",
        url: CREATOR_DOCS,
        scope: Scope::OpenCloudInventory,
    },
];

/// The lock, relative to the workspace root.
pub const LOCK: &str = "spec/upstream.lock";

/// One document Roblox publishes, as it concerns one spec.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Upstream {
    /// Its name in the lock and in reports: `legacy-v1.creator-docs`.
    pub key: &'static str,
    pub spec: &'static str,
    /// What the report calls the document.
    pub document: &'static str,
    /// The file name (without `.json`) that `--from DIR` reads and `--upstream-base` downloads; the docs source
    /// is `cloud-v2` for every spec, as before there were several documents per spec.
    pub file: &'static str,
    pub url: &'static str,
    /// The part of the document that is hashed and audited.
    pub scope: Scope,
}

impl Upstream {
    /// The documents of `spec`.
    pub fn of(spec: Spec) -> impl Iterator<Item = &'static Upstream> {
        UPSTREAM
            .iter()
            .filter(move |upstream| upstream.spec == spec.name)
    }
}

/// What `cargo xtask drift` checks.
#[derive(Clone, Debug)]
pub struct Options {
    /// The workspace root: the specs are read from `ROOT/spec`.
    pub root: PathBuf,
    /// The lock to compare with (`ROOT/spec/upstream.lock`); the digest trees sit beside it, in `upstream/`.
    pub lock: PathBuf,
    pub specs: Vec<Spec>,
    /// Whether the specs were named: then a document missing from a `--from` folder is an error rather than
    /// left unchecked.
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
    /// Documents a `--from` folder lacks: their key, and the file looked for.
    pub not_checked: Vec<(String, String)>,
    /// The guesses of the specs checked: what no document backs, apart from every finding.
    pub assumptions: Vec<Assumption>,
}

/// One spec against one upstream document.
#[derive(Clone, Debug, Serialize)]
pub struct DocumentReport {
    pub spec: String,
    /// The document's key in the lock ([`Upstream::key`]).
    pub key: String,
    /// What the report calls the document ([`Upstream::document`]).
    pub document: String,
    /// The URL or file read.
    pub source: String,
    /// [`canonical_sha256`] of the document read, or of the part of it in scope.
    pub sha256: String,
    /// What part of the document was hashed and audited, when not all of it ([`Scope::describe`]).
    pub part: Option<String>,
    /// What the lock recorded, if it has the document.
    pub locked: Option<LockEntry>,
    /// When the hash moved and the lock kept the document's digest tree: every path that changed since.
    pub changes: Option<Vec<Changed>>,
    /// Differences no `x-differs-from-upstream` entry explains, and those one explains.
    #[serde(flatten)]
    pub audit: AuditReport,
    pub fragments: Vec<Fragment>,
    /// The digest tree of the part read, which `--update-lock` records.
    #[serde(skip)]
    pub digests: Value,
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

    /// The lock with every document checked recorded as seen today, and no entry of a document drift no longer
    /// reads.
    pub fn updated_lock(&self, lock: &Lock) -> Lock {
        let mut lock = lock.clone();
        lock.documents
            .retain(|key, _| UPSTREAM.iter().any(|upstream| upstream.key == key));
        for document in &self.documents {
            lock.documents.insert(
                document.key.clone(),
                LockEntry {
                    sha256: document.sha256.clone(),
                    date: self.date.clone(),
                    source: document.source.clone(),
                },
            );
        }
        lock
    }

    /// Records the lock, and the digest tree of every document checked beside it.
    pub fn record(&self, lock: &Lock, path: &Path) -> anyhow::Result<()> {
        self.updated_lock(lock).write(path)?;
        for document in &self.documents {
            digest::write(path, &document.key, &document.digests)?;
        }
        Ok(())
    }
}

/// Reads the lock (an empty one if `missing_lock_ok` and there is none), reads each document, and audits each
/// spec against each of its documents.
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
        assumptions: Vec::new(),
    };
    let mut reader = Reader::new(&options.source)?;
    for spec in &options.specs {
        // Read when a document of the spec is: a folder may hold documents of some specs only.
        let mut ours: Option<Value> = None;
        for upstream in Upstream::of(*spec) {
            let Some((source, document)) = reader.read(upstream)? else {
                let missing = reader.location(upstream);
                if options.specs_named {
                    bail!("{missing}: no such file");
                }
                report.not_checked.push((upstream.key.to_owned(), missing));
                continue;
            };
            let ours = match &mut ours {
                Some(ours) => ours,
                None => ours.insert(spec.load(&options.root)?),
            };
            report.documents.push(check_document(
                ours,
                upstream,
                &lock,
                &options.lock,
                source,
                &document,
            )?);
        }
        if let Some(ours) = &ours {
            report.assumptions.extend(assumptions::of(spec.name, ours));
        }
    }
    Ok((report, lock))
}

/// Reads each document once, however many specs it serves: downloaded, or from a folder.
struct Reader<'a> {
    source: &'a Source,
    downloader: Option<fetch::Downloader>,
    /// Each document read, by where it was read, parsed once: the docs source, a few MiB, serves every spec.
    read: HashMap<String, Option<Rc<Value>>>,
}

impl<'a> Reader<'a> {
    fn new(source: &'a Source) -> anyhow::Result<Self> {
        let downloader = match source {
            Source::Download { base } => Some(fetch::Downloader::new(base.is_some())?),
            Source::Directory(dir) => {
                if !dir.is_dir() {
                    bail!("--from {}: no such folder", dir.display());
                }
                None
            }
        };
        Ok(Reader {
            source,
            downloader,
            read: HashMap::new(),
        })
    }

    /// Where `upstream` is read from (and, for a folder that lacks it, the file looked for).
    fn location(&self, upstream: &Upstream) -> String {
        match self.source {
            Source::Download { base: Some(base) } => {
                format!("{}/{}.json", base.trim_end_matches('/'), upstream.file)
            }
            Source::Download { base: None } => upstream.url.to_owned(),
            Source::Directory(dir) => dir
                .join(format!("{}.json", upstream.file))
                .display()
                .to_string(),
        }
    }

    /// `upstream`'s document and where it was read, or `None` when a folder has no such file.
    fn read(&mut self, upstream: &Upstream) -> anyhow::Result<Option<(String, Rc<Value>)>> {
        let location = self.location(upstream);
        if let Some(known) = self.read.get(&location) {
            return Ok(known.clone().map(|document| (location, document)));
        }
        let text = match (&self.downloader, self.source) {
            (Some(downloader), _) => Some(downloader.get(&location)?),
            (None, Source::Directory(dir)) => {
                fetch::read_local(dir, upstream.file)?.map(|(_, text)| text)
            }
            (None, Source::Download { .. }) => unreachable!("a download has a downloader"),
        };
        let document = text
            .map(|text| serde_json::from_str::<Value>(&text).map(Rc::new))
            .transpose()
            .with_context(|| format!("{location} is not JSON"))?;
        self.read.insert(location.clone(), document.clone());
        Ok(document.map(|document| (location, document)))
    }
}

/// One spec against the document `text` read from `source`, taken for the spec's creator-docs source (its last
/// document in [`UPSTREAM`]): for a caller that has only the text, such as a test's stand-in for the docs source.
pub fn check(
    root: &Path,
    spec: Spec,
    lock: &Lock,
    source: String,
    text: &str,
) -> anyhow::Result<DocumentReport> {
    let document: Value =
        serde_json::from_str(text).with_context(|| format!("{source} is not JSON"))?;
    let upstream = Upstream::of(spec)
        .last()
        .expect("every spec has an upstream document");
    let ours = spec.load(root)?;
    check_document(&ours, upstream, lock, &root.join(LOCK), source, &document)
}

fn check_document(
    ours: &Value,
    upstream: &Upstream,
    lock: &Lock,
    lock_path: &Path,
    source: String,
    document: &Value,
) -> anyhow::Result<DocumentReport> {
    let part = upstream.scope.apply(document);
    let audit = audit(ours, &part)
        .with_context(|| format!("auditing spec {} against {source}", upstream.spec))?;
    let fragments = fragment::fragments(upstream.spec, ours, &part, &audit.findings)?;
    let sha256 = canonical_sha256(&part);
    let locked = lock.documents.get(upstream.key).cloned();
    let digests = digest::tree(&part);
    let changes = match &locked {
        Some(locked) if locked.sha256 != sha256 => digest::read(lock_path, upstream.key)?
            .map(|recorded| digest::changes(&recorded, &digests)),
        _ => None,
    };
    Ok(DocumentReport {
        spec: upstream.spec.to_owned(),
        key: upstream.key.to_owned(),
        document: upstream.document.to_owned(),
        sha256,
        part: upstream.scope.describe(),
        locked,
        changes,
        source,
        audit,
        fragments,
        digests,
    })
}

/// How many changed paths a document's section lists before it says how many more there are.
const CHANGES_SHOWN: usize = 100;

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
            "| spec | document | read from | since the lock | unexplained findings | explained by `x-differs-from-upstream` |"
        )?;
        writeln!(f, "|---|---|---|---|---|---|")?;
        for document in &self.documents {
            let since = if document.changed() {
                "**changed**"
            } else {
                "unchanged"
            };
            writeln!(
                f,
                "| {} | {} | {} | {since} | {} | {} |",
                document.spec,
                document.key,
                document.source,
                document.audit.findings.len(),
                document.audit.intentional.len()
            )?;
        }
        for (key, file) in &self.not_checked {
            let spec = key.split('.').next().unwrap_or(key);
            writeln!(
                f,
                "| {spec} | {key} | {file} | not checked: no such file | | |"
            )?;
        }
        for document in &self.documents {
            write!(f, "\n{document}")?;
        }
        if !self.is_clean() {
            writeln!(
                f,
                "\n---\n\nWhat to do: README.md, section \"When Roblox's docs change\". Edit the spec (or explain a \
                 difference with an `x-differs-from-upstream` entry beside its `x-wire-note`), `cargo xtask regen`, \
                 then record the documents with `cargo xtask drift --update-lock` and commit the lock and \
                 `spec/upstream/` with the spec."
            )?;
        }
        writeln!(
            f,
            "\n## Assumptions no document backs\n\nWhat the specs guess (`x-assumption`), with its evidence: \
             {} in all.\n",
            self.assumptions.len()
        )?;
        for assumption in &self.assumptions {
            writeln!(
                f,
                "- {} `{}`: {}",
                assumption.spec,
                assumption.location,
                one_line(&assumption.text)
            )?;
        }
        Ok(())
    }
}

impl fmt::Display for DocumentReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "## {} against {}\n", self.spec, self.document)?;
        match &self.part {
            Some(part) => writeln!(f, "- Document: {} ({part})", self.source)?,
            None => writeln!(f, "- Document: {}", self.source)?,
        }
        match &self.locked {
            Some(locked) if locked.sha256 == self.sha256 => writeln!(
                f,
                "- Unchanged since the lock (`{}`, recorded {}): sha256 `{}`.",
                self.key, locked.date, self.sha256
            )?,
            Some(locked) => {
                writeln!(
                    f,
                    "- **Changed since the lock** (`{}`): sha256 `{}` (recorded {}) -> `{}`.",
                    self.key, locked.sha256, locked.date, self.sha256
                )?;
                match &self.changes {
                    Some(changes) => {
                        writeln!(f, "\n### What changed since the lock\n")?;
                        for changed in changes.iter().take(CHANGES_SHOWN) {
                            writeln!(f, "- {}: `{}`", changed.change, changed.path)?;
                        }
                        if changes.len() > CHANGES_SHOWN {
                            writeln!(f, "- and {} more", changes.len() - CHANGES_SHOWN)?;
                        }
                        writeln!(f)?;
                    }
                    None => writeln!(
                        f,
                        "  The lock keeps no digest tree of it (`spec/upstream/{}.json`), so what changed shows \
                         only as the audit's findings below.",
                        self.key
                    )?,
                }
            }
            None => writeln!(
                f,
                "- **Not in the lock** (`{}`): sha256 `{}`. Record it with `cargo xtask drift --update-lock`.",
                self.key, self.sha256
            )?,
        }
        writeln!(
            f,
            "- Audit of `spec/{}.yaml` against it: {} unexplained finding(s), {} explained by \
             `x-differs-from-upstream`.",
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
