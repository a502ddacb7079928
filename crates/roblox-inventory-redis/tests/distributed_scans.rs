//! Distributed scans against a real redis-server and the in-process emulator: draining a queue, taking over a
//! crashed worker's job from its checkpoint, the dead-letter stream, and a page delivered twice.

mod common;

use std::path::Path;
use std::time::Duration;

use common::RedisServer;
use futures_util::{StreamExt, TryStreamExt};
use roblox_inventory::{Client, InventoryFilter, RetryPolicy};
use roblox_inventory_mock::behaviour::FaultConfig;
use roblox_inventory_mock::{BehaviourConfig, Credentials, MockServer, UserSpec, WorldConfig};
use roblox_inventory_redis::{Job, JobId, Queue, ScanKind, Status, Worker, WorkerOptions};
use serde::Serialize;

const OWNER: u64 = 156;
const KEY: &str = "secret-key-of-owner-156";
const HIDDEN: u64 = 777;
const PREFIX: &str = "scans";

/// The emulator; every answer `latency` late.
async fn emulator(latency: Duration) -> MockServer {
    let mut world = WorldConfig::seeded(7)
        .user(1001, sized(250))
        .user(1002, sized(130))
        .user(1003, sized(40))
        .user(1004, sized(550))
        .user(1005, sized(550));
    world.hidden_users = vec![HIDDEN];
    let behaviour = BehaviourConfig {
        credentials: Credentials {
            api_keys: vec![(KEY.to_owned(), OWNER)],
            ..Credentials::default()
        },
        faults: FaultConfig {
            latency_probability: 1.0,
            latency,
            ..FaultConfig::default()
        },
        ..BehaviourConfig::default()
    };
    MockServer::start(world, behaviour)
        .await
        .expect("emulator starts")
}

fn sized(items: u64) -> UserSpec {
    UserSpec {
        inventory_size: Some(items),
        ..UserSpec::default()
    }
}

fn client(server: &MockServer) -> Client {
    Client::builder()
        .legacy_url(server.url())
        .cloud_url(server.url())
        .api_key(KEY)
        .retry(RetryPolicy {
            max_attempts: 2,
            max_elapsed: Duration::from_secs(2),
            base_delay: Duration::from_millis(1),
            max_delay: Duration::from_millis(5),
        })
        .build()
        .unwrap()
}

fn options(consumer: &str) -> WorkerOptions {
    let mut options = WorkerOptions::new(consumer);
    options.concurrency = 2;
    options.idle_timeout = Duration::from_millis(200);
    options.max_attempts = 3;
    options.until_empty = true;
    options
}

fn lines<T: Serialize>(items: &[T]) -> String {
    items
        .iter()
        .map(|item| serde_json::to_string(item).unwrap() + "\n")
        .collect()
}

/// A user's items as a direct scan through the facade prints them.
async fn direct_items(client: &Client, user: u64) -> String {
    let items: Vec<_> = client
        .inventory_items(user, &InventoryFilter::everything())
        .items()
        .try_collect()
        .await
        .unwrap();
    lines(&items)
}

/// Every line once, and at least `at_least` of them (an inventory's size counts positions a listing may skip).
fn assert_once_each(file: &str, at_least: usize) {
    let lines: Vec<&str> = file.lines().collect();
    let unique: std::collections::HashSet<&str> = lines.iter().copied().collect();
    assert_eq!(unique.len(), lines.len(), "a line appears twice");
    assert!(lines.len() >= at_least, "{} lines", lines.len());
}

fn output(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name)).unwrap_or_else(|error| panic!("{name}: {error}"))
}

fn requests(server: &MockServer) -> u64 {
    server.behaviour().counters().total_requests()
}

/// What every test starts from: a redis-server, the emulator, an output directory and the queue.
struct Fixture {
    queue: Queue,
    out: tempfile::TempDir,
    server: MockServer,
    redis: RedisServer,
}

