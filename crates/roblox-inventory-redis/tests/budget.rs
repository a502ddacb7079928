//! The Redis budget against a real redis-server: one limit shared by separate connections (as by separate
//! processes), a 429's pause reaching every worker, the server's headers honoured, keys that expire.

mod common;

use std::time::Duration;

use common::RedisServer;
use roblox_inventory_redis::RedisBudget;

const LIMIT: Option<(u32, Duration)> = Some((3, Duration::from_millis(400)));

async fn two_workers(server: &RedisServer) -> (RedisBudget, RedisBudget) {
    (
        RedisBudget::connect(&server.url(), "test").await.unwrap(),
        RedisBudget::connect(&server.url(), "test").await.unwrap(),
    )
}

#[tokio::test]
async fn two_connections_share_one_window() {
    let Some(server) = RedisServer::start("two_connections_share_one_window") else {
        return;
    };
    let (first, second) = two_workers(&server).await;
    assert_eq!(first.try_acquire("owner:1", LIMIT).await.unwrap(), None);
    assert_eq!(second.try_acquire("owner:1", LIMIT).await.unwrap(), None);
    assert_eq!(first.try_acquire("owner:1", LIMIT).await.unwrap(), None);
    // The window's three are used, by both together: the fourth waits, whoever asks.
    let wait = second
        .try_acquire("owner:1", LIMIT)
        .await
        .unwrap()
        .expect("a wait");
    assert!(wait <= Duration::from_millis(400), "{wait:?}");
    // Another budget is not touched.
    assert_eq!(second.try_acquire("owner:2", LIMIT).await.unwrap(), None);
    tokio::time::sleep(wait + Duration::from_millis(20)).await;
    assert_eq!(second.try_acquire("owner:1", LIMIT).await.unwrap(), None);
}

#[tokio::test]
async fn a_pause_stops_every_worker_until_it_ends() {
    let Some(server) = RedisServer::start("a_pause_stops_every_worker_until_it_ends") else {
        return;
    };
    let (first, second) = two_workers(&server).await;
    first
        .pause("owner:1", Duration::from_millis(300))
        .await
        .unwrap();
    // A shorter pause does not cut a longer one short.
    second
        .pause("owner:1", Duration::from_millis(10))
        .await
        .unwrap();
    let wait = second
        .try_acquire("owner:1", None)
        .await
        .unwrap()
        .expect("paused");
    assert!(wait > Duration::from_millis(200), "{wait:?}");
    tokio::time::sleep(wait + Duration::from_millis(20)).await;
    assert_eq!(second.try_acquire("owner:1", None).await.unwrap(), None);
}

#[tokio::test]
async fn what_the_server_said_is_honoured_and_counted_down() {
    let Some(server) = RedisServer::start("what_the_server_said_is_honoured_and_counted_down")
    else {
        return;
    };
    let (first, second) = two_workers(&server).await;
    first
        .learn("owner:1", Some((2, Duration::from_millis(300))), None)
        .await
        .unwrap();
    assert_eq!(first.try_acquire("owner:1", None).await.unwrap(), None);
    assert_eq!(second.try_acquire("owner:1", None).await.unwrap(), None);
    let wait = first
        .try_acquire("owner:1", None)
        .await
        .unwrap()
        .expect("none left");
    assert!(wait <= Duration::from_millis(300), "{wait:?}");
}

#[tokio::test]
async fn every_key_expires_when_idle() {
    let Some(server) = RedisServer::start("every_key_expires_when_idle") else {
        return;
    };
    let (budget, _) = two_workers(&server).await;
    budget.try_acquire("owner:1", LIMIT).await.unwrap();
    budget
        .pause("owner:1", Duration::from_millis(50))
        .await
        .unwrap();
    budget
        .learn("owner:1", Some((5, Duration::from_millis(50))), None)
        .await
        .unwrap();
    let client = redis::Client::open(server.url()).unwrap();
    let mut connection = client.get_connection().unwrap();
    let keys: Vec<String> = redis::cmd("KEYS")
        .arg("test:*")
        .query(&mut connection)
        .unwrap();
    assert_eq!(keys.len(), 3, "{keys:?}");
    for key in keys {
        let ttl: i64 = redis::cmd("PTTL").arg(&key).query(&mut connection).unwrap();
        assert!(ttl > 0, "{key} never expires");
    }
}
