//! The worker of distributed scans: claims jobs from the queue's consumer group, scans page by page from each
//! job's checkpoint, checkpoints every page with its records, and writes each job's file once its scan ends.

use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use futures_util::StreamExt;
use futures_util::stream::FuturesUnordered;
use redis::aio::MultiplexedConnection;
use redis::streams::{StreamAutoClaimReply, StreamReadReply};
use redis::{Script, ScriptInvocation};
use roblox_inventory::{AssetType, Client, InventoryFilter, PagedRequest, Scan, Transport};
use serde::Serialize;

use crate::queue::{GROUP, Job, JobId, Queue, QueueError, ScanKind};

/// How a [`Worker`] runs.
#[derive(Clone, Debug)]
pub struct WorkerOptions {
    /// This worker's name in the consumer group; unique per live worker (for example `host-pid`).
    pub consumer: String,
    /// The most jobs this worker scans at once (at least 1).
    pub concurrency: usize,
    /// A job whose worker has not renewed it for this long is taken over by another (its worker is taken to have
    /// died). A worker renews each of its jobs every third of this while it scans, so slow pages, retries and
    /// rate-limit waits need not fit in it; it bounds how long a dead worker's jobs wait.
    pub idle_timeout: Duration,
    /// A scan that checkpoints no page for this long is taken to hang (a client built without timeouts, say):
    /// its worker stops renewing the job and the attempt fails, to be tried again. Longer than the slowest page,
    /// retries and rate-limit waits included.
    pub max_stall: Duration,
    /// Attempts (deliveries) of a job before it goes to the dead-letter stream (at least 1).
    pub max_attempts: u32,
    /// Return from [`Worker::run`] once no job is queued, claimable or in progress; otherwise run until dropped.
    pub until_empty: bool,
    /// Test hook: after this many checkpointed pages (all jobs together), `run` returns at once as if the
    /// process had been killed, leaving its jobs unacknowledged.
    #[doc(hidden)]
    pub crash_after_pages: Option<u64>,
}

impl WorkerOptions {
    /// Options for consumer `consumer`: 4 jobs at once, 60 s idle timeout, 10 min stall limit, 3 attempts,
    /// running until dropped.
    pub fn new(consumer: impl Into<String>) -> Self {
        WorkerOptions {
            consumer: consumer.into(),
            concurrency: 4,
            idle_timeout: Duration::from_secs(60),
            max_stall: Duration::from_secs(600),
            max_attempts: 3,
            until_empty: false,
            crash_after_pages: None,
        }
    }
}

/// Runs the jobs of a [`Queue`] with a [`Client`], writing `out_dir/<operation>-<subject>.ndjson`.
pub struct Worker {
    queue: Queue,
    client: Client,
    out_dir: PathBuf,
    options: WorkerOptions,
    pages_done: AtomicU64,
}

/// How one attempt of a job ended.
enum Outcome {
    /// Its file is written and it is done (or it was not ours, or stale: nothing to do).
    Finished,
    /// Another worker holds it now; this one stopped.
    Lost,
    /// The attempt failed with this text; recorded with the job.
    Failed(String),
    /// The test hook stopped the worker.
    Crashed,
}

/// Where a job's scan starts and the job's description.
struct Attempt {
    entry: String,
    id: JobId,
    job: Job,
    /// The legacy asset types of the job's filter, parsed when the job was checked: a scan never sees a filter
    /// that did not parse.
    types: Vec<AssetType>,
    cursor: Option<String>,
    pages: u64,
    complete: bool,
    /// Pages checkpointed in this attempt, which its renewal watches for progress.
    checkpointed: AtomicU64,
}

impl Worker {
    /// A worker of `queue` that scans with `client` (which may share a `RedisBudget` with other workers, through
    /// `ClientBuilder::budget_store`) and writes into `out_dir`.
    pub fn new(
        queue: Queue,
        client: Client,
        out_dir: impl Into<PathBuf>,
        options: WorkerOptions,
    ) -> Self {
        Worker {
            queue,
            client,
            out_dir: out_dir.into(),
            options,
            pages_done: AtomicU64::new(0),
        }
    }