impl Fixture {
    /// `None` when redis-server cannot start off CI (the test is then skipped; see `RedisServer::start`).
    async fn start(test: &str) -> Option<Fixture> {
        Fixture::start_with(test, Duration::ZERO).await
    }

    /// As `start`, with every answer of the emulator `latency` late.
    async fn start_with(test: &str, latency: Duration) -> Option<Fixture> {
        let redis = RedisServer::start(test)?;
        let server = emulator(latency).await;
        let out = tempfile::tempdir().unwrap();
        let queue = Queue::connect(&redis.url(), PREFIX).await.unwrap();
        Some(Fixture {
            queue,
            out,
            server,
            redis,
        })
    }

    fn out(&self) -> &Path {
        self.out.path()
    }

    async fn enqueue(&self, job: Job) -> JobId {
        self.queue.enqueue(job).await.unwrap()
    }

    fn worker(&self, options: WorkerOptions) -> Worker {
        Worker::new(
            self.queue.clone(),
            client(&self.server),
            self.out(),
            options,
        )
    }

    async fn status(&self) -> Status {
        self.queue.status().await.unwrap()
    }

    /// A connection of the test's own, to look at and change the queue's keys.
    async fn connection(&self) -> redis::aio::MultiplexedConnection {
        redis::Client::open(self.redis.url())
            .unwrap()
            .get_multiplexed_async_connection()
            .await
            .unwrap()
    }
}

