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

/// A client for `target`. A credential bound for plain http to another machine is a usage error unless
/// `allow_insecure_http`, and so is any other configuration the facade refuses.
pub fn build(target: Target, allow_insecure_http: bool) -> Result<Client, Failure> {
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