    /// Claims and runs jobs: new ones (`XREADGROUP`), and ones idle longer than `idle_timeout` (`XAUTOCLAIM`:
    /// their worker died, or their last attempt failed), up to `concurrency` at once. Returns when the queue is
    /// empty with `until_empty`, else runs until the future is dropped (dropping it is a crash as far as the
    /// queue is concerned: its jobs are reclaimed after `idle_timeout`). Errors only for Redis or the output
    /// directory; a job's own failures are recorded with the job.
    pub async fn run(&self) -> Result<(), QueueError> {
        self.queue.ensure_group().await?;
        // Blocking reads on their own connection, so they never hold up the checkpoints of running jobs.
        let mut reads = self.queue.client.get_multiplexed_async_connection().await?;
        let concurrency = self.options.concurrency.max(1);
        let poll = (self.options.idle_timeout / 2)
            .clamp(Duration::from_millis(10), Duration::from_millis(200));
        let mut running = FuturesUnordered::new();
        let mut entries: HashSet<String> = HashSet::new();
        loop {
            let free = concurrency - running.len();
            let mut claimed = Vec::new();
            if free > 0 {
                claimed = self.autoclaim(free).await?;
                claimed.retain(|entry| !entries.contains(entry));
                if claimed.len() < free {
                    let block = running.is_empty().then_some(poll);
                    claimed.extend(self.read(&mut reads, free - claimed.len(), block).await?);
                }
            }
            for entry in claimed {
                entries.insert(entry.clone());
                running.push(async move {
                    let outcome = self.attempt(&entry).await;
                    (entry, outcome)
                });
            }
            if running.is_empty() {
                if self.options.until_empty && self.drained().await? {
                    return Ok(());
                }
                continue;
            }
            let finished = if running.len() < concurrency {
                match tokio::time::timeout(poll, running.next()).await {
                    Ok(finished) => finished,
                    Err(_) => continue,
                }
            } else {
                running.next().await
            };
            if let Some((entry, outcome)) = finished {
                entries.remove(&entry);
                if let Outcome::Crashed = outcome? {
                    return Ok(());
                }
            }
        }
    }

    /// Whether nothing is left: no entry delivered and unacknowledged anywhere, none waiting to be delivered.
    async fn drained(&self) -> Result<bool, QueueError> {
        let status = self.queue.status().await?;
        Ok(status.queued == 0 && status.running == 0)
    }

    async fn autoclaim(&self, count: usize) -> Result<Vec<String>, QueueError> {
        let reply: StreamAutoClaimReply = redis::cmd("XAUTOCLAIM")
            .arg(self.queue.jobs_key())
            .arg(GROUP)
            .arg(&self.options.consumer)
            .arg(millis(self.options.idle_timeout))
            .arg("0-0")
            .arg("COUNT")
            .arg(count)
            .arg("JUSTID")
            .query_async(&mut self.queue.connection.clone())
            .await?;
        Ok(reply.claimed.into_iter().map(|entry| entry.id).collect())
    }

    async fn read(
        &self,
        connection: &mut MultiplexedConnection,
        count: usize,
        block: Option<Duration>,
    ) -> Result<Vec<String>, QueueError> {
        let mut command = redis::cmd("XREADGROUP");
        command
            .arg("GROUP")
            .arg(GROUP)
            .arg(&self.options.consumer)
            .arg("COUNT")
            .arg(count);
        if let Some(block) = block {
            command.arg("BLOCK").arg(millis(block).max(1));
        }
        command.arg("STREAMS").arg(self.queue.jobs_key()).arg(">");
        let reply: Option<StreamReadReply> = command.query_async(connection).await?;
        Ok(reply
            .into_iter()
            .flat_map(|reply| reply.keys)
            .flat_map(|key| key.ids)
            .map(|entry| entry.id)
            .collect())
    }

