//! One rate budget in Redis, shared by every process that names it: a window counter for the configured limit,
//! what the server's `x-ratelimit-*` headers said, and the pause after a 429, each updated by an atomic script on
//! the server's clock (`TIME`), in keys that expire when idle.

use std::time::Duration;

use redis::aio::ConnectionManager;
use redis::{RedisError, Script};
use std::sync::Arc;

use roblox_inventory::{
    Admission, Budget, BudgetError, BudgetFuture, BudgetStore, InProcessBudget, Observation,
    RateLimit, ServerLimit, ServerQuota,
};

/// How long an untouched budget's keys live: longer than any window or pause a client uses.
const IDLE_EXPIRY: Duration = Duration::from_secs(600);

/// A budget store on one Redis server.
#[derive(Clone)]
pub struct RedisBudget {
    connection: ConnectionManager,
    prefix: String,
    scripts: Scripts,
    fallback: Option<Fallback>,
}

/// What a budget does while Redis cannot be reached, if the user chose it: keep to a share of each limit in this
/// process.
#[derive(Clone)]
struct Fallback {
    share: f64,
    local: Arc<InProcessBudget>,
}

#[derive(Clone)]
struct Scripts {
    acquire: Script,
    pause: Script,
    learn: Script,
}

impl std::fmt::Debug for RedisBudget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisBudget")
            .field("prefix", &self.prefix)
            .finish_non_exhaustive()
    }
}

impl RedisBudget {
    /// Connects to `url` (`redis://host:port/db`); the budgets' keys start with `prefix:`.
    pub async fn connect(url: &str, prefix: &str) -> Result<Self, RedisError> {
        let (_, connection) = crate::connection::connect(url).await?;
        Ok(RedisBudget {
            connection,
            prefix: prefix.to_owned(),
            scripts: Scripts {
                acquire: Script::new(include_str!("scripts/acquire.lua")),
                pause: Script::new(include_str!("scripts/pause.lua")),
                learn: Script::new(include_str!("scripts/learn.lua")),
            },
            fallback: None,
        })
    }

    /// While Redis cannot be reached, keep to `share` of each budget's limit in this process (say `1.0 / N` for
    /// N workers) instead of failing every request with `Error::Budget`. A `share` outside (0, 1] is taken as 1.
    pub fn fall_back_to_share(mut self, share: f64) -> Self {
        let share = if share > 0.0 && share <= 1.0 {
            share
        } else {
            1.0
        };
        self.fallback = Some(Fallback {
            share,
            local: Arc::new(InProcessBudget::new()),
        });
        self
    }

    /// `budget` with its limit cut to the fallback's share (at least one request per window).
    fn local_share(fallback: &Fallback, budget: &Budget) -> Budget {
        let limit = budget.limit.map(|limit| RateLimit {
            requests: ((f64::from(limit.requests) * fallback.share).floor() as u32).max(1),
            per: limit.per,
        });
        Budget::new(budget.key.clone(), limit)
    }

    /// `observation` cut to the fallback's share, for the local budget: the server's limit and remaining count are
    /// the whole key's, and the local budget would otherwise adopt them and spend every worker's part. The limit
    /// keeps at least one request per window, as `local_share` does; the remaining count has no minimum, so that
    /// a worker stops early rather than late.
    fn local_observation(fallback: &Fallback, observation: &Observation) -> Observation {
        let cut = |count: u32| (f64::from(count) * fallback.share).floor() as u32;
        // A copy, not a new one: it keeps the pause and whatever else the facade may come to say.
        let mut local = *observation;
        local.limit = observation.limit.map(|limit| ServerLimit {
            requests: cut(limit.requests).max(1),
            window: limit.window,
        });
        local.quota = observation.quota.map(|quota| ServerQuota {
            remaining: cut(quota.remaining),
            reset: quota.reset,
        });
        local
    }

    fn keys(&self, budget: &str) -> [String; 3] {
        let base = format!("{}:budget:{budget}", self.prefix);
        [
            format!("{base}:window"),
            format!("{base}:pause"),
            format!("{base}:server"),
        ]
    }

    /// Takes one request from `budget` under `limit` (requests per window, if configured): `None` when granted,
    /// else how long to wait before asking again.
    pub async fn try_acquire(
        &self,
        budget: &str,
        limit: Option<(u32, Duration)>,
    ) -> Result<Option<Duration>, RedisError> {
        let [window, pause, server] = self.keys(budget);
        let (requests, per) = limit.unwrap_or((0, Duration::ZERO));
        let wait: u64 = self
            .scripts
            .acquire
            .key(window)
            .key(pause)
            .key(server)
            .arg(requests)
            .arg(millis(per))
            .arg(millis(IDLE_EXPIRY))
            .invoke_async(&mut self.connection.clone())
            .await?;
        Ok((wait > 0).then(|| Duration::from_millis(wait)))
    }

    /// Pauses every worker of `budget` for `pause` (a 429 one of them met).
    pub async fn pause(&self, budget: &str, pause: Duration) -> Result<(), RedisError> {
        let [_, key, _] = self.keys(budget);
        self.scripts
            .pause
            .key(key)
            .arg(millis(pause))
            .invoke_async::<i64>(&mut self.connection.clone())
            .await
            .map(drop)
    }

