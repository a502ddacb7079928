//! `rbxinv --redis URL`: every process that names one budget counts its requests in one window in Redis.

mod common;

use std::process::Output;

use common::{emulator_runtime, queue_status, rbxinv_command};
use roblox_inventory_mock::behaviour::{BehaviourConfig, Credentials};
use roblox_inventory_mock::{MockServer, WorldConfig};
use roblox_inventory_redis::testing::RedisServer;

const USER: u64 = 156;

fn emulator(runtime: &tokio::runtime::Runtime) -> MockServer {
    runtime.block_on(async {
        let behaviour = BehaviourConfig {
            credentials: Credentials {
                api_keys: vec![("first-key".into(), USER), ("second-key".into(), USER)],
                ..Credentials::default()
            },
            ..BehaviourConfig::default()
        };
        MockServer::start(WorldConfig::seeded(3), behaviour)
            .await
            .unwrap()
    })
}

fn rbxinv(server: &MockServer, args: &[&str]) -> Output {
    let url = server.url();
    rbxinv_command()
        .args(["--cloud-url", &url, "--legacy-url", &url, "--quiet"])
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn two_processes_with_two_keys_of_one_owner_count_in_one_budget() {
    let Some(redis) =
        RedisServer::start("two_processes_with_two_keys_of_one_owner_count_in_one_budget")
    else {
        return;
    };
    let runtime = emulator_runtime(1);
    let server = emulator(&runtime);
    let redis_url = redis.url();
    for key in ["first-key", "second-key"] {
        let output = rbxinv(
            &server,
            &[
                "--api-key",
                key,
                "--redis",
                &redis_url,
                "--budget-name",
                "owner-156",
                "items",
                "156",
            ],
        );
        assert_eq!(output.status.code(), Some(0), "{output:?}");
        assert!(!output.stdout.is_empty());
    }
    let sent = server
        .behaviour()
        .counters()
        .requests_for("GET /cloud/v2/users/{}/inventory-items");
    let client = redis::Client::open(redis_url).unwrap();
    let mut connection = client.get_connection().unwrap();
    let used: u64 = redis::cmd("HGET")
        .arg("rbxinv:budget:cloud:name:owner-156:window")
        .arg("used")
        .query(&mut connection)
        .unwrap();
    assert_eq!(
        used, sent,
        "every request of both processes counted in the one window"
    );
    assert!(sent >= 2);
}

#[test]
fn an_unreachable_redis_is_a_usage_error_that_shows_no_password() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let output = rbxinv_command()
        .args([
            "--mock",
            "--redis",
            &format!("redis://:hunter2@127.0.0.1:{port}/"),
            "items",
            "156",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("--redis: cannot connect"), "{stderr}");
    assert!(!stderr.contains("hunter2"), "{stderr}");
}

#[test]
fn enqueue_reads_ids_from_stdin_and_status_counts_them() {
    use std::io::Write;
    use std::process::Stdio;

    let Some(redis) = RedisServer::start("enqueue_reads_ids_from_stdin_and_status_counts_them")
    else {
        return;
    };
    let url = redis.url();
    let mut enqueue = rbxinv_command()
        .args(["--redis", &url, "enqueue", "items"])
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    enqueue
        .stdin
        .take()
        .unwrap()
        .write_all(b"156 157\n158\n")
        .unwrap();
    let enqueued = enqueue.wait_with_output().unwrap();
    assert_eq!(enqueued.status.code(), Some(0), "{enqueued:?}");
    assert!(String::from_utf8_lossy(&enqueued.stderr).contains("queued 3 items job(s)"));
    // The same users again add nothing.
    let again = rbxinv_command()
        .args(["--quiet", "--redis", &url, "enqueue", "items", "156", "158"])
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(0), "{again:?}");
    assert_eq!(queue_status(&url), "queued 3\nrunning 0\ndone 0\ndead 0\n");

    let mut bad = rbxinv_command()
        .args(["--redis", &url, "enqueue", "items"])
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    bad.stdin.take().unwrap().write_all(b"159 sixty\n").unwrap();
    let bad = bad.wait_with_output().unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&bad.stderr).contains("\"sixty\" is not a user id"),
        "{bad:?}"
    );
}

#[test]
fn the_queue_commands_need_redis() {
    for args in [
        &["enqueue", "items", "1"][..],
        &["status"],
        &["work", "--out", "/tmp"],
    ] {
        let output = rbxinv_command().args(args).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(
            String::from_utf8_lossy(&output.stderr).contains("needs --redis"),
            "{output:?}"
        );
    }
}