    /// One attempt of the job of stream entry `entry`, which this worker has just claimed.
    async fn attempt(&self, entry: &str) -> Result<Outcome, QueueError> {
        // The entry holds only the job id; the job and its checkpoint are in the job's hash.
        let fields: Vec<String> = redis::cmd("XRANGE")
            .arg(self.queue.jobs_key())
            .arg(entry)
            .arg(entry)
            .query_async::<Vec<(String, Vec<String>)>>(&mut self.queue.connection.clone())
            .await?
            .into_iter()
            .flat_map(|(_, fields)| fields)
            .collect();
        let Some(id) = fields
            .chunks(2)
            .find(|pair| pair.first().is_some_and(|name| name == "job"))
            .and_then(|pair| pair.get(1))
        else {
            // Deleted since (acknowledged by a worker that held it before): nothing to do.
            return Ok(Outcome::Finished);
        };
        let id = JobId(id.clone());
        let reply: Vec<String> = self
            .held(&self.queue.scripts.start, entry, [self.queue.job_key(&id)])
            .invoke_async(&mut self.queue.connection.clone())
            .await?;
        match reply.first().map(String::as_str) {
            Some("run") => {}
            Some("lost") => return Ok(Outcome::Lost),
            _ => return Ok(Outcome::Finished),
        }
        let field = |index: usize| reply.get(index).cloned().unwrap_or_default();
        let attempts: u32 = field(1).parse().unwrap_or(u32::MAX);
        if attempts > self.options.max_attempts.max(1) {
            // Its earlier attempts all died with their worker (or their failures were recorded): give up.
            return self.fail(&id, entry, "").await;
        }
        let job = match (field(2).parse::<ScanKind>(), field(3).parse::<u64>()) {
            (Ok(kind), Ok(subject)) => Job::new(kind, subject, Some(field(4))),
            _ => return self.fail(&id, entry, "the job's record is malformed").await,
        };
        // Checked again as `enqueue` checked it: a filter changed since must fail the job, not widen or narrow
        // its scan.
        let types = match job.check().and_then(|()| job.asset_types()) {
            Ok(types) => types,
            Err(error) => {
                let error = format!("the job's record is malformed: {error}");
                return self.fail(&id, entry, &error).await;
            }
        };
        let cursor = Some(field(5)).filter(|cursor| !cursor.is_empty());
        let attempt = Attempt {
            entry: entry.to_owned(),
            id: id.clone(),
            job,
            types,
            cursor,
            pages: field(6).parse().unwrap_or(0),
            complete: field(7) == "1",
            checkpointed: AtomicU64::new(0),
        };
        // The job stays this worker's however long a page, its retries or a rate-limit pause take; a worker that
        // dies stops renewing it, and it is reclaimed `idle_timeout` later. Biased: a scan that has ended is
        // reported as it ended, even if a renewal ends in the same poll.
        let outcome = tokio::select! {
            biased;
            outcome = self.scan_and_write(&attempt) => outcome?,
            kept = self.keep(&attempt) => kept?,
        };
        match outcome {
            Outcome::Failed(error) => self.fail(&id, entry, &error).await,
            outcome => Ok(outcome),
        }
    }

    /// Renews the attempt's job every third of `idle_timeout`, while its scan makes progress. Answers
    /// [`Outcome::Lost`] once the job is no longer this worker's (a renewal came too late and another worker
    /// took it), or [`Outcome::Failed`] once no page has been checkpointed for `max_stall`.
    async fn keep(&self, attempt: &Attempt) -> Result<Outcome, QueueError> {
        let period = (self.options.idle_timeout / 3).max(Duration::from_millis(1));
        let mut progress = (0, tokio::time::Instant::now());
        loop {
            tokio::time::sleep(period).await;
            let checkpointed = attempt.checkpointed.load(Ordering::Relaxed);
            if checkpointed != progress.0 {
                progress = (checkpointed, tokio::time::Instant::now());
            } else if progress.1.elapsed() >= self.options.max_stall {
                return Ok(Outcome::Failed(format!(
                    "the scan stalled: no page for {} s",
                    self.options.max_stall.as_secs_f64()
                )));
            }
            let kept: i64 = self
                .held(&self.queue.scripts.keep, &attempt.entry, [])
                .invoke_async(&mut self.queue.connection.clone())
                .await?;
            if kept == 0 {
                return Ok(Outcome::Lost);
            }
        }
    }

