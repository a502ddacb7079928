//! Scans spread over many processes (`enqueue`, `work`, `status`), on the Redis queue of
//! `roblox-inventory-redis`: jobs survive a worker's crash, and each user's file appears once, complete.

use std::io::Read;
use std::time::Duration;

use roblox_inventory::Client;
use roblox_inventory_redis::{Job, Queue, ScanKind, Worker, WorkerOptions};

use crate::args::{ScanKindArg, WorkArgs};
use crate::failure::Failure;

/// What rbxinv's keys in Redis start with: the shared budget's and the queue's.
pub(crate) const REDIS_PREFIX: &str = "rbxinv";

/// The queue at `url` (`--redis`), which these commands need.
async fn queue(url: Option<&str>) -> Result<Queue, Failure> {
    let url = url.ok_or_else(|| Failure::Usage("this command needs --redis URL".to_owned()))?;
    Queue::connect(url, REDIS_PREFIX)
        .await
        .map_err(|_| Failure::Usage("--redis: cannot connect to the Redis server".to_owned()))
}

/// `enqueue`: one job per user, from `user_ids` or, without any, from stdin.
pub async fn enqueue(
    redis: Option<&str>,
    kind: ScanKindArg,
    user_ids: Vec<u64>,
    asset_types: Option<String>,
    quiet: bool,
) -> Result<(), Failure> {
    let queue = queue(redis).await?;
    let user_ids = if user_ids.is_empty() {
        ids_from_stdin()?
    } else {
        user_ids
    };
    let kind = match kind {
        ScanKindArg::Items => ScanKind::Items,
        ScanKindArg::Inventory => ScanKind::Inventory,
        ScanKindArg::Collectibles => ScanKind::Collectibles,
    };
    for user in &user_ids {
        queue
            .enqueue(Job::new(kind, *user, asset_types.clone()))
            .await
            .map_err(|error| match error {
                roblox_inventory_redis::QueueError::InvalidJob(why) => Failure::Usage(why),
                other => Failure::Api(other.to_string()),
            })?;
    }
    if !quiet {
        eprintln!("queued {} {kind} job(s)", user_ids.len());
    }
    Ok(())
}

/// Whitespace-separated user ids on stdin; a word that is not one is a usage error naming it.
fn ids_from_stdin() -> Result<Vec<u64>, Failure> {
    let mut text = String::new();
    std::io::stdin()
        .take(16 * 1024 * 1024)
        .read_to_string(&mut text)
        .map_err(|error| Failure::Usage(format!("reading user ids from stdin: {error}")))?;
    text.split_whitespace()
        .map(|word| {
            word.parse().map_err(|_| {
                Failure::Usage(format!(
                    "stdin: {:?} is not a user id (a positive integer)",
                    crate::terminal::escape_controls(word)
                ))
            })
        })
        .collect()
}

/// `work`: runs jobs until the queue is empty (`until_empty`) or forever.
pub async fn work(redis: Option<&str>, client: Client, args: WorkArgs) -> Result<(), Failure> {
    let queue = queue(redis).await?;
    let out = args.out;
    std::fs::create_dir_all(&out)
        .map_err(|error| Failure::Usage(format!("--out {}: {error}", out.display())))?;
    let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "rbxinv".to_owned());
    let mut options = WorkerOptions::new(format!("{host}-{}", std::process::id()));
    options.concurrency = args.concurrency.max(1);
    options.until_empty = args.until_empty;
    options.idle_timeout = Duration::from_secs(args.idle_timeout.max(1));
    options.max_stall = Duration::from_secs(args.max_stall.max(1));
    Worker::new(queue, client, out, options)
        .run()
        .await
        .map_err(|error| Failure::Api(error.to_string()))
}

/// `status`: one line per state.
pub async fn status(redis: Option<&str>) -> Result<(), Failure> {
    let status = queue(redis)
        .await?
        .status()
        .await
        .map_err(|error| Failure::Api(error.to_string()))?;
    crate::commands::print_line(&format!(
        "queued {}\nrunning {}\ndone {}\ndead {}",
        status.queued, status.running, status.done, status.dead
    ))
}
