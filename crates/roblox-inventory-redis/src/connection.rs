//! One way to connect, for the budget and the queue alike.

use std::time::Duration;

use redis::RedisError;
use redis::aio::{ConnectionManager, ConnectionManagerConfig};

/// A client for `url` and a reconnecting connection to it. A server that is not there is said within seconds,
/// not after the default minute of retries.
pub(crate) async fn connect(url: &str) -> Result<(redis::Client, ConnectionManager), RedisError> {
    let client = redis::Client::open(url)?;
    let config = ConnectionManagerConfig::new()
        .set_number_of_retries(2)
        .set_connection_timeout(Some(Duration::from_secs(2)))
        .set_response_timeout(Some(Duration::from_secs(5)));
    let connection = ConnectionManager::new_with_config(client.clone(), config).await?;
    Ok((client, connection))
}