    /// An invocation of a script that acts on the job of `entry` while this worker holds it (see `held!` in
    /// queue.rs): the jobs stream, then `keys`, as its keys; group, consumer and entry as its first arguments,
    /// which is how `owned.lua` reads them.
    fn held<'s, const N: usize>(
        &self,
        script: &'s Script,
        entry: &str,
        keys: [String; N],
    ) -> ScriptInvocation<'s> {
        let mut invocation = script.prepare_invoke();
        invocation.key(self.queue.jobs_key());
        for key in keys {
            invocation.key(key);
        }
        invocation.arg(GROUP).arg(&self.options.consumer).arg(entry);
        invocation
    }

    /// Records a failed attempt; the job is dead once it has had `max_attempts`, else left for a retry.
    async fn fail(&self, id: &JobId, entry: &str, error: &str) -> Result<Outcome, QueueError> {
        let queue = &self.queue;
        let keys = [queue.job_key(id), queue.pages_key(id), queue.dead_key()];
        let _dead: i64 = self
            .held(&queue.scripts.fail, entry, keys)
            .arg(self.options.max_attempts.max(1))
            .arg(error)
            .arg(id.as_str())
            .invoke_async(&mut self.queue.connection.clone())
            .await?;
        Ok(Outcome::Failed(error.to_owned()))
    }

    async fn scan_and_write(&self, attempt: &Attempt) -> Result<Outcome, QueueError> {
        if !attempt.complete {
            let job = &attempt.job;
            let client = &self.client;
            let outcome = match job.kind {
                ScanKind::Items => {
                    let scan = client.inventory_items(job.subject, &InventoryFilter::everything());
                    self.scan(attempt, scan).await?
                }
                ScanKind::Inventory => {
                    let types = attempt.types.iter().cloned();
                    self.scan(attempt, client.user_inventory(job.subject, types))
                        .await?
                }
                ScanKind::Collectibles => {
                    let asset_type = attempt.types.first().cloned();
                    self.scan(attempt, client.collectibles(job.subject, asset_type))
                        .await?
                }
            };
            if let Some(outcome) = outcome {
                return Ok(outcome);
            }
        }
        match self.write_file(attempt).await {
            Ok(()) => {}
            Err(QueueError::Io(error)) => {
                return Ok(Outcome::Failed(format!("writing the output file: {error}")));
            }
            Err(error) => return Err(error),
        }
        let queue = &self.queue;
        let keys = [
            queue.job_key(&attempt.id),
            queue.pages_key(&attempt.id),
            queue.done_key(),
        ];
        let finished: i64 = self
            .held(&queue.scripts.finish, &attempt.entry, keys)
            .arg(attempt.id.as_str())
            .invoke_async(&mut self.queue.connection.clone())
            .await?;
        Ok(if finished == 1 {
            Outcome::Finished
        } else {
            Outcome::Lost
        })
    }

    /// Scans from the checkpoint, checkpointing each page; `None` once the scan has ended.
    async fn scan<R>(
        &self,
        attempt: &Attempt,
        scan: Scan<R, &Transport>,
    ) -> Result<Option<Outcome>, QueueError>
    where
        R: PagedRequest<Item: Serialize, Cursor = String>,
    {
        let mut pages = scan.start_from(attempt.cursor.clone()).pages();
        let mut number = attempt.pages;
        while let Some(page) = pages.next().await {
            let page = match page {
                Ok(page) => page,
                Err(error) => return Ok(Some(Outcome::Failed(error.to_string()))),
            };
            let mut text = String::new();
            for item in &page.items {
                match serde_json::to_string(item) {
                    Ok(line) => {
                        text.push_str(&line);
                        text.push('\n');
                    }
                    Err(error) => {
                        return Ok(Some(Outcome::Failed(format!(
                            "serializing a record: {error}"
                        ))));
                    }
                }
            }
            let complete = page.next.is_none();
            let queue = &self.queue;
            let keys = [queue.job_key(&attempt.id), queue.pages_key(&attempt.id)];
            let stored: i64 = self
                .held(&queue.scripts.checkpoint, &attempt.entry, keys)
                .arg(number)
                .arg(text)
                .arg(page.next.as_deref().unwrap_or(""))
                .arg(if complete { "1" } else { "0" })
                .invoke_async(&mut self.queue.connection.clone())
                .await?;
            if stored != 1 {
                return Ok(Some(Outcome::Lost));
            }
            attempt.checkpointed.fetch_add(1, Ordering::Relaxed);
            number += 1;
            let done = self.pages_done.fetch_add(1, Ordering::SeqCst) + 1;
            if self
                .options
                .crash_after_pages
                .is_some_and(|limit| done >= limit)
            {
                return Ok(Some(Outcome::Crashed));
            }
            if complete {
                break;
            }
        }
        Ok(None)
    }

    /// Writes the job's pages, in order, to a temporary file, syncs it and renames it to the final name.
    async fn write_file(&self, attempt: &Attempt) -> Result<(), QueueError> {
        let mut connection = self.queue.connection.clone();
        let count: u64 = redis::cmd("HGET")
            .arg(self.queue.job_key(&attempt.id))
            .arg("pages")
            .query_async::<Option<u64>>(&mut connection)
            .await?
            .unwrap_or(0);
        let pages: Vec<Option<String>> = if count == 0 {
            Vec::new()
        } else {
            let mut command = redis::cmd("HMGET");
            command.arg(self.queue.pages_key(&attempt.id));
            for number in 0..count {
                command.arg(number);
            }
            command.query_async(&mut connection).await?
        };
        let pages = pages
            .into_iter()
            .enumerate()
            .map(|(number, page)| {
                page.ok_or_else(|| {
                    QueueError::Io(std::io::Error::other(format!(
                        "page {number} of {count} is missing from Redis"
                    )))
                })
            })
            .collect::<Result<Vec<String>, QueueError>>()?;
        let name = format!("{}-{}.ndjson", attempt.job.kind, attempt.job.subject);
        let dir = self.out_dir.clone();
        // A name of its own per worker: two workers never write the same temporary file. An attempt dropped
        // meanwhile (its job lost) leaves this write to finish: the same pages, renamed over the same name.
        let temporary = format!("{name}.tmp-{}", file_safe(&self.options.consumer));
        tokio::task::spawn_blocking(move || write_atomically(&dir, &temporary, &name, &pages))
            .await
            .map_err(|error| QueueError::Io(std::io::Error::other(error.to_string())))??;
        Ok(())
    }
}

fn write_atomically(
    dir: &Path,
    temporary: &str,
    name: &str,
    pages: &[String],
) -> Result<(), std::io::Error> {
    std::fs::create_dir_all(dir)?;
    let temporary = dir.join(temporary);
    let mut file = std::fs::File::create(&temporary)?;
    for page in pages {
        file.write_all(page.as_bytes())?;
    }
    file.sync_all()?;
    drop(file);
    std::fs::rename(&temporary, dir.join(name))?;
    // The rename itself survives a power loss once the directory is synced (where directories can be opened).
    if let Ok(directory) = std::fs::File::open(dir) {
        let _ = directory.sync_all();
    }
    Ok(())
}

fn file_safe(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}
