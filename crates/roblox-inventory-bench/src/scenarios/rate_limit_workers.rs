//! Scenario 8, the rate-limit ceiling scaled out: three `rbxinv work` processes, two API keys of one owner, one
//! Redis budget, draining a queue of users' scans against the emulator. How close together they come to the
//! owner's limit, and how many 429s they meet. The method is that of crates/rbxinv/tests/scale_out.rs, without
//! its kill (the test covers crash safety).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use roblox_inventory_mock::WorldConfig;
use roblox_inventory_mock::behaviour::{BehaviourConfig, Credentials, RateLimitConfig};
use roblox_inventory_mock::world::UserSpec;
use roblox_inventory_redis::testing::RedisServer;

use super::cli::rbxinv_binary;
use super::{Settings, thousands};
use crate::emulator::{self, Emulator, KEY_OWNER};
use crate::report::{Section, Verdict};

const KEY: &str = "rate-limit-workers";
const TARGET_SHARE: f64 = 0.90;
const MAX_429S: u64 = 1;
/// Requests per window per API key owner, Roblox's documented 100 a minute.
const LIMIT: u32 = 100;
/// The workers' keys: two of one owner, the first used twice.
const WORKER_KEYS: [&str; 3] = ["key-a", "key-b", "key-a"];
const FIRST_USER: u64 = 1001;
/// How often the emulator's counters are read.
const POLL: Duration = Duration::from_millis(20);
/// A run that takes longer has failed.
const DEADLINE: Duration = Duration::from_secs(180);

struct Run {
    requests: u64,
    too_many_requests: u64,
    span: Duration,
    needed: u64,
    spanned: u64,
    share: f64,
    items: u64,
}

pub fn run(
    settings: &Settings,
    rbxinv: Option<&Path>,
    workspace: &Path,
) -> anyhow::Result<Section> {
    let window = Duration::from_secs(60).div_f64(settings.workers_time_scale);
    let what = "Rate-limit ceiling, three worker processes on one Redis budget: share of the ceiling; 429s";
    let target = format!(
        "≥ {:.0} % of the ceiling, ≤ {MAX_429S} × 429",
        TARGET_SHARE * 100.0
    );
    let mut runs = Vec::new();
    let mut rbxinv_built = None;
    for number in 0..settings.workers_runs {
        // A redis-server of each run's own: no queue, budget or window left over from the run before.
        let Some(redis) = start_redis() else {
            if number > 0 {
                bail!(
                    "redis-server started for the first run of the scenario, not for run {}",
                    number + 1
                );
            }
            return Ok(Section {
                title: title(),
                method: method(settings, window),
                body: "Not measured: no redis-server could be started on this machine (see the log above).\n"
                    .into(),
                verdicts: vec![Verdict {
                    key: KEY,
                    what: what.into(),
                    target,
                    result: "not measured: redis-server could not start (Debian/Ubuntu: \
                             `apt-get install -y redis-server`)"
                        .into(),
                    met: None,
                }],
            });
        };
        let (binary, _) = match &rbxinv_built {
            Some(built) => built,
            None => rbxinv_built.insert(rbxinv_binary(rbxinv, workspace)?),
        };
        runs.push(measure(settings, binary, &redis, window, number)?);
    }
    let build_seconds = rbxinv_built.and_then(|(_, seconds)| seconds);
    let lowest = runs
        .iter()
        .min_by(|a, b| a.share.total_cmp(&b.share))
        .context("no samples: the rate-limit-workers scenario needs at least one run")?;
    let worst_429s = runs.iter().map(|r| r.too_many_requests).max().unwrap_or(0);

    let mut body = String::from(
        "| run | requests | 429s | first to last request | windows needed | windows spanned | share of the ceiling | items written |\n\
         |---|---|---|---|---|---|---|---|\n",
    );
    for (number, run) in runs.iter().enumerate() {
        let _ = writeln!(
            body,
            "| {} | {} | {} | {:.2} s | {} | {} | {:.1} % | {} |",
            number + 1,
            thousands(run.requests),
            run.too_many_requests,
            run.span.as_secs_f64(),
            run.needed,
            run.spanned,
            run.share * 100.0,
            thousands(run.items),
        );
    }
    if let Some(seconds) = build_seconds {
        body.push_str(&super::cli::build_note(seconds));
    }
    Ok(Section {
        title: title(),
        method: method(settings, window),
        body,
        verdicts: vec![Verdict {
            key: KEY,
            what: what.into(),
            target,
            result: format!(
                "{:.1} %, {worst_429s} × 429 ({} requests in {:.1} s)",
                lowest.share * 100.0,
                thousands(lowest.requests),
                lowest.span.as_secs_f64()
            ),
            met: Some(lowest.share >= TARGET_SHARE && worst_429s <= MAX_429S),
        }],
    })
}

