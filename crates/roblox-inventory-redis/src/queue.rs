//! The job queue of distributed scans: a Redis stream read by one consumer group, a hash per job holding its
//! checkpoint, and a hash per job holding the records of its checkpointed pages. See the crate's README,
//! "Distributed scans", for the key layout and what is guaranteed.

use std::fmt;
use std::str::FromStr;

use redis::aio::ConnectionManager;
use redis::{RedisError, Script};
use roblox_inventory::AssetType;

/// The consumer group every worker of a queue reads the jobs stream with.
pub(crate) const GROUP: &str = "workers";

/// The operation a job scans.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ScanKind {
    /// Open Cloud inventory items (`Client::inventory_items`), written as Roblox sends them.
    Items,
    /// The legacy inventory of some asset types (`Client::user_inventory`).
    Inventory,
    /// The legacy collectibles (`Client::collectibles`).
    Collectibles,
}

impl ScanKind {
    /// The name used in job ids, keys and file names: `items`, `inventory`, `collectibles`.
    pub fn as_str(self) -> &'static str {
        match self {
            ScanKind::Items => "items",
            ScanKind::Inventory => "inventory",
            ScanKind::Collectibles => "collectibles",
        }
    }
}

impl fmt::Display for ScanKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ScanKind {
    type Err = QueueError;

    fn from_str(text: &str) -> Result<Self, QueueError> {
        match text {
            "items" => Ok(ScanKind::Items),
            "inventory" => Ok(ScanKind::Inventory),
            "collectibles" => Ok(ScanKind::Collectibles),
            other => Err(QueueError::InvalidJob(format!(
                "unknown operation {other:?} (items, inventory or collectibles)"
            ))),
        }
    }
}

/// One scan to run: an operation, the user it is about, and its filter.
///
/// The filter is text, checked when the job is enqueued:
/// - [`ScanKind::Items`]: none (a filter is refused for now);
/// - [`ScanKind::Inventory`]: the legacy asset types, comma-separated (`"Hat,Gear"` or ids `"8,19"`); required;
/// - [`ScanKind::Collectibles`]: one optional legacy asset type.
///
/// An empty filter counts as none. The job's cursor is not part of it: it is the checkpoint kept in Redis.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Job {
    /// The operation.
    pub kind: ScanKind,
    /// The user id.
    pub subject: u64,
    /// The filter, as above.
    pub filter: Option<String>,
}

impl Job {
    /// A job of `kind` about user `subject`.
    pub fn new(kind: ScanKind, subject: u64, filter: Option<String>) -> Self {
        Job {
            kind,
            subject,
            filter: filter.filter(|text| !text.is_empty()),
        }
    }

    /// The job's id: `operation:subject`. There is at most one job per id, and one output file.
    pub fn id(&self) -> JobId {
        JobId(format!("{}:{}", self.kind, self.subject))
    }

    /// The legacy asset types of the filter, checked as above.
    pub(crate) fn asset_types(&self) -> Result<Vec<AssetType>, QueueError> {
        let Some(filter) = &self.filter else {
            return Ok(Vec::new());
        };
        filter
            .split(',')
            .map(str::trim)
            .filter(|name| !name.is_empty())
            .map(|name| {
                name.parse::<AssetType>().map_err(|error| {
                    QueueError::InvalidJob(format!("unknown asset type {name:?}: {error}"))
                })
            })
            .collect()
    }

    /// Refuses a filter its operation cannot take.
    pub(crate) fn check(&self) -> Result<(), QueueError> {
        let types = self.asset_types()?;
        match self.kind {
            ScanKind::Items if self.filter.is_some() => Err(QueueError::InvalidJob(
                "items jobs take no filter yet".to_owned(),
            )),
            ScanKind::Inventory if types.is_empty() => Err(QueueError::InvalidJob(
                "inventory jobs need asset types, for example \"Hat,Gear\"".to_owned(),
            )),
            ScanKind::Collectibles if types.len() > 1 => Err(QueueError::InvalidJob(
                "collectibles jobs take at most one asset type".to_owned(),
            )),
            _ => Ok(()),
        }
    }
}

/// A job's id, `operation:subject` (for example `items:156`).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct JobId(pub(crate) String);

impl JobId {
    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for JobId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The queue's counts, read at one instant (one script).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Status {
    /// Jobs enqueued and not yet delivered to any worker.
    pub queued: u64,
    /// Jobs delivered to a worker and not finished: being scanned, waiting to be retried after a failed attempt,
    /// or held by a worker that died, until another reclaims them (the group's pending entries).
    pub running: u64,
    /// Jobs whose output file is complete (the done set; a done job is never enqueued again).
    pub done: u64,
    /// Entries of the dead-letter stream: jobs given up after `max_attempts` (a dead job enqueued again and given
    /// up again counts twice).
    pub dead: u64,
}

