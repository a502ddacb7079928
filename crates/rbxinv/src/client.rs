//! The facade client every command but `mock` uses: which hosts, which credentials, and refusing to send them
//! in clear.

use roblox_inventory::{Client, ConfigError, Error};

use crate::failure::{Failure, one_line};
use crate::secrets::Secrets;

/// Where requests go and what they carry.
pub struct Target {
    pub legacy_url: String,
    pub cloud_url: String,
    pub credentials: Secrets,
}

/// Where the rate budget lives: in this process (the default), or in Redis, shared.
#[derive(Default)]
pub struct SharedBudget {
    pub store: Option<std::sync::Arc<dyn roblox_inventory::BudgetStore>>,
    pub name: Option<String>,
}

impl SharedBudget {
    /// The budget in the Redis at `url`, if given, under `name`.
    pub async fn connect(url: Option<&str>, name: Option<String>) -> Result<Self, Failure> {
        let Some(url) = url else {
            return Ok(SharedBudget::default());
        };
        let store = roblox_inventory_redis::RedisBudget::connect(url, crate::scale::REDIS_PREFIX)
            .await
            .map_err(|error| {
                // The URL may hold a password: the message names neither it nor the URL.
                Failure::Usage(format!(
                    "--redis: cannot connect to the Redis server ({:?})",
                    error.kind()
                ))
            })?;
        Ok(SharedBudget {
            store: Some(std::sync::Arc::new(store)),
            name,
        })
    }
}

/// A client for `target`. A credential bound for plain http to another machine is a usage error unless
/// `allow_insecure_http`, and so is any other configuration the facade refuses.
pub fn build(
    target: Target,
    budget: SharedBudget,
    cloud_rate_limit: Option<roblox_inventory::RateLimit>,
    allow_insecure_http: bool,
) -> Result<Client, Failure> {
    let mut builder = Client::builder()
        .legacy_url(target.legacy_url)
        .cloud_url(target.cloud_url)
        .allow_insecure_http(allow_insecure_http)
        .user_agent(concat!("rbxinv/", env!("CARGO_PKG_VERSION")));
    let credentials = target.credentials;
    if let Some(key) = credentials.api_key {
        builder = builder.api_key(key);
    }
    if let Some(token) = credentials.oauth_token {
        builder = builder.oauth_token(token);
    }
    if let Some(cookie) = credentials.cookie {
        builder = builder.cookie(cookie);
    }
    if let Some(limit) = cloud_rate_limit {
        builder = builder.cloud_rate_limit(Some(limit));
    }
    if let Some(store) = budget.store {
        builder = builder.budget_store(store);
    }
    if let Some(name) = budget.name {
        builder = builder.budget_name(name);
    }
    builder.build().map_err(|error| match error {
        Error::Config(ConfigError::InsecureUrl {
            field,
            origin,
            credential,
        }) => Failure::Usage(format!(
            "--{} {origin} is plain http to a host that is not this machine, so {credential} would cross \
             the network unencrypted; use https://, or pass --allow-insecure-http to send it anyway",
            field.replace('_', "-")
        )),
        other => Failure::Usage(one_line(&other.to_string())),
    })
}