/// A throwaway redis-server, or `None` when none can start. `RedisServer::start` panics under CI=true when it
/// cannot start one: here that is a row not measured, not the end of the whole benchmark.
fn start_redis() -> Option<RedisServer> {
    std::panic::catch_unwind(|| RedisServer::start("the rate-limit-workers scenario"))
        .ok()
        .flatten()
}

fn title() -> String {
    "Rate-limit ceiling: three worker processes on one Redis budget".into()
}

fn users(settings: &Settings) -> std::ops::Range<u64> {
    FIRST_USER..FIRST_USER + settings.workers_users
}

fn measure(
    settings: &Settings,
    rbxinv: &Path,
    redis: &RedisServer,
    window: Duration,
    number: usize,
) -> anyhow::Result<Run> {
    let server = start_emulator(settings)?;
    let url = server.url().to_owned();
    let redis_url = redis.url();
    let out = std::env::temp_dir().join(format!(
        "roblox-inventory-bench-workers-{}-{number}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&out);
    std::fs::create_dir_all(&out).with_context(|| format!("creating {}", out.display()))?;
    let result = (|| {
        let enqueued = clean(Command::new(rbxinv))
            .args(["--quiet", "--redis", &redis_url, "enqueue", "items"])
            .args(users(settings).map(|user| user.to_string()))
            .stdout(Stdio::null())
            .output()
            .with_context(|| format!("running {}", rbxinv.display()))?;
        if !enqueued.status.success() {
            bail!(
                "rbxinv enqueue failed ({}): {}",
                enqueued.status,
                String::from_utf8_lossy(&enqueued.stderr).trim()
            );
        }
        let rate_limit = format!("{LIMIT}/{}", window.as_secs_f64());
        let mut workers = Vec::new();
        for (index, key) in WORKER_KEYS.into_iter().enumerate() {
            let log = out.join(format!("worker-{index}.log"));
            let stderr = std::fs::File::create(&log)
                .with_context(|| format!("creating {}", log.display()))?;
            let child = clean(Command::new(rbxinv))
                .args(["--cloud-url", &url, "--legacy-url", &url, "--quiet"])
                .args(["--api-key", key, "--redis", &redis_url])
                .args(["--budget-name", &format!("owner-{KEY_OWNER}")])
                .args(["--cloud-rate-limit", &rate_limit])
                .args(["work", "--out"])
                .arg(&out)
                .args([
                    "--concurrency",
                    "4",
                    "--until-empty",
                    "--idle-timeout",
                    "10",
                ])
                .stdout(Stdio::null())
                .stderr(stderr)
                .spawn()
                .with_context(|| format!("running {}", rbxinv.display()));
            match child {
                Ok(child) => workers.push((child, log)),
                Err(error) => {
                    stop(&mut workers);
                    return Err(error);
                }
            }
        }
        let watched = watch(&server, &mut workers);
        if watched.is_err() {
            stop(&mut workers);
        }
        let (first, last) = watched?;
        for (child, log) in &mut workers {
            let status = child.wait().context("waiting for rbxinv work")?;
            if !status.success() {
                let log = std::fs::read_to_string(log).unwrap_or_default();
                bail!("an rbxinv worker failed ({status}): {}", log.trim());
            }
        }
        let report = server.counters().report();
        let mut items = 0;
        for user in users(settings) {
            let path = out.join(format!("items-{user}.ndjson"));
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("the workers wrote no {}", path.display()))?;
            items += text.lines().count() as u64;
        }
        // The ceiling: the requests need ceil(requests / LIMIT) windows at LIMIT each; the share is how many
        // they needed against how many they spanned (the emulator's windows start with its first request).
        let span = last - first;
        let needed = report.requests.div_ceil(u64::from(LIMIT));
        let spanned = (span.as_secs_f64() / window.as_secs_f64()).floor() as u64 + 1;
        Ok(Run {
            requests: report.requests,
            too_many_requests: report.rate_limited,
            span,
            needed,
            spanned,
            share: needed as f64 / spanned as f64,
            items,
        })
    })();
    let _ = std::fs::remove_dir_all(&out);
    result
}

/// Polls the emulator's request count every [`POLL`] until every worker has exited: the instants of the first
/// request seen and of the last change of the count.
fn watch(
    server: &Emulator,
    workers: &mut [(Child, PathBuf)],
) -> anyhow::Result<(Instant, Instant)> {
    let started = Instant::now();
    let mut first = None;
    let mut last = started;
    let mut count = 0;
    loop {
        let requests = server.counters().report().requests;
        if requests != count {
            let now = Instant::now();
            first.get_or_insert(now);
            count = requests;
            last = now;
        }
        let mut running = 0;
        for (child, _) in workers.iter_mut() {
            if child
                .try_wait()
                .context("waiting for rbxinv work")?
                .is_none()
            {
                running += 1;
            }
        }
        if running == 0 {
            break;
        }
        if started.elapsed() > DEADLINE {
            bail!("the workers did not finish within {} s", DEADLINE.as_secs());
        }
        std::thread::sleep(POLL);
    }
    let first = first.context("the workers sent no request")?;
    Ok((first, last))
}

/// Stops the workers this run started, each by its own handle.
fn stop(workers: &mut [(Child, PathBuf)]) {
    for (child, _) in workers {
        let _ = child.kill();
        let _ = child.wait();
    }
}

/// Only the flags count: no credential of the environment reaches the child.
fn clean(mut command: Command) -> Command {
    for variable in [
        "ROBLOX_API_KEY",
        "ROBLOX_OAUTH_TOKEN",
        "ROBLOSECURITY",
        "COLUMNS",
    ] {
        command.env_remove(variable);
    }
    command.stdin(Stdio::null());
    command
}

fn start_emulator(settings: &Settings) -> anyhow::Result<Emulator> {
    let mut world = WorldConfig::seeded(11);
    for user in users(settings) {
        world = world.user(
            user,
            UserSpec {
                inventory_size: Some(settings.workers_items_per_user),
                ..UserSpec::default()
            },
        );
    }
    let behaviour = BehaviourConfig {
        credentials: Credentials {
            api_keys: WORKER_KEYS[..2]
                .iter()
                .map(|key| ((*key).to_owned(), KEY_OWNER))
                .collect(),
            ..Credentials::default()
        },
        time_scale: settings.workers_time_scale,
        ..emulator::behaviour(RateLimitConfig {
            window: Duration::from_secs(60),
            api_key_owner_limit: LIMIT,
            ..emulator::unlimited()
        })
    };
    Emulator::start(world, behaviour)
}

fn method(settings: &Settings, window: Duration) -> String {
    format!(
        "Scaling out, as crates/rbxinv/tests/scale_out.rs does (without its kill: the test covers crash \
         safety). A real redis-server on loopback (started by `roblox_inventory_redis::testing::RedisServer`; \
         without one this row is not measured) and the emulator, on a thread of this process, with two API keys \
         of one owner and a limit of {LIMIT} Open Cloud requests per window per owner, Roblox's documented 100 a \
         minute with time scaled {:.0}-fold so that a window lasts {:.1} s. `rbxinv --redis URL enqueue items` \
         queues {} users of {} items each ({} pages of 100 per user), then three child processes `rbxinv \
         --api-key key-a|key-b|key-a --redis URL --budget-name owner-{KEY_OWNER} --cloud-rate-limit {LIMIT}/{} \
         work --concurrency 4 --until-empty --idle-timeout 10` drain the queue together, each scan's requests \
         taken from the one budget in Redis. This process reads the emulator's request counter every {} ms \
         until every worker has exited; the first and last instants at which it changed bound the span. The \
         share of the ceiling: the requests need ceil(requests / {LIMIT}) windows at the limit (windows \
         needed); they spanned floor(span / window) + 1 of the emulator's windows, which start with its first \
         request (windows spanned); the share is needed ÷ spanned, 100 % when every window but the \
         last is spent to the limit. 429s are the emulator's count over the run. {} run{} against a fresh emulator \
         and a fresh redis-server; the summary shows the lowest share and the most 429s.",
        settings.workers_time_scale,
        window.as_secs_f64(),
        settings.workers_users,
        thousands(settings.workers_items_per_user),
        settings.workers_items_per_user.div_ceil(100),
        window.as_secs_f64(),
        POLL.as_millis(),
        settings.workers_runs,
        if settings.workers_runs == 1 { "" } else { "s" },
    )
}
