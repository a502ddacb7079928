//! The emulator's data: a world computed from a seed, user by user and item by item, plus the little state
//! that mutations change (assets given up, collections).

pub mod asset_types;
pub mod hash;
mod item;
mod owners;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

pub use item::{
    AssetInfo, Collectible, Item, ItemKind, ItemMix, NATURAL_COLLECTIBLE_PER_MILLE, asset_info,
    asset_of_collectible_item, generate, generate_with,
};
pub(crate) use item::{BUNDLE_ID_BASE, OTHER_CATALOG};
pub use owners::{AssetOwner, Place, asset_owner, asset_owner_count, place, place_count};

/// How the world is made. `Default` is seed 0, 100 items per user, nobody hidden.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct WorldConfig {
    /// Everything generated derives from it: same seed, same world.
    pub seed: u64,
    /// The inventory size of users without a [`UserSpec`].
    pub default_inventory_size: u64,
    /// Users whose inventory is private ("Who can see my inventory?" not Everyone).
    pub hidden_users: Vec<u64>,
    /// Per-user overrides.
    pub users: BTreeMap<u64, UserSpec>,
    /// How Open Cloud scans end: on the last page with items (the default), or on empty pages after it, as
    /// Roblox's guide and captures show can happen (WIRE-QUIRKS 20).
    pub empty_trailing_page: EmptyTrailingPage,
    /// The share of each kind of item in generated inventories of users without their own [`UserSpec::mix`].
    pub default_mix: ItemMix,
    /// The most inventory positions one listing request examines (0 counts as 1). When a filter leaves them all
    /// out, the page comes back short, possibly empty, with a cursor to where the examination stopped, as
    /// Roblox's own pages can. Default [`DEFAULT_MAX_EXAMINED_PER_REQUEST`].
    pub max_examined_per_request: u64,
}

/// How an Open Cloud scan ends ([`WorldConfig::empty_trailing_page`]). Each variant is one way Roblox's sources
/// say a scan may end; every one of them must end a client's scan with each item once and no error.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum EmptyTrailingPage {
    /// The last page with items carries `""`.
    #[default]
    None,
    /// The last page with items carries a token to an empty page, which carries `""` (the guide's example).
    EmptyToken,
    /// As `EmptyToken`, but the empty page carries a fresh token to a second empty page, which carries `""`.
    FreshToken,
    /// The last page with items carries a token to an empty page, which answers with the very token it was
    /// sent (as the one captured page from outside the docs carries `"djEv"`, a token with no position in it).
    SameToken,
}

/// The default of [`WorldConfig::max_examined_per_request`]. A page holds at most 100 items, and the sparsest
/// selection clients scan by (one legacy asset type, in about one position in 60 of a default inventory)
/// fills one after about 6,000 positions, with a standard deviation near 600: 10,000 keeps such pages full
/// while bounding the work of a request whose filter matches nothing to milliseconds, where before it
/// scanned the whole inventory in one handler.
pub const DEFAULT_MAX_EXAMINED_PER_REQUEST: u64 = 10_000;

impl Default for WorldConfig {
    fn default() -> Self {
        Self {
            seed: 0,
            default_inventory_size: 100,
            hidden_users: Vec::new(),
            users: BTreeMap::new(),
            empty_trailing_page: EmptyTrailingPage::None,
            default_mix: ItemMix::default(),
            max_examined_per_request: DEFAULT_MAX_EXAMINED_PER_REQUEST,
        }
    }
}

impl WorldConfig {
    /// A world of `seed` with the default sizes.
    pub fn seeded(seed: u64) -> Self {
        Self {
            seed,
            ..Self::default()
        }
    }

    /// Sets one user's spec.
    pub fn user(mut self, user_id: u64, spec: UserSpec) -> Self {
        self.users.insert(user_id, spec);
        self
    }
}

/// One user's overrides.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct UserSpec {
    /// The number of generated items (ignored when `fixture` is set).
    pub inventory_size: Option<u64>,
    /// Whether the inventory is private.
    pub hidden: bool,
    /// Explicit items instead of generated ones.
    pub fixture: Option<Fixture>,
    /// The share of each kind of item in the generated inventory (ignored when `fixture` is set); `None` is
    /// [`WorldConfig::default_mix`].
    pub mix: Option<ItemMix>,
}

/// Explicit inventory contents for a test, for example from JSON:
/// `{"items":[{"userAssetId":1,"name":"Hat","createdMs":0,"kind":{"kind":"asset","assetId":10000000001,"assetType":8}}]}`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Fixture {
    /// The items, in any order (listings sort them by userAssetId).
    pub items: Vec<Item>,
}

/// The kind of item a collection holds (`/v1/collections/items/{itemType}/...`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CollectionKind {
    Asset,
    Bundle,
}