/// What went wrong with the queue itself (not with a job: a job's failures are recorded with the job).
#[derive(Debug, thiserror::Error)]
pub enum QueueError {
    /// Redis refused or could not be reached.
    #[error("Redis: {0}")]
    Redis(#[from] RedisError),
    /// The job cannot be run as given.
    #[error("invalid job: {0}")]
    InvalidJob(String),
    /// The output directory could not be written.
    #[error("writing the output: {0}")]
    Io(#[from] std::io::Error),
}

/// A job queue on one Redis server (or one hash slot of a cluster: give a prefix with a hash tag, `{rbxinv}`).
#[derive(Clone)]
pub struct Queue {
    pub(crate) client: redis::Client,
    pub(crate) connection: ConnectionManager,
    pub(crate) prefix: String,
    pub(crate) scripts: Scripts,
}

/// A script that acts on a job only while its worker holds it: `owned`, the one ownership check, goes first.
macro_rules! held {
    ($script:literal) => {
        Script::new(concat!(
            include_str!("scripts/owned.lua"),
            include_str!($script)
        ))
    };
}

#[derive(Clone)]
pub(crate) struct Scripts {
    pub enqueue: Script,
    pub start: Script,
    pub checkpoint: Script,
    pub keep: Script,
    pub finish: Script,
    pub fail: Script,
    pub status: Script,
}

impl fmt::Debug for Queue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Queue")
            .field("prefix", &self.prefix)
            .finish_non_exhaustive()
    }
}

impl Queue {
    /// Connects to `url` (`redis://host:port/db`); the queue's keys start with `prefix:`.
    pub async fn connect(url: &str, prefix: &str) -> Result<Self, QueueError> {
        let (client, connection) = crate::connection::connect(url).await?;
        Ok(Queue {
            client,
            connection,
            prefix: prefix.to_owned(),
            scripts: Scripts {
                enqueue: Script::new(include_str!("scripts/enqueue.lua")),
                start: held!("scripts/start.lua"),
                checkpoint: held!("scripts/checkpoint.lua"),
                keep: held!("scripts/keep.lua"),
                finish: held!("scripts/finish.lua"),
                fail: held!("scripts/fail.lua"),
                status: Script::new(include_str!("scripts/status.lua")),
            },
        })
    }

    /// Adds `job` to the queue and answers its id. A job with the same id (operation and user) that is queued,
    /// running or done is not added again: its id is answered and nothing changes (the filter given now is not
    /// stored). A job that went to the dead-letter stream is queued again from the start, its attempts reset.
    pub async fn enqueue(&self, job: Job) -> Result<JobId, QueueError> {
        job.check()?;
        let id = job.id();
        let _state: String = self
            .scripts
            .enqueue
            .key(self.jobs_key())
            .key(self.job_key(&id))
            .key(self.pages_key(&id))
            .arg(id.as_str())
            .arg(job.kind.as_str())
            .arg(job.subject)
            .arg(job.filter.as_deref().unwrap_or(""))
            .arg(GROUP)
            .invoke_async(&mut self.connection.clone())
            .await?;
        Ok(id)
    }

    /// The queue's counts; see [`Status`].
    pub async fn status(&self) -> Result<Status, QueueError> {
        let (entries, pending, done, dead): (u64, u64, u64, u64) = self
            .scripts
            .status
            .key(self.jobs_key())
            .key(self.done_key())
            .key(self.dead_key())
            .arg(GROUP)
            .invoke_async(&mut self.connection.clone())
            .await?;
        Ok(Status {
            queued: entries.saturating_sub(pending),
            running: pending,
            done,
            dead,
        })
    }

    /// Creates the consumer group (and the stream) if they do not exist yet.
    pub(crate) async fn ensure_group(&self) -> Result<(), QueueError> {
        let created: Result<(), RedisError> = redis::cmd("XGROUP")
            .arg("CREATE")
            .arg(self.jobs_key())
            .arg(GROUP)
            .arg("0")
            .arg("MKSTREAM")
            .query_async(&mut self.connection.clone())
            .await;
        match created {
            Err(error) if error.code() != Some("BUSYGROUP") => Err(error.into()),
            _ => Ok(()),
        }
    }

    pub(crate) fn jobs_key(&self) -> String {
        format!("{}:jobs", self.prefix)
    }

    pub(crate) fn job_key(&self, id: &JobId) -> String {
        format!("{}:job:{id}", self.prefix)
    }

    pub(crate) fn pages_key(&self, id: &JobId) -> String {
        format!("{}:job:{id}:pages", self.prefix)
    }

    pub(crate) fn done_key(&self) -> String {
        format!("{}:done", self.prefix)
    }

    pub(crate) fn dead_key(&self) -> String {
        format!("{}:dead", self.prefix)
    }
}
