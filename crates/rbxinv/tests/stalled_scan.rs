//! `rbxinv work --max-stall`: a scan whose page does not come within the limit fails, attempt after attempt,
//! and its job goes to the dead list instead of being held by a worker that is alive but waits for ever.

mod common;

use std::time::Duration;

use common::{emulator_runtime, queue_status, rbxinv_command};
use roblox_inventory_mock::behaviour::{BehaviourConfig, Credentials, FaultConfig};
use roblox_inventory_mock::world::UserSpec;
use roblox_inventory_mock::{MockServer, WorldConfig};
use roblox_inventory_redis::testing::RedisServer;

#[test]
fn a_scan_that_stalls_past_max_stall_goes_to_the_dead_list() {
    let Some(redis) = RedisServer::start("a_scan_that_stalls_past_max_stall_goes_to_the_dead_list")
    else {
        return;
    };
    let runtime = emulator_runtime(2);
    // Every answer comes 4 s late: within the client's timeouts (the page would come, and the job be done), but
    // past the one-second stall limit below.
    let server = runtime.block_on(async {
        let world = WorldConfig::seeded(3).user(
            1001,
            UserSpec {
                inventory_size: Some(50),
                ..UserSpec::default()
            },
        );
        let behaviour = BehaviourConfig {
            credentials: Credentials {
                api_keys: vec![("key-a".into(), 156)],
                ..Credentials::default()
            },
            faults: FaultConfig {
                latency_probability: 1.0,
                latency: Duration::from_secs(4),
                ..FaultConfig::default()
            },
            ..BehaviourConfig::default()
        };
        MockServer::start(world, behaviour).await.unwrap()
    });
    let redis_url = redis.url();
    let enqueue = rbxinv_command()
        .args(["--quiet", "--redis", &redis_url, "enqueue", "items", "1001"])
        .output()
        .unwrap();
    assert_eq!(enqueue.status.code(), Some(0), "{enqueue:?}");

    let out = tempfile::tempdir().unwrap();
    let url = server.url();
    let work = rbxinv_command()
        .args(["--cloud-url", &url, "--legacy-url", &url, "--quiet"])
        .args(["--api-key", "key-a", "--redis", &redis_url, "work", "--out"])
        .arg(out.path())
        .args(["--until-empty", "--idle-timeout", "1", "--max-stall", "1"])
        .output()
        .unwrap();
    assert_eq!(work.status.code(), Some(0), "{work:?}");

    assert_eq!(
        queue_status(&redis_url),
        "queued 0\nrunning 0\ndone 0\ndead 1\n"
    );
    assert!(!out.path().join("items-1001.ndjson").exists());
}