/// The world: configuration plus mutable state. Shared by all handlers.
#[derive(Debug)]
pub struct World {
    config: WorldConfig,
    fixtures: BTreeMap<u64, Vec<Item>>,
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    // (user, userAssetId) of copies given up.
    removed: BTreeSet<(u64, u64)>,
    collections: BTreeSet<(u64, CollectionKind, u64)>,
}

impl World {
    /// Builds the world; fixtures are sorted here once.
    pub fn new(config: WorldConfig) -> Self {
        let fixtures = config
            .users
            .iter()
            .filter_map(|(user, spec)| {
                let mut items = spec.fixture.as_ref()?.items.clone();
                items.sort_by_key(|item| item.user_asset_id);
                Some((*user, items))
            })
            .collect();
        Self {
            config,
            fixtures,
            state: Mutex::new(State::default()),
        }
    }

    /// The seed.
    pub fn seed(&self) -> u64 {
        self.config.seed
    }

    /// Every positive id is a user; 0 is not.
    pub fn user_exists(&self, user: u64) -> bool {
        user > 0
    }

    /// The user's display name.
    pub fn username(&self, user: u64) -> String {
        format!("Player{user}")
    }

    /// How Open Cloud scans end ([`WorldConfig::empty_trailing_page`]).
    pub fn empty_trailing_page(&self) -> EmptyTrailingPage {
        self.config.empty_trailing_page
    }

    /// The most positions one listing request examines ([`WorldConfig::max_examined_per_request`]).
    pub fn max_examined_per_request(&self) -> u64 {
        self.config.max_examined_per_request
    }

    /// Whether `user`'s inventory is private.
    pub fn is_hidden(&self, user: u64) -> bool {
        self.config.hidden_users.contains(&user)
            || self.config.users.get(&user).is_some_and(|spec| spec.hidden)
    }

    /// A snapshot of the user's inventory: generation parameters plus the copies given up so far.
    pub fn inventory(&self, user: u64) -> Inventory<'_> {
        let removed = self
            .lock()
            .removed
            .range((user, 0)..=(user, u64::MAX))
            .map(|(_, id)| *id)
            .collect();
        let source = match self.fixtures.get(&user) {
            Some(items) => Source::Fixture(items),
            None => {
                let spec = self.config.users.get(&user);
                Source::Generated {
                    seed: self.config.seed,
                    user,
                    len: spec
                        .and_then(|spec| spec.inventory_size)
                        .unwrap_or(self.config.default_inventory_size),
                    mix: spec
                        .and_then(|spec| spec.mix)
                        .unwrap_or(self.config.default_mix),
                }
            }
        };
        Inventory { source, removed }
    }

    /// Gives up the copy `user_asset_id` of `user`.
    pub fn remove(&self, user: u64, user_asset_id: u64) {
        self.lock().removed.insert((user, user_asset_id));
    }

    /// Adds to the user's collection; false when it was already there.
    pub fn collect(&self, user: u64, kind: CollectionKind, id: u64) -> bool {
        self.lock().collections.insert((user, kind, id))
    }

    /// Removes from the user's collection; false when it was not there.
    pub fn uncollect(&self, user: u64, kind: CollectionKind, id: u64) -> bool {
        self.lock().collections.remove(&(user, kind, id))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // A panic while holding the lock leaves plain sets behind, still consistent; keep serving.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// One user's inventory as seen at one moment, addressed by position in ascending userAssetId order.
#[derive(Debug)]
pub struct Inventory<'a> {
    source: Source<'a>,
    removed: BTreeSet<u64>,
}

#[derive(Debug)]
enum Source<'a> {
    Generated {
        seed: u64,
        user: u64,
        len: u64,
        mix: ItemMix,
    },
    Fixture(&'a [Item]),
}

impl Inventory<'_> {
    /// The number of positions, including those of copies given up.
    pub fn len(&self) -> u64 {
        match self.source {
            Source::Generated { len, .. } => len,
            Source::Fixture(items) => items.len() as u64,
        }
    }

    /// Whether there are no positions at all.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The item at `position`, or `None` past the end or when it was given up.
    pub fn get(&self, position: u64) -> Option<Item> {
        let item = match self.source {
            Source::Generated {
                seed,
                user,
                len,
                ref mix,
            } => (position < len).then(|| generate_with(seed, user, position, mix))?,
            Source::Fixture(items) => items.get(usize::try_from(position).ok()?)?.clone(),
        };
        (!self.removed.contains(&item.user_asset_id)).then_some(item)
    }

    /// Every item still held, in ascending order.
    pub fn iter(&self) -> impl Iterator<Item = Item> + '_ {
        (0..self.len()).filter_map(|position| self.get(position))
    }
}