async fn run(worker: &Worker) {
    tokio::time::timeout(Duration::from_secs(30), worker.run())
        .await
        .expect("the worker drains the queue in time")
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_worker_drains_three_users_into_one_file_each() {
    let Some(fixture) = Fixture::start("one_worker_drains_three_users_into_one_file_each").await
    else {
        return;
    };
    for user in [1001, 1002, 1003] {
        let id = fixture.enqueue(Job::new(ScanKind::Items, user, None)).await;
        assert_eq!(id.as_str(), format!("items:{user}"));
    }
    // The same job again is the same job: no second entry.
    fixture.enqueue(Job::new(ScanKind::Items, 1001, None)).await;
    assert_eq!(
        fixture.status().await,
        Status {
            queued: 3,
            ..Status::default()
        }
    );

    run(&fixture.worker(options("solo"))).await;

    let direct = client(&fixture.server);
    for user in [1001, 1002, 1003] {
        let file = output(fixture.out(), &format!("items-{user}.ndjson"));
        assert_eq!(file, direct_items(&direct, user).await, "user {user}");
        assert_once_each(&file, 20);
    }
    assert_eq!(
        fixture.status().await,
        Status {
            done: 3,
            ..Status::default()
        }
    );
    // A done job is not run again.
    fixture.enqueue(Job::new(ScanKind::Items, 1002, None)).await;
    assert_eq!(fixture.status().await.queued, 0);
    // Only the final files: no temporary file is left behind.
    let mut names: Vec<String> = std::fs::read_dir(fixture.out())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "items-1001.ndjson",
            "items-1002.ndjson",
            "items-1003.ndjson"
        ]
    );
    // The job's pages are gone from Redis once its file is written.
    let pages: bool = redis::cmd("EXISTS")
        .arg(format!("{PREFIX}:job:items:1001:pages"))
        .query_async(&mut fixture.connection().await)
        .await
        .unwrap();
    assert!(!pages);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_legacy_operations_write_the_generated_models() {
    let Some(fixture) = Fixture::start("the_legacy_operations_write_the_generated_models").await
    else {
        return;
    };
    fixture
        .enqueue(Job::new(ScanKind::Inventory, 1001, Some("Hat,Gear".into())))
        .await;
    fixture
        .enqueue(Job::new(ScanKind::Collectibles, 1004, None))
        .await;
    assert!(
        fixture
            .queue
            .enqueue(Job::new(ScanKind::Items, 1, Some("x".into())))
            .await
            .is_err()
    );
    assert!(
        fixture
            .queue
            .enqueue(Job::new(ScanKind::Inventory, 1, None))
            .await
            .is_err()
    );
    run(&fixture.worker(options("solo"))).await;

    let direct = client(&fixture.server);
    let types = ["Hat".parse().unwrap(), "Gear".parse().unwrap()];
    let inventory: Vec<_> = direct
        .user_inventory(1001, types)
        .items()
        .try_collect()
        .await
        .unwrap();
    assert!(!inventory.is_empty());
    assert_eq!(
        output(fixture.out(), "inventory-1001.ndjson"),
        lines(&inventory)
    );
    let collectibles: Vec<_> = direct
        .collectibles(1004, None)
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        output(fixture.out(), "collectibles-1004.ndjson"),
        lines(&collectibles)
    );
    assert_eq!(fixture.status().await.done, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crashed_workers_job_is_taken_over_from_its_checkpoint() {
    let Some(fixture) =
        Fixture::start("a_crashed_workers_job_is_taken_over_from_its_checkpoint").await
    else {
        return;
    };
    fixture.enqueue(Job::new(ScanKind::Items, 1004, None)).await;

    // Worker A dies right after its second checkpoint: two of the six pages are fetched.
    let mut crashing = options("a");
    crashing.crash_after_pages = Some(2);
    run(&fixture.worker(crashing)).await;
    assert_eq!(requests(&fixture.server), 2);
    assert!(!fixture.out().join("items-1004.ndjson").exists());
    assert_eq!(fixture.status().await.running, 1);

    // Worker B reclaims it once it has been idle for the idle timeout, and fetches only the four pages left.
    run(&fixture.worker(options("b"))).await;
    let by_workers = requests(&fixture.server);

    let file = output(fixture.out(), "items-1004.ndjson");
    assert_once_each(&file, 500);
    assert_eq!(file, direct_items(&client(&fixture.server), 1004).await);
    // A and B together fetched each page once: as many requests as the one direct scan.
    let direct_pages = requests(&fixture.server) - by_workers;
    assert_eq!(
        by_workers, direct_pages,
        "B resumed at the checkpoint cursor"
    );
    assert!(direct_pages > 2);
    assert_eq!(
        fixture.status().await,
        Status {
            done: 1,
            ..Status::default()
        }
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_slower_than_the_idle_timeout_stays_with_its_worker() {
    // Each answer takes 500 ms, well over the workers' 200 ms idle timeout: the worker scanning the job
    // renews it while it waits, so the other never takes it over.
    let Some(fixture) = Fixture::start_with(
        "a_job_slower_than_the_idle_timeout_stays_with_its_worker",
        Duration::from_millis(500),
    )
    .await
    else {
        return;
    };
    fixture.enqueue(Job::new(ScanKind::Items, 1002, None)).await;
    // One job at a time each: a worker with a free slot would claim the job's entry back from itself in its
    // polling, which renews it by accident.
    let one_at_a_time = |consumer| WorkerOptions {
        concurrency: 1,
        ..options(consumer)
    };
    let (a, b) = (
        fixture.worker(one_at_a_time("a")),
        fixture.worker(one_at_a_time("b")),
    );
    tokio::join!(run(&a), run(&b));
    let by_workers = requests(&fixture.server);
    // Without the renewal the job passes from worker to worker until it has used its attempts, and dies.
    assert_eq!(
        fixture.status().await,
        Status {
            done: 1,
            ..Status::default()
        }
    );

    let file = output(fixture.out(), "items-1002.ndjson");
    assert_eq!(file, direct_items(&client(&fixture.server), 1002).await);
    let direct_pages = requests(&fixture.server) - by_workers;
    assert!(direct_pages >= 2);
    assert_eq!(by_workers, direct_pages, "each page was fetched once");
    let attempts: String = redis::cmd("HGET")
        .arg(format!("{PREFIX}:job:items:1002"))
        .arg("attempts")
        .query_async(&mut fixture.connection().await)
        .await
        .unwrap();
    assert_eq!(attempts, "1", "one worker held the job throughout");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_scan_that_stalls_fails_instead_of_holding_its_job() {
    // No answer comes within the stall limit: each attempt fails as stalled, and the job goes to the dead-letter
    // stream after its three attempts instead of being renewed for ever.
    let Some(fixture) = Fixture::start_with(
        "a_scan_that_stalls_fails_instead_of_holding_its_job",
        Duration::from_secs(5),
    )
    .await
    else {
        return;
    };
    fixture.enqueue(Job::new(ScanKind::Items, 1003, None)).await;
    let mut stalling = options("a");
    stalling.max_stall = Duration::from_millis(300);
    run(&fixture.worker(stalling)).await;
    assert_eq!(
        fixture.status().await,
        Status {
            dead: 1,
            ..Status::default()
        }
    );
    let dead = dead_letters(&fixture).await;
    assert_eq!(dead[0]["attempts"], "3");
    let error = &dead[0]["error"];
    assert!(error.contains("stalled"), "{error}");
    assert!(!fixture.out().join("items-1003.ndjson").exists());
}

/// The dead-letter stream's entries, each as its fields.
async fn dead_letters(fixture: &Fixture) -> Vec<std::collections::HashMap<String, String>> {
    let dead: Vec<(String, Vec<String>)> = redis::cmd("XRANGE")
        .arg(format!("{PREFIX}:dead"))
        .arg("-")
        .arg("+")
        .query_async(&mut fixture.connection().await)
        .await
        .unwrap();
    dead.into_iter()
        .map(|(_, fields)| {
            fields
                .chunks(2)
                .map(|pair| (pair[0].clone(), pair[1].clone()))
                .collect()
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_that_keeps_failing_goes_to_the_dead_letter_stream() {
    let Some(fixture) =
        Fixture::start("a_job_that_keeps_failing_goes_to_the_dead_letter_stream").await
    else {
        return;
    };
    fixture
        .enqueue(Job::new(ScanKind::Items, HIDDEN, None))
        .await;
    fixture.enqueue(Job::new(ScanKind::Items, 1003, None)).await;
    run(&fixture.worker(options("solo"))).await;

    assert_eq!(
        fixture.status().await,
        Status {
            done: 1,
            dead: 1,
            ..Status::default()
        }
    );
    assert!(
        !fixture
            .out()
            .join(format!("items-{HIDDEN}.ndjson"))
            .exists()
    );
    assert!(fixture.out().join("items-1003.ndjson").exists());

    let dead = dead_letters(&fixture).await;
    assert_eq!(dead.len(), 1);
    let fields = &dead[0];
    assert_eq!(fields["job"], format!("items:{HIDDEN}"));
    assert_eq!(fields["attempts"], "3");
    let error = &fields["error"];
    assert!(error.contains("403"), "{error}");
    assert!(!error.contains(KEY), "no secret in the error: {error}");
    // Three attempts, each one request (a 403 is not retried).
    let counters = fixture.server.behaviour().counters();
    assert_eq!(
        counters.requests_for("GET /cloud/v2/users/{}/inventory-items"),
        3 + 1,
        "{counters:?}"
    );
}

/// A job's record changed after it was enqueued, to a filter that no longer parses: the job fails as malformed
/// (and, failing every attempt, goes to the dead-letter stream) instead of scanning with no asset types.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_whose_filter_no_longer_parses_fails_as_malformed() {
    let Some(fixture) =
        Fixture::start("a_job_whose_filter_no_longer_parses_fails_as_malformed").await
    else {
        return;
    };
    let id = fixture
        .enqueue(Job::new(ScanKind::Inventory, 1001, Some("Hat,Gear".into())))
        .await;
    let () = redis::cmd("HSET")
        .arg(format!("{PREFIX}:job:{id}"))
        .arg("filter")
        .arg("Hat,NoSuchType")
        .query_async(&mut fixture.connection().await)
        .await
        .unwrap();
    run(&fixture.worker(options("solo"))).await;

    assert_eq!(
        fixture.status().await,
        Status {
            dead: 1,
            ..Status::default()
        }
    );
    assert_eq!(requests(&fixture.server), 0, "nothing was scanned");
    assert!(!fixture.out().join("inventory-1001.ndjson").exists());
    let dead = dead_letters(&fixture).await;
    assert_eq!(dead.len(), 1);
    assert_eq!(dead[0]["job"], "inventory:1001");
    let error = &dead[0]["error"];
    assert!(error.contains("malformed"), "{error}");
    assert!(error.contains("NoSuchType"), "{error}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_delivered_twice_is_written_once() {
    let Some(fixture) = Fixture::start("a_page_delivered_twice_is_written_once").await else {
        return;
    };
    fixture.enqueue(Job::new(ScanKind::Items, 1005, None)).await;
    let mut crashing = options("a");
    crashing.crash_after_pages = Some(2);
    run(&fixture.worker(crashing)).await;

    // As if the second page had been stored but its cursor not recorded: the checkpoint goes back one page, so
    // the second page is fetched and checkpointed again under the same page number.
    let direct = client(&fixture.server);
    let mut pages = direct
        .inventory_items(1005, &InventoryFilter::everything())
        .pages();
    let first = pages.next().await.unwrap().unwrap();
    let mut connection = fixture.connection().await;
    let job = format!("{PREFIX}:job:items:1005");
    let stored: u64 = redis::cmd("HLEN")
        .arg(format!("{job}:pages"))
        .query_async(&mut connection)
        .await
        .unwrap();
    assert_eq!(stored, 2);
    let () = redis::cmd("HSET")
        .arg(&job)
        .arg("pages")
        .arg(1)
        .arg("cursor")
        .arg(first.next.unwrap())
        .query_async(&mut connection)
        .await
        .unwrap();

    run(&fixture.worker(options("b"))).await;
    let file = output(fixture.out(), "items-1005.ndjson");
    assert_once_each(&file, 500);
    assert_eq!(file, direct_items(&direct, 1005).await);
    assert_eq!(fixture.status().await.done, 1);
}

/// The names of the jobs stream's consumer groups.
async fn groups(fixture: &Fixture) -> Vec<String> {
    let reply: redis::streams::StreamInfoGroupsReply = redis::cmd("XINFO")
        .arg("GROUPS")
        .arg(format!("{PREFIX}:jobs"))
        .query_async(&mut fixture.connection().await)
        .await
        .unwrap();
    reply.groups.into_iter().map(|group| group.name).collect()
}

/// Enqueueing makes the workers' group (in its script, not a round trip of its own), also for a stream deleted
/// since, and also when the job itself is already queued.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn enqueueing_makes_the_group_even_for_a_deleted_stream() {
    let Some(fixture) =
        Fixture::start("enqueueing_makes_the_group_even_for_a_deleted_stream").await
    else {
        return;
    };
    let delete_the_stream = || async {
        let () = redis::cmd("DEL")
            .arg(format!("{PREFIX}:jobs"))
            .query_async(&mut fixture.connection().await)
            .await
            .unwrap();
    };
    fixture.enqueue(Job::new(ScanKind::Items, 1001, None)).await;
    assert_eq!(groups(&fixture).await, ["workers"]);
    delete_the_stream().await;
    fixture.enqueue(Job::new(ScanKind::Items, 1002, None)).await;
    assert_eq!(groups(&fixture).await, ["workers"]);
    delete_the_stream().await;
    // Queued as far as its hash says: nothing is added, but the group is made all the same.
    fixture.enqueue(Job::new(ScanKind::Items, 1001, None)).await;
    assert_eq!(groups(&fixture).await, ["workers"]);
}
