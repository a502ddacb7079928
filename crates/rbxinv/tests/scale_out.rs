//! Three `rbxinv work` processes, two API keys of one owner, one Redis: they drain 15 users' scans against the
//! emulator (100 requests per window, the window time-scaled to five seconds) while one of them is killed with
//! SIGKILL in the middle of a scan. At most one 429 in all, at least 90 % of the ceiling, and every item of
//! every user exactly once in the output.

mod common;

use std::path::Path;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use common::{emulator_runtime, queue_status, rbxinv_command};
use roblox_inventory_mock::behaviour::{BehaviourConfig, Credentials};
use roblox_inventory_mock::world::UserSpec;
use roblox_inventory_mock::{MockServer, WorldConfig};
use roblox_inventory_redis::testing::RedisServer;

const OWNER: u64 = 156;
const USERS: std::ops::Range<u64> = 1001..1016;
const ITEMS_PER_USER: u64 = 2_700;
const LIMIT: u32 = 100;
/// Roblox's minute, divided by this: a five-second window. Shorter windows would measure the emulator's rounding
/// of `x-ratelimit-reset` up to whole seconds (which a client rightly waits out) more than the workers.
const TIME_SCALE: f64 = 12.0;

fn emulator(runtime: &tokio::runtime::Runtime) -> MockServer {
    runtime.block_on(async {
        let mut world = WorldConfig::seeded(11);
        for user in USERS {
            world = world.user(
                user,
                UserSpec {
                    inventory_size: Some(ITEMS_PER_USER),
                    ..UserSpec::default()
                },
            );
        }
        let mut behaviour = BehaviourConfig {
            credentials: Credentials {
                api_keys: vec![("key-a".into(), OWNER), ("key-b".into(), OWNER)],
                // The test's own direct scans, in a budget of their own that they cannot exhaust.
                oauth_tokens: vec![("direct-token".into(), OWNER)],
                ..Credentials::default()
            },
            time_scale: TIME_SCALE,
            ..BehaviourConfig::default()
        };
        behaviour.rate_limit.api_key_owner_limit = LIMIT;
        behaviour.rate_limit.oauth_token_limit = 1_000_000;
        MockServer::start(world, behaviour).await.unwrap()
    })
}

fn worker(server: &MockServer, redis: &str, key: &str, out: &Path) -> Child {
    let url = server.url();
    rbxinv_command()
        .args(["--cloud-url", &url, "--legacy-url", &url, "--quiet"])
        .args([
            "--api-key",
            key,
            "--redis",
            redis,
            "--budget-name",
            "owner-156",
        ])
        .args(["--cloud-rate-limit", "100/5"])
        .args(["work", "--out"])
        .arg(out)
        // A worker renews its jobs every third of this, also while it waits out the rate limit; the killed
        // worker's job is taken over this long after its last renewal.
        .args(["--concurrency", "4", "--until-empty", "--idle-timeout", "7"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

#[test]
fn three_workers_share_one_budget_and_survive_a_kill() {
    let Some(redis) = RedisServer::start("three_workers_share_one_budget_and_survive_a_kill")
    else {
        return;
    };
    let runtime = emulator_runtime(2);
    let server = emulator(&runtime);
    let out = tempfile::tempdir().unwrap();
    let redis_url = redis.url();

    let ids: Vec<String> = USERS.map(|user| user.to_string()).collect();
    let enqueue = rbxinv_command()
        .args(["--quiet", "--redis", &redis_url, "enqueue", "items"])
        .args(&ids)
        .output()
        .unwrap();
    assert_eq!(enqueue.status.code(), Some(0), "{enqueue:?}");

    let counters = || server.behaviour().counters().report();
    let started = Instant::now();
    let mut workers: Vec<Child> = ["key-a", "key-b", "key-a"]
        .into_iter()
        .map(|key| worker(&server, &redis_url, key, out.path()))
        .collect();
    // The third worker dies in the middle of its scans: no checkpoint after this moment, no file.
    let mut first_request = None;
    let mut killed = false;
    let mut last_count = 0;
    let mut last_change = started;
    loop {
        let now = counters();
        if now.requests > 0 && first_request.is_none() {
            first_request = Some(Instant::now());
        }
        if now.requests != last_count {
            if std::env::var("SCALE_OUT_TIMELINE").is_ok() {
                eprintln!("{:>6} ms {}", started.elapsed().as_millis(), now.requests);
            }
            last_count = now.requests;
            last_change = Instant::now();
        }
        if !killed && now.requests >= 150 {
            workers[2].kill().unwrap();
            workers[2].wait().unwrap();
            killed = true;
        }
        let mut running = 0;
        for child in &mut workers[..2] {
            if child.try_wait().unwrap().is_none() {
                running += 1;
            }
        }
        if running == 0 {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "the workers did not finish"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    for child in workers.iter_mut().take(2) {
        let status = child.wait().unwrap();
        let mut stderr = String::new();
        std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut stderr).unwrap();
        assert!(status.success(), "a worker failed: {stderr}");
    }
    assert!(
        killed,
        "the kill came after the work was done; make the work longer"
    );

    assert_eq!(
        queue_status(&redis_url),
        format!("queued 0\nrunning 0\ndone {}\ndead 0\n", USERS.count()),
        "every job done, none dead"
    );
    let report = counters();
    // Every user's file holds every Open Cloud item of the user exactly once: the same lines, as many times, as
    // one direct scan (the emulator's world may hold two equal items, so lines are compared as a multiset).
    let direct = roblox_inventory::Client::builder()
        .cloud_url(server.url())
        .oauth_token("direct-token")
        .cloud_rate_limit(None)
        .build()
        .unwrap();
    for user in USERS {
        let path = out.path().join(format!("items-{user}.ndjson"));
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|_| panic!("no {}", path.display()));
        let mut written: Vec<&str> = text.lines().collect();
        let mut expected: Vec<String> = runtime.block_on(async {
            let scan =
                direct.inventory_items(user, &roblox_inventory::InventoryFilter::everything());
            let items: Vec<_> = futures_util::TryStreamExt::try_collect(scan.items())
                .await
                .unwrap();
            items
                .iter()
                .map(|item| serde_json::to_string(item).unwrap())
                .collect()
        });
        written.sort_unstable();
        expected.sort_unstable();
        assert_eq!(
            written.len(),
            expected.len(),
            "user {user}: items missing or doubled"
        );
        assert!(
            written.iter().zip(&expected).all(|(a, b)| a == b),
            "user {user}: the file differs from a direct scan"
        );
    }

    assert!(
        report.rate_limited <= 1,
        "{} answers were 429",
        report.rate_limited
    );
    // The ceiling: the scans' requests need ceil(requests / LIMIT) windows at LIMIT each; the share is how many
    // they needed against how many they spanned (the emulator's windows start with its first request).
    let window = Duration::from_secs(60).div_f64(TIME_SCALE);
    let span = last_change - first_request.unwrap();
    let needed = report.requests.div_ceil(u64::from(LIMIT));
    let spanned = (span.as_secs_f64() / window.as_secs_f64()).floor() as u64 + 1;
    let share = needed as f64 / spanned as f64;
    eprintln!(
        "{} requests in {span:?}: {needed} windows needed, {spanned} spanned, {:.1} % of the ceiling, {} × 429",
        report.requests,
        share * 100.0,
        report.rate_limited
    );
    assert!(share >= 0.9, "{:.1} % of the ceiling", share * 100.0);
}