    /// Records what the server's headers said: `remaining` requests until `reset` from now, and its own limit
    /// (`requests` per `window`).
    pub async fn learn(
        &self,
        budget: &str,
        quota: Option<(u32, Duration)>,
        limit: Option<(u32, Option<Duration>)>,
    ) -> Result<(), RedisError> {
        let [_, _, key] = self.keys(budget);
        let (remaining, reset) = quota.map_or((-1, 0), |(remaining, reset)| {
            (i64::from(remaining), millis(reset))
        });
        let (requests, window) = limit.map_or((0, 0), |(requests, window)| {
            (requests, window.map_or(0, millis))
        });
        self.scripts
            .learn
            .key(key)
            .arg(remaining)
            .arg(reset)
            .arg(requests)
            .arg(window)
            .arg(millis(IDLE_EXPIRY))
            .invoke_async::<i64>(&mut self.connection.clone())
            .await
            .map(drop)
    }
}

impl RedisBudget {
    async fn observe_shared(
        &self,
        key: &str,
        observation: &Observation,
    ) -> Result<(), BudgetError> {
        if let Some(pause) = observation.pause {
            self.pause(key, pause)
                .await
                .map_err(|error| failed("pausing the budget after a 429", error))?;
        }
        let quota = observation
            .quota
            .map(|quota| (quota.remaining, quota.reset));
        let limit = observation
            .limit
            .map(|limit| (limit.requests, limit.window));
        if quota.is_some() || limit.is_some() {
            self.learn(key, quota, limit)
                .await
                .map_err(|error| failed("recording the server's rate limit", error))?;
        }
        Ok(())
    }
}

impl BudgetStore for RedisBudget {
    fn try_acquire<'a>(&'a self, budget: &'a Budget) -> BudgetFuture<'a, Admission> {
        Box::pin(async move {
            let limit = budget.limit.map(|limit| (limit.requests, limit.per));
            match self.try_acquire(budget.key.as_str(), limit).await {
                Ok(None) => Ok(Admission::Granted),
                Ok(Some(wait)) => Ok(Admission::Wait(wait)),
                Err(error) => match &self.fallback {
                    Some(fallback) => {
                        let local = Self::local_share(fallback, budget);
                        fallback.local.try_acquire(&local).await
                    }
                    None => Err(failed("taking a request from the budget", error)),
                },
            }
        })
    }

    fn observe<'a>(
        &'a self,
        budget: &'a Budget,
        observation: &'a Observation,
    ) -> BudgetFuture<'a, ()> {
        Box::pin(async move {
            let shared = self.observe_shared(budget.key.as_str(), observation).await;
            match &self.fallback {
                // The local share learns too, so that it is ready when Redis goes away; Redis's own failure
                // is then the fallback's to absorb.
                Some(fallback) => {
                    let local = Self::local_share(fallback, budget);
                    let observation = Self::local_observation(fallback, observation);
                    fallback.local.observe(&local, &observation).await
                }
                None => shared,
            }
        })
    }
}

/// A store error that says what failed, without the connection URL (which may hold a password).
fn failed(what: &str, error: RedisError) -> BudgetError {
    let why = if error.is_connection_refusal() || error.is_io_error() {
        "the server cannot be reached".to_owned()
    } else if error.is_timeout() {
        "the server did not answer in time".to_owned()
    } else {
        format!("{:?}", error.kind())
    };
    BudgetError::new(format!("Redis budget store: {what}: {why}"))
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fallback(share: f64) -> Fallback {
        Fallback {
            share,
            local: Arc::new(InProcessBudget::new()),
        }
    }

    #[test]
    fn the_servers_counts_are_cut_to_the_share_floored() {
        let said = Observation::default()
            .with_pause(Duration::from_secs(2))
            .with_limit(ServerLimit {
                requests: 11,
                window: Some(Duration::from_secs(60)),
            })
            .with_quota(ServerQuota {
                remaining: 7,
                reset: Duration::from_secs(30),
            });
        let local = RedisBudget::local_observation(&fallback(0.5), &said);
        assert_eq!(
            local,
            Observation::default()
                .with_pause(Duration::from_secs(2))
                .with_limit(ServerLimit {
                    requests: 5,
                    window: Some(Duration::from_secs(60)),
                })
                .with_quota(ServerQuota {
                    remaining: 3,
                    reset: Duration::from_secs(30),
                })
        );
    }

    #[test]
    fn a_limit_keeps_one_request_but_a_remaining_count_may_fall_to_none() {
        let said = Observation::default()
            .with_limit(ServerLimit {
                requests: 1,
                window: None,
            })
            .with_quota(ServerQuota {
                remaining: 1,
                reset: Duration::from_secs(1),
            });
        let local = RedisBudget::local_observation(&fallback(0.25), &said);
        assert_eq!(local.limit.map(|limit| limit.requests), Some(1));
        assert_eq!(local.quota.map(|quota| quota.remaining), Some(0));
        assert_eq!(local.pause, None);
    }

    #[test]
    fn what_the_answer_did_not_say_stays_unsaid() {
        let local = RedisBudget::local_observation(&fallback(0.5), &Observation::default());
        assert!(local.is_empty());
    }
}
