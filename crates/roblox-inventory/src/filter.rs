//! The `filter` query parameter of Open Cloud's `listInventoryItems`, typed.
//!
//! Roblox documents the filter as one opaque string with its own grammar (WIRE-QUIRKS 22; creator-docs
//! `cloud/reference/patterns.md`, "List inventory items"): `field=value;field=v1,v2,...`, where the fields are
//! either *type fields* (`inventoryItemAssetTypes`, `onlyCollectibles`, `badges`, `gamePasses`,
//! `privateServers`) or *ID fields* (`assetIds`, `badgeIds`, `gamePassIds`, `privateServerIds`), never both.
//!
//! [`InventoryFilter`] makes mixing the two kinds impossible (one variant each), and every other invalid
//! filter (`onlyCollectibles` without asset types, an empty list, a filter that selects nothing) is a
//! [`FilterError`] from the builders' `build()` or from parsing, so it never reaches Roblox. A built or parsed
//! filter is always valid, which is why rendering it ([`Display`](fmt::Display)) cannot fail.

use std::collections::HashSet;
use std::fmt;
use std::hash::Hash;
use std::str::FromStr;

use roblox_inventory_cloud_v2::types::InventoryItemAssetType;
use roblox_inventory_core::StringEnum;

use crate::ids::{AssetId, BadgeId, GamePassId, PrivateServerId};

const INVENTORY_ITEM_ASSET_TYPES: &str = "inventoryItemAssetTypes";
const ONLY_COLLECTIBLES: &str = "onlyCollectibles";
const BADGES: &str = "badges";
const GAME_PASSES: &str = "gamePasses";
const PRIVATE_SERVERS: &str = "privateServers";
const ASSET_IDS: &str = "assetIds";
const BADGE_IDS: &str = "badgeIds";
const GAME_PASS_IDS: &str = "gamePassIds";
const PRIVATE_SERVER_IDS: &str = "privateServerIds";

/// Type fields, in the order they are rendered.
const TYPE_FIELDS: &[&str] = &[
    INVENTORY_ITEM_ASSET_TYPES,
    ONLY_COLLECTIBLES,
    BADGES,
    GAME_PASSES,
    PRIVATE_SERVERS,
];

/// ID fields, in the order they are rendered.
const ID_FIELDS: &[&str] = &[ASSET_IDS, BADGE_IDS, GAME_PASS_IDS, PRIVATE_SERVER_IDS];

/// Every field the grammar knows, for error messages.
const ALL_FIELDS: &[&str] = &[
    INVENTORY_ITEM_ASSET_TYPES,
    ONLY_COLLECTIBLES,
    BADGES,
    GAME_PASSES,
    PRIVATE_SERVERS,
    ASSET_IDS,
    BADGE_IDS,
    GAME_PASS_IDS,
    PRIVATE_SERVER_IDS,
];

/// The value of `inventoryItemAssetTypes` that means every asset type.
const ALL_ASSET_TYPES: &str = "*";

/// What to send as the `filter` of Open Cloud's `listInventoryItems`.
///
/// Build one with [`InventoryFilter::types`] or [`InventoryFilter::ids`] (both validate in `build()`), parse
/// one with [`str::parse`], or use [`InventoryFilter::everything`] for no filter at all. `Display` renders the
/// documented grammar in a fixed field order; pass [`InventoryFilter::to_query_value`] to the generated
/// client's `.filter(..)` (which percent-encodes it into one query value; do not encode it yourself).
///
/// ```
/// use roblox_inventory::cloud_v2::types::InventoryItemAssetType;
/// use roblox_inventory::{AssetId, BadgeId, InventoryFilter};
///
/// let hats_and_passes = InventoryFilter::types()
///     .asset_types([InventoryItemAssetType::Hat, InventoryItemAssetType::ClassicPants])
///     .game_passes()
///     .build()?;
/// assert_eq!(hats_and_passes.to_string(), "inventoryItemAssetTypes=HAT,CLASSIC_PANTS;gamePasses=true");
///
/// let owned = InventoryFilter::ids()
///     .asset_ids([AssetId(1), AssetId(2)])
///     .badge_ids([BadgeId(3)])
///     .build()?;
/// assert_eq!(owned.to_string(), "assetIds=1,2;badgeIds=3");
///
/// let parsed: InventoryFilter = "gamePasses = true; inventoryItemAssetTypes = hat,CLASSIC_PANTS".parse()?;
/// assert_eq!(parsed, hats_and_passes);
/// # Ok::<(), roblox_inventory::FilterError>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum InventoryFilter {
    /// No filter: Roblox returns the user's entire inventory. Renders as the empty string.
    #[default]
    Everything,
    /// Select items by kind: asset types, badges, game passes, private servers.
    ByType(TypeFilter),
    /// Select items by id: assets, badges, game passes, private servers.
    ById(IdFilter),
}

impl InventoryFilter {
    /// No filter: the user's entire inventory.
    pub fn everything() -> Self {
        Self::Everything
    }

    /// Starts a filter on type fields; see [`TypeFilterBuilder`].
    pub fn types() -> TypeFilterBuilder {
        TypeFilterBuilder::default()
    }

    /// Starts a filter on ID fields; see [`IdFilterBuilder`].
    pub fn ids() -> IdFilterBuilder {
        IdFilterBuilder::default()
    }

    /// Every collectible the user owns: `inventoryItemAssetTypes=*;onlyCollectibles=true`.
    ///
    /// Roblox says this "only returns non-UGC limited items".
    pub fn all_collectibles() -> Self {
        Self::ByType(TypeFilter {
            asset_types: Some(AssetTypeSelection::All),
            only_collectibles: true,
            badges: false,
            game_passes: false,
            private_servers: false,
        })
    }

    /// Whether this is no filter at all (the entire inventory).
    pub fn is_everything(&self) -> bool {
        matches!(self, Self::Everything)
    }

    /// The value for the `filter` query parameter, or `None` when nothing should be sent (the entire inventory).
    ///
    /// ```
    /// use roblox_inventory::InventoryFilter;
    ///
    /// assert_eq!(InventoryFilter::everything().to_query_value(), None);
    /// assert_eq!(
    ///     InventoryFilter::all_collectibles().to_query_value().as_deref(),
    ///     Some("inventoryItemAssetTypes=*;onlyCollectibles=true")
    /// );
    /// ```
    pub fn to_query_value(&self) -> Option<String> {
        (!self.is_everything()).then(|| self.to_string())
    }
}

impl From<TypeFilter> for InventoryFilter {
    fn from(filter: TypeFilter) -> Self {
        Self::ByType(filter)
    }
}

impl From<IdFilter> for InventoryFilter {
    fn from(filter: IdFilter) -> Self {
        Self::ById(filter)
    }
}

impl fmt::Display for InventoryFilter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Everything => Ok(()),
            Self::ByType(filter) => filter.fmt(f),
            Self::ById(filter) => filter.fmt(f),
        }
    }
}

/// Which asset types `inventoryItemAssetTypes` selects.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum AssetTypeSelection {
    /// Every asset type (`*`).
    All,
    /// These asset types, in the order given, without repeats. Never empty inside a [`TypeFilter`].
    Only(Vec<InventoryItemAssetType>),
}

impl fmt::Display for AssetTypeSelection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::All => f.write_str(ALL_ASSET_TYPES),
            Self::Only(asset_types) => write_comma_separated(f, asset_types),
        }
    }
}

/// A valid filter on type fields: at least one kind of item selected, `onlyCollectibles` only together with
/// asset types. Made by [`TypeFilterBuilder::build`] or by parsing.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct TypeFilter {
    asset_types: Option<AssetTypeSelection>,
    only_collectibles: bool,
    badges: bool,
    game_passes: bool,
    private_servers: bool,
}

impl TypeFilter {
    /// The asset types selected (`inventoryItemAssetTypes`), if any.
    pub fn asset_types(&self) -> Option<&AssetTypeSelection> {
        self.asset_types.as_ref()
    }

    /// Whether only collectibles are returned (`onlyCollectibles=true`).
    pub fn only_collectibles(&self) -> bool {
        self.only_collectibles
    }

    /// Whether badges are included (`badges=true`).
    pub fn badges(&self) -> bool {
        self.badges
    }

    /// Whether game passes are included (`gamePasses=true`).
    pub fn game_passes(&self) -> bool {
        self.game_passes
    }

    /// Whether private servers are included (`privateServers=true`).
    pub fn private_servers(&self) -> bool {
        self.private_servers
    }
}

impl fmt::Display for TypeFilter {
    /// `false` booleans are left out: Roblox documents `false` as each boolean's default.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut segments = Segments::new(f);
        if let Some(asset_types) = &self.asset_types {
            segments.field(INVENTORY_ITEM_ASSET_TYPES, asset_types)?;
        }
        for (field, included) in [
            (ONLY_COLLECTIBLES, self.only_collectibles),
            (BADGES, self.badges),
            (GAME_PASSES, self.game_passes),
            (PRIVATE_SERVERS, self.private_servers),
        ] {
            if included {
                segments.field(field, &true)?;
            }
        }
        Ok(())
    }
}

/// Builds an [`InventoryFilter::ByType`]; nothing is checked until [`build`](Self::build).
///
/// Asset types accumulate: `asset_types` adds to the list, and [`all_asset_types`](Self::all_asset_types)
/// wins over any list (all types include them). Repeats are dropped.
///
/// ```
/// use roblox_inventory::cloud_v2::types::InventoryItemAssetType;
/// use roblox_inventory::{FilterError, InventoryFilter};
///
/// let limited_hats = InventoryFilter::types()
///     .asset_types([InventoryItemAssetType::Hat])
///     .only_collectibles()
///     .build()?;
/// assert_eq!(limited_hats.to_string(), "inventoryItemAssetTypes=HAT;onlyCollectibles=true");
///
/// assert_eq!(
///     InventoryFilter::types().only_collectibles().badges().build(),
///     Err(FilterError::OnlyCollectiblesWithoutAssetTypes)
/// );
/// # Ok::<(), FilterError>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[must_use]
pub struct TypeFilterBuilder {
    /// The fields as given so far, not yet checked.
    filter: TypeFilter,
}

impl TypeFilterBuilder {
    /// Selects every asset type (`inventoryItemAssetTypes=*`).
    pub fn all_asset_types(mut self) -> Self {
        self.filter.asset_types = Some(AssetTypeSelection::All);
        self
    }

    /// Adds asset types to `inventoryItemAssetTypes`. Values this crate does not know
    /// (`InventoryItemAssetType::Unknown`) are sent as given, provided they look like an asset type name.
    pub fn asset_types<I>(mut self, asset_types: I) -> Self
    where
        I: IntoIterator<Item = InventoryItemAssetType>,
    {
        match &mut self.filter.asset_types {
            Some(AssetTypeSelection::All) => {}
            Some(AssetTypeSelection::Only(selected)) => selected.extend(asset_types),
            None => {
                self.filter.asset_types =
                    Some(AssetTypeSelection::Only(asset_types.into_iter().collect()))
            }
        }
        self
    }

    /// Adds one asset type to `inventoryItemAssetTypes`.
    pub fn asset_type(self, asset_type: InventoryItemAssetType) -> Self {
        self.asset_types([asset_type])
    }

    /// Returns only collectibles (`onlyCollectibles=true`; Roblox: "only returns non-UGC limited items").
    /// Needs asset types.
    pub fn only_collectibles(mut self) -> Self {
        self.filter.only_collectibles = true;
        self
    }

    /// Includes badges (`badges=true`).
    pub fn badges(mut self) -> Self {
        self.filter.badges = true;
        self
    }

    /// Includes game passes (`gamePasses=true`).
    pub fn game_passes(mut self) -> Self {
        self.filter.game_passes = true;
        self
    }

    /// Includes private servers (`privateServers=true`; needs the Inventory read scope).
    pub fn private_servers(mut self) -> Self {
        self.filter.private_servers = true;
        self
    }

    /// Checks the filter.
    ///
    /// # Errors
    ///
    /// [`FilterError::EmptyAssetTypeList`] when `asset_types` only ever got empty lists,
    /// [`FilterError::InvalidAssetType`] for an unknown asset type that is not a plausible name,
    /// [`FilterError::OnlyCollectiblesWithoutAssetTypes`], and [`FilterError::EmptyTypeFilter`] when nothing
    /// is selected.
    pub fn build(self) -> Result<InventoryFilter, FilterError> {
        let TypeFilter {
            asset_types,
            only_collectibles,
            badges,
            game_passes,
            private_servers,
        } = self.filter;
        let asset_types = match asset_types {
            None => None,
            Some(AssetTypeSelection::All) => Some(AssetTypeSelection::All),
            Some(AssetTypeSelection::Only(asset_types)) => {
                if asset_types.is_empty() {
                    return Err(FilterError::EmptyAssetTypeList);
                }
                let canonical = asset_types
                    .into_iter()
                    .map(canonical_asset_type)
                    .collect::<Result<Vec<_>, _>>()?;
                Some(AssetTypeSelection::Only(without_repeats(canonical)))
            }
        };
        if only_collectibles && asset_types.is_none() {
            return Err(FilterError::OnlyCollectiblesWithoutAssetTypes);
        }
        if asset_types.is_none() && !badges && !game_passes && !private_servers {
            return Err(FilterError::EmptyTypeFilter);
        }
        Ok(InventoryFilter::ByType(TypeFilter {
            asset_types,
            only_collectibles,
            badges,
            game_passes,
            private_servers,
        }))
    }
}

/// A valid filter on ID fields: at least one non-empty list. Made by [`IdFilterBuilder::build`] or by parsing.
///
/// An empty slice from a getter means the field is not part of the filter.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct IdFilter {
    asset_ids: Vec<AssetId>,
    badge_ids: Vec<BadgeId>,
    game_pass_ids: Vec<GamePassId>,
    private_server_ids: Vec<PrivateServerId>,
}

impl IdFilter {
    /// `assetIds`, in the order given, without repeats.
    pub fn asset_ids(&self) -> &[AssetId] {
        &self.asset_ids
    }

    /// `badgeIds`, in the order given, without repeats.
    pub fn badge_ids(&self) -> &[BadgeId] {
        &self.badge_ids
    }

    /// `gamePassIds`, in the order given, without repeats.
    pub fn game_pass_ids(&self) -> &[GamePassId] {
        &self.game_pass_ids
    }

    /// `privateServerIds`, in the order given, without repeats.
    pub fn private_server_ids(&self) -> &[PrivateServerId] {
        &self.private_server_ids
    }

    /// Each ID field with its list, in the order they are rendered.
    fn fields(&self) -> [(&'static str, &dyn IdList); 4] {
        [
            (ASSET_IDS, &self.asset_ids),
            (BADGE_IDS, &self.badge_ids),
            (GAME_PASS_IDS, &self.game_pass_ids),
            (PRIVATE_SERVER_IDS, &self.private_server_ids),
        ]
    }
}

/// A list of ids of any kind, as a filter writes it.
trait IdList {
    fn is_empty(&self) -> bool;
    fn write(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result;
}

impl<T: fmt::Display> IdList for Vec<T> {
    fn is_empty(&self) -> bool {
        Vec::is_empty(self)
    }

    fn write(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_comma_separated(f, self)
    }
}

impl fmt::Display for dyn IdList + '_ {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write(f)
    }
}

impl fmt::Display for IdFilter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut segments = Segments::new(f);
        for (field, ids) in self.fields() {
            if !ids.is_empty() {
                segments.field(field, &ids)?;
            }
        }
        Ok(())
    }
}

/// Builds an [`InventoryFilter::ById`]; nothing is checked until [`build`](Self::build).
///
/// Each method adds to its list (calling it twice keeps both); repeats are dropped.
///
/// ```
/// use roblox_inventory::{AssetId, BadgeId, FilterError, GamePassId, InventoryFilter};
///
/// let filter = InventoryFilter::ids()
///     .game_pass_ids([GamePassId(777)])
///     .badge_ids([BadgeId(111), BadgeId(222)])
///     .build()?;
/// assert_eq!(filter.to_string(), "badgeIds=111,222;gamePassIds=777");
///
/// let ids: Vec<AssetId> = Vec::new();
/// assert_eq!(
///     InventoryFilter::ids().asset_ids(ids).build(),
///     Err(FilterError::EmptyIdList { field: "assetIds" })
/// );
/// # Ok::<(), FilterError>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[must_use]
pub struct IdFilterBuilder {
    /// The lists as given so far, not yet checked.
    filter: IdFilter,
    /// The fields given, even if only with empty lists (which `build` refuses).
    given: Vec<&'static str>,
}

impl IdFilterBuilder {
    /// Adds asset ids (`assetIds`).
    pub fn asset_ids(mut self, ids: impl IntoIterator<Item = AssetId>) -> Self {
        self.filter.asset_ids.extend(ids);
        self.given.push(ASSET_IDS);
        self
    }

    /// Adds badge ids (`badgeIds`).
    pub fn badge_ids(mut self, ids: impl IntoIterator<Item = BadgeId>) -> Self {
        self.filter.badge_ids.extend(ids);
        self.given.push(BADGE_IDS);
        self
    }

    /// Adds game pass ids (`gamePassIds`).
    pub fn game_pass_ids(mut self, ids: impl IntoIterator<Item = GamePassId>) -> Self {
        self.filter.game_pass_ids.extend(ids);
        self.given.push(GAME_PASS_IDS);
        self
    }

    /// Adds private server ids (`privateServerIds`; needs the Inventory read scope).
    pub fn private_server_ids(mut self, ids: impl IntoIterator<Item = PrivateServerId>) -> Self {
        self.filter.private_server_ids.extend(ids);
        self.given.push(PRIVATE_SERVER_IDS);
        self
    }

    /// Checks the filter.
    ///
    /// # Errors
    ///
    /// [`FilterError::EmptyIdList`] naming the first field that was given only empty lists, and
    /// [`FilterError::EmptyIdFilter`] when no field was given at all.
    pub fn build(self) -> Result<InventoryFilter, FilterError> {
        if self.given.is_empty() {
            return Err(FilterError::EmptyIdFilter);
        }
        if let Some((field, ..)) = self
            .filter
            .fields()
            .into_iter()
            .find(|(field, ids)| ids.is_empty() && self.given.contains(field))
        {
            return Err(FilterError::EmptyIdList { field });
        }
        let IdFilter {
            asset_ids,
            badge_ids,
            game_pass_ids,
            private_server_ids,
        } = self.filter;
        Ok(InventoryFilter::ById(IdFilter {
            asset_ids: without_repeats(asset_ids),
            badge_ids: without_repeats(badge_ids),
            game_pass_ids: without_repeats(game_pass_ids),
            private_server_ids: without_repeats(private_server_ids),
        }))
    }
}

/// Why a filter cannot be built or parsed. Every variant is detected before a request is sent.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FilterError {
    /// `onlyCollectibles` without `inventoryItemAssetTypes`.
    #[error(
        "onlyCollectibles needs inventoryItemAssetTypes (for example inventoryItemAssetTypes=* for every \
         collectible); Roblox returns nothing for onlyCollectibles alone"
    )]
    OnlyCollectiblesWithoutAssetTypes,
    /// A type filter that includes nothing: no asset types, and no `badges`, `gamePasses` or
    /// `privateServers` set to true.
    #[error(
        "the type filter selects nothing: give inventoryItemAssetTypes or set badges, gamePasses or \
         privateServers to true; for the entire inventory send no filter (InventoryFilter::everything())"
    )]
    EmptyTypeFilter,
    /// An ID filter without any ID field.
    #[error(
        "the ID filter has no ids: give at least one of assetIds, badgeIds, gamePassIds, privateServerIds; \
         for the entire inventory send no filter (InventoryFilter::everything())"
    )]
    EmptyIdFilter,
    /// `inventoryItemAssetTypes` with an empty list.
    #[error(
        "inventoryItemAssetTypes is empty: give at least one asset type (such as HAT), or * for every asset type"
    )]
    EmptyAssetTypeList,
    /// An ID field with an empty list.
    #[error("{field} is empty: give at least one numeric id, or leave {field} out")]
    EmptyIdList {
        /// The ID field, as spelled on the wire (`assetIds`, ...).
        field: &'static str,
    },
    /// An asset type that is neither known nor shaped like an asset type name.
    #[error(
        "inventoryItemAssetTypes: {value:?} is not an asset type name; expected * alone, or comma-separated \
         names of letters, digits and underscores starting with a letter, such as HAT or CLASSIC_PANTS \
         (known: {})",
        InventoryItemAssetType::KNOWN.join(", ")
    )]
    InvalidAssetType {
        /// The rejected value.
        value: String,
    },
    /// `*` together with asset type names.
    #[error(
        "inventoryItemAssetTypes: {value:?} mixes * with asset type names; * already means every asset type, \
         so give * alone or names only"
    )]
    AllAssetTypesWithNames {
        /// The whole value of `inventoryItemAssetTypes`.
        value: String,
    },
    /// An id that is not a decimal number that fits `u64`.
    #[error(
        "{field}: {value:?} is not a numeric id; expected comma-separated decimal ids (digits only, at most {})",
        u64::MAX
    )]
    InvalidId {
        /// The ID field, as spelled on the wire.
        field: &'static str,
        /// The rejected id.
        value: String,
    },
    /// A boolean field whose value is not `true` or `false`.
    #[error("{field}: {value:?} is not a boolean; expected true or false")]
    InvalidBool {
        /// The boolean field, as spelled on the wire.
        field: &'static str,
        /// The rejected value.
        value: String,
    },
    /// A segment without `=`.
    #[error(
        "filter segment {segment:?} has no '='; expected field=value, segments separated by ';'"
    )]
    MissingEquals {
        /// The segment, trimmed.
        segment: String,
    },
    /// A field the grammar does not have (field names are case-sensitive).
    #[error("unknown filter field {field:?}; expected one of: {}", ALL_FIELDS.join(", "))]
    UnknownField {
        /// The field as given.
        field: String,
    },
    /// The same field twice.
    #[error(
        "filter field {field} is given twice; give each field once (lists are comma-separated)"
    )]
    DuplicateField {
        /// The repeated field.
        field: &'static str,
    },
    /// A type field and an ID field in the same filter, which Roblox does not allow.
    #[error(
        "type field {type_field} and ID field {id_field} can't be combined in one filter: use either type \
         fields ({}) or ID fields ({})",
        TYPE_FIELDS.join(", "),
        ID_FIELDS.join(", ")
    )]
    MixedTypeAndIdFields {
        /// The first type field given.
        type_field: &'static str,
        /// The first ID field given.
        id_field: &'static str,
    },
}

impl FromStr for InventoryFilter {
    type Err = FilterError;

    /// Parses the documented grammar: `field=value` segments separated by `;`, lists separated by `,`, in any
    /// field order. Whitespace around segments, names, `=` and list items is ignored, as are empty segments;
    /// an empty string is [`InventoryFilter::Everything`]. Field names are case-sensitive; booleans (`true`,
    /// `false`) and known asset types are not. Unknown asset type names are kept as
    /// `InventoryItemAssetType::Unknown` because Roblox adds types.
    fn from_str(filter: &str) -> Result<Self, Self::Err> {
        let mut seen: Vec<&'static str> = Vec::new();
        let mut types = TypeFilterBuilder::default();
        let mut ids = IdFilterBuilder::default();

        for segment in filter.split(';').map(str::trim) {
            if segment.is_empty() {
                continue;
            }
            let (field, value) =
                segment
                    .split_once('=')
                    .ok_or_else(|| FilterError::MissingEquals {
                        segment: segment.to_owned(),
                    })?;
            let (field, value) = (field.trim(), value.trim());
            let field = *ALL_FIELDS
                .iter()
                .find(|known| **known == field)
                .ok_or_else(|| FilterError::UnknownField {
                    field: field.to_owned(),
                })?;
            if seen.contains(&field) {
                return Err(FilterError::DuplicateField { field });
            }
            seen.push(field);
            let first_of = |kind: &[&'static str]| seen.iter().copied().find(|f| kind.contains(f));
            if let (Some(type_field), Some(id_field)) = (first_of(TYPE_FIELDS), first_of(ID_FIELDS))
            {
                return Err(FilterError::MixedTypeAndIdFields {
                    type_field,
                    id_field,
                });
            }

            let fields = &mut types.filter;
            match field {
                INVENTORY_ITEM_ASSET_TYPES => {
                    fields.asset_types = Some(parse_asset_type_selection(value)?);
                }
                ONLY_COLLECTIBLES => fields.only_collectibles = parse_bool(field, value)?,
                BADGES => fields.badges = parse_bool(field, value)?,
                GAME_PASSES => fields.game_passes = parse_bool(field, value)?,
                PRIVATE_SERVERS => fields.private_servers = parse_bool(field, value)?,
                ASSET_IDS => ids = ids.asset_ids(parse_ids(field, value)?),
                BADGE_IDS => ids = ids.badge_ids(parse_ids(field, value)?),
                GAME_PASS_IDS => ids = ids.game_pass_ids(parse_ids(field, value)?),
                PRIVATE_SERVER_IDS => ids = ids.private_server_ids(parse_ids(field, value)?),
                // Not reached: `field` came from ALL_FIELDS, and every name in it has an arm above.
                _ => {
                    return Err(FilterError::UnknownField {
                        field: field.to_owned(),
                    });
                }
            }
        }

        if seen.iter().any(|field| TYPE_FIELDS.contains(field)) {
            types.build()
        } else if !seen.is_empty() {
            ids.build()
        } else {
            Ok(InventoryFilter::Everything)
        }
    }
}

fn parse_bool(field: &'static str, value: &str) -> Result<bool, FilterError> {
    if value.eq_ignore_ascii_case("true") {
        Ok(true)
    } else if value.eq_ignore_ascii_case("false") {
        Ok(false)
    } else {
        Err(FilterError::InvalidBool {
            field,
            value: value.to_owned(),
        })
    }
}

/// Comma-separated ids, each read by its type's parser (the workspace's one digit parser).
fn parse_ids<T: FromStr>(field: &'static str, value: &str) -> Result<Vec<T>, FilterError> {
    if value.is_empty() {
        return Err(FilterError::EmptyIdList { field });
    }
    value
        .split(',')
        .map(str::trim)
        .map(|id| {
            id.parse::<T>().map_err(|_| FilterError::InvalidId {
                field,
                value: id.to_owned(),
            })
        })
        .collect()
}

fn parse_asset_type_selection(value: &str) -> Result<AssetTypeSelection, FilterError> {
    if value.is_empty() {
        return Err(FilterError::EmptyAssetTypeList);
    }
    let names: Vec<&str> = value.split(',').map(str::trim).collect();
    if names.contains(&ALL_ASSET_TYPES) {
        return if names.len() == 1 {
            Ok(AssetTypeSelection::All)
        } else {
            Err(FilterError::AllAssetTypesWithNames {
                value: value.to_owned(),
            })
        };
    }
    names
        .into_iter()
        .map(parse_asset_type)
        .collect::<Result<_, _>>()
        .map(AssetTypeSelection::Only)
}

/// A known asset type (any case), or an unknown one kept as written when it is shaped like a name: a value with
/// `,`, `;`, `=`, `*` or spaces would change the meaning of the rendered filter, and a number is most likely a
/// legacy AssetType id, which Open Cloud does not take.
fn parse_asset_type(name: &str) -> Result<InventoryItemAssetType, FilterError> {
    if let Ok(known) = name.parse::<InventoryItemAssetType>() {
        return Ok(known);
    }
    let mut chars = name.chars();
    let shaped_like_a_name = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_');
    if shaped_like_a_name {
        Ok(InventoryItemAssetType::Unknown(name.to_owned()))
    } else {
        Err(FilterError::InvalidAssetType {
            value: name.to_owned(),
        })
    }
}

/// Turns an `Unknown` that spells a known value into that value, so that a built filter equals its own parse.
fn canonical_asset_type(
    asset_type: InventoryItemAssetType,
) -> Result<InventoryItemAssetType, FilterError> {
    match asset_type {
        InventoryItemAssetType::Unknown(name) => parse_asset_type(&name),
        known => Ok(known),
    }
}

fn without_repeats<T: Clone + Eq + Hash>(values: Vec<T>) -> Vec<T> {
    let mut seen = HashSet::with_capacity(values.len());
    values
        .into_iter()
        .filter(|value| seen.insert(value.clone()))
        .collect()
}

fn write_comma_separated<T: fmt::Display>(f: &mut fmt::Formatter<'_>, values: &[T]) -> fmt::Result {
    for (index, value) in values.iter().enumerate() {
        if index > 0 {
            f.write_str(",")?;
        }
        value.fmt(f)?;
    }
    Ok(())
}

/// Writes `field=value` segments separated by `;`.
struct Segments<'a, 'b> {
    formatter: &'a mut fmt::Formatter<'b>,
    written: bool,
}

impl<'a, 'b> Segments<'a, 'b> {
    fn new(formatter: &'a mut fmt::Formatter<'b>) -> Self {
        Self {
            formatter,
            written: false,
        }
    }

    fn field(&mut self, field: &str, value: &dyn fmt::Display) -> fmt::Result {
        if self.written {
            self.formatter.write_str(";")?;
        }
        self.written = true;
        write!(self.formatter, "{field}={value}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use InventoryItemAssetType as T;

    fn parse(filter: &str) -> Result<InventoryFilter, FilterError> {
        filter.parse()
    }

    fn render(filter: &InventoryFilter) -> String {
        filter.to_string()
    }

    #[test]
    fn the_documented_examples_render_exactly() {
        let examples = [
            (
                InventoryFilter::all_collectibles(),
                "inventoryItemAssetTypes=*;onlyCollectibles=true",
            ),
            (
                InventoryFilter::types()
                    .asset_types([T::Hat, T::ClassicPants, T::TshirtAccessory])
                    .build()
                    .unwrap(),
                "inventoryItemAssetTypes=HAT,CLASSIC_PANTS,TSHIRT_ACCESSORY",
            ),
            (
                InventoryFilter::types()
                    .game_passes()
                    .asset_types([T::Hat, T::ClassicPants, T::TshirtAccessory])
                    .build()
                    .unwrap(),
                "inventoryItemAssetTypes=HAT,CLASSIC_PANTS,TSHIRT_ACCESSORY;gamePasses=true",
            ),
            (
                InventoryFilter::ids()
                    .asset_ids([AssetId(1), AssetId(2), AssetId(3), AssetId(4)])
                    .build()
                    .unwrap(),
                "assetIds=1,2,3,4",
            ),
            (
                InventoryFilter::ids()
                    .private_server_ids([
                        PrivateServerId(1),
                        PrivateServerId(2),
                        PrivateServerId(3),
                        PrivateServerId(4),
                    ])
                    .game_pass_ids([GamePassId(1), GamePassId(2), GamePassId(3), GamePassId(4)])
                    .badge_ids([BadgeId(1), BadgeId(2), BadgeId(3), BadgeId(4)])
                    .asset_ids([AssetId(1), AssetId(2), AssetId(3), AssetId(4)])
                    .build()
                    .unwrap(),
                "assetIds=1,2,3,4;badgeIds=1,2,3,4;gamePassIds=1,2,3,4;privateServerIds=1,2,3,4",
            ),
            (
                InventoryFilter::types()
                    .game_passes()
                    .badges()
                    .build()
                    .unwrap(),
                "badges=true;gamePasses=true",
            ),
            (
                InventoryFilter::ids()
                    .badge_ids([BadgeId(111111), BadgeId(222222)])
                    .game_pass_ids([GamePassId(777777)])
                    .private_server_ids([PrivateServerId(999999)])
                    .build()
                    .unwrap(),
                "badgeIds=111111,222222;gamePassIds=777777;privateServerIds=999999",
            ),
        ];
        for (filter, expected) in examples {
            assert_eq!(render(&filter), expected);
            assert_eq!(filter.to_query_value().as_deref(), Some(expected));
            assert_eq!(parse(expected), Ok(filter), "{expected}");
        }
    }

    #[test]
    fn documented_strings_in_another_field_order_parse_to_the_same_filter() {
        assert_eq!(
            parse("onlyCollectibles=true;inventoryItemAssetTypes=*"),
            Ok(InventoryFilter::all_collectibles())
        );
        // `badges=false` is the documented default, so it selects the same items as leaving it out.
        let with_explicit_false =
            parse("inventoryItemAssetTypes=HAT,CLASSIC_PANTS,TSHIRT_ACCESSORY;gamePasses=true;badges=false")
                .unwrap();
        assert_eq!(
            render(&with_explicit_false),
            "inventoryItemAssetTypes=HAT,CLASSIC_PANTS,TSHIRT_ACCESSORY;gamePasses=true"
        );
    }

    #[test]
    fn everything_is_no_filter() {
        let everything = InventoryFilter::everything();
        assert!(everything.is_everything());
        assert_eq!(everything, InventoryFilter::default());
        assert_eq!(render(&everything), "");
        assert_eq!(everything.to_query_value(), None);
        for empty in ["", "   ", ";", " ; ;"] {
            assert_eq!(parse(empty), Ok(InventoryFilter::Everything), "{empty:?}");
        }
        assert!(!InventoryFilter::all_collectibles().is_everything());
    }

    #[test]
    fn invalid_type_filters_fail_to_build() {
        assert_eq!(
            InventoryFilter::types().build(),
            Err(FilterError::EmptyTypeFilter)
        );
        assert_eq!(
            InventoryFilter::types().only_collectibles().build(),
            Err(FilterError::OnlyCollectiblesWithoutAssetTypes)
        );
        assert_eq!(
            InventoryFilter::types()
                .only_collectibles()
                .private_servers()
                .build(),
            Err(FilterError::OnlyCollectiblesWithoutAssetTypes)
        );
        assert_eq!(
            InventoryFilter::types().asset_types([]).badges().build(),
            Err(FilterError::EmptyAssetTypeList)
        );
        for bad_name in ["HAT,FACE", "", "*", "8", "HAT;badges=true", "NEW TYPE"] {
            assert_eq!(
                InventoryFilter::types()
                    .asset_type(T::Unknown(bad_name.into()))
                    .build(),
                Err(FilterError::InvalidAssetType {
                    value: bad_name.into()
                }),
                "{bad_name:?}"
            );
        }
    }

    #[test]
    fn invalid_id_filters_fail_to_build() {
        assert_eq!(
            InventoryFilter::ids().build(),
            Err(FilterError::EmptyIdFilter)
        );
        assert_eq!(
            InventoryFilter::ids().asset_ids([]).build(),
            Err(FilterError::EmptyIdList { field: ASSET_IDS })
        );
        assert_eq!(
            InventoryFilter::ids()
                .asset_ids([AssetId(1)])
                .private_server_ids(Vec::new())
                .build(),
            Err(FilterError::EmptyIdList {
                field: PRIVATE_SERVER_IDS
            })
        );
        // An empty call followed by a non-empty one is fine: the lists accumulate.
        assert_eq!(
            render(
                &InventoryFilter::ids()
                    .badge_ids([])
                    .badge_ids([BadgeId(5)])
                    .build()
                    .unwrap()
            ),
            "badgeIds=5"
        );
    }

    #[test]
    fn builders_accumulate_drop_repeats_and_render_in_a_fixed_order() {
        let filter = InventoryFilter::types()
            .private_servers()
            .asset_type(T::Face)
            .badges()
            .asset_types([T::Hat, T::Face, T::Unknown("hat".into())])
            .only_collectibles()
            .build()
            .unwrap();
        assert_eq!(
            render(&filter),
            "inventoryItemAssetTypes=FACE,HAT;onlyCollectibles=true;badges=true;privateServers=true"
        );
        let InventoryFilter::ByType(types) = &filter else {
            panic!("a type filter: {filter:?}")
        };
        assert_eq!(
            types.asset_types(),
            Some(&AssetTypeSelection::Only(vec![T::Face, T::Hat]))
        );
        assert!(types.only_collectibles() && types.badges() && types.private_servers());
        assert!(!types.game_passes());

        let all_wins = InventoryFilter::types()
            .asset_types([T::Hat])
            .all_asset_types()
            .asset_types([T::Face])
            .build()
            .unwrap();
        assert_eq!(render(&all_wins), "inventoryItemAssetTypes=*");

        let ids = InventoryFilter::ids()
            .asset_ids([AssetId(3), AssetId(1)])
            .asset_ids([AssetId(3), AssetId(2)])
            .build()
            .unwrap();
        assert_eq!(render(&ids), "assetIds=3,1,2");
        let InventoryFilter::ById(ids) = ids else {
            panic!("an ID filter")
        };
        assert_eq!(ids.asset_ids(), [AssetId(3), AssetId(1), AssetId(2)]);
        assert!(ids.badge_ids().is_empty() && ids.game_pass_ids().is_empty());
        assert!(ids.private_server_ids().is_empty());
    }

    #[test]
    fn asset_types_roblox_adds_later_are_sent_and_parsed_as_unknown() {
        let future = InventoryFilter::types()
            .asset_types([T::Hat, T::Unknown("HOLOGRAM_ACCESSORY".into())])
            .build()
            .unwrap();
        assert_eq!(
            render(&future),
            "inventoryItemAssetTypes=HAT,HOLOGRAM_ACCESSORY"
        );
        assert_eq!(parse(&render(&future)), Ok(future));
        // Known names parse case-insensitively into the known value; unknown ones are kept as written.
        assert_eq!(
            parse("inventoryItemAssetTypes=classic_pants,Hologram"),
            InventoryFilter::types()
                .asset_types([T::ClassicPants, T::Unknown("Hologram".into())])
                .build()
        );
    }

    #[test]
    fn parsing_tolerates_whitespace_empty_segments_and_any_order() {
        let expected = InventoryFilter::types()
            .asset_types([T::Hat, T::ClassicPants])
            .game_passes()
            .build()
            .unwrap();
        assert_eq!(
            parse(" gamePasses = TRUE ;; inventoryItemAssetTypes = hat , CLASSIC_PANTS ; "),
            Ok(expected)
        );
        assert_eq!(
            parse("privateServerIds= 9 ;assetIds=1 ,2"),
            InventoryFilter::ids()
                .asset_ids([AssetId(1), AssetId(2)])
                .private_server_ids([PrivateServerId(9)])
                .build()
        );
        assert_eq!(
            parse("assetIds=007"),
            InventoryFilter::ids().asset_ids([AssetId(7)]).build()
        );
    }

    #[test]
    fn parsing_rejects_what_roblox_would_reject_or_misread() {
        let cases: Vec<(&str, FilterError)> = vec![
            (
                "assetId=1",
                FilterError::UnknownField {
                    field: "assetId".into(),
                },
            ),
            (
                "AssetIds=1",
                FilterError::UnknownField {
                    field: "AssetIds".into(),
                },
            ),
            (
                "badges",
                FilterError::MissingEquals {
                    segment: "badges".into(),
                },
            ),
            (
                "badges=true;badges=false",
                FilterError::DuplicateField { field: BADGES },
            ),
            (
                "assetIds=1;assetIds=2",
                FilterError::DuplicateField { field: ASSET_IDS },
            ),
            (
                "gamePasses=true;assetIds=1",
                FilterError::MixedTypeAndIdFields {
                    type_field: GAME_PASSES,
                    id_field: ASSET_IDS,
                },
            ),
            (
                "badgeIds=1;inventoryItemAssetTypes=*",
                FilterError::MixedTypeAndIdFields {
                    type_field: INVENTORY_ITEM_ASSET_TYPES,
                    id_field: BADGE_IDS,
                },
            ),
            (
                "badges=yes",
                FilterError::InvalidBool {
                    field: BADGES,
                    value: "yes".into(),
                },
            ),
            (
                "privateServers=",
                FilterError::InvalidBool {
                    field: PRIVATE_SERVERS,
                    value: String::new(),
                },
            ),
            ("assetIds=", FilterError::EmptyIdList { field: ASSET_IDS }),
            ("inventoryItemAssetTypes=", FilterError::EmptyAssetTypeList),
            (
                "inventoryItemAssetTypes=*,HAT",
                FilterError::AllAssetTypesWithNames {
                    value: "*,HAT".into(),
                },
            ),
            (
                "inventoryItemAssetTypes=HAT,8",
                FilterError::InvalidAssetType { value: "8".into() },
            ),
            (
                "inventoryItemAssetTypes=HAT,,FACE",
                FilterError::InvalidAssetType {
                    value: String::new(),
                },
            ),
            (
                "onlyCollectibles=true",
                FilterError::OnlyCollectiblesWithoutAssetTypes,
            ),
            (
                "onlyCollectibles=true;badges=true",
                FilterError::OnlyCollectiblesWithoutAssetTypes,
            ),
            ("badges=false", FilterError::EmptyTypeFilter),
            (
                "onlyCollectibles=false;gamePasses=false",
                FilterError::EmptyTypeFilter,
            ),
        ];
        for (filter, expected) in cases {
            assert_eq!(parse(filter), Err(expected), "{filter:?}");
        }
        for bad_id in ["-1", "+1", "1.5", "abc", "0x10", "18446744073709551616", ""] {
            assert_eq!(
                parse(&format!("gamePassIds=5,{bad_id}")),
                Err(FilterError::InvalidId {
                    field: GAME_PASS_IDS,
                    value: bad_id.into()
                }),
                "{bad_id:?}"
            );
        }
        assert_eq!(
            parse("gamePassIds=18446744073709551615"),
            InventoryFilter::ids()
                .game_pass_ids([GamePassId(u64::MAX)])
                .build()
        );
    }

    #[test]
    fn error_messages_name_the_field_the_value_and_what_is_allowed() {
        let message = |filter: &str| parse(filter).unwrap_err().to_string();
        assert_eq!(
            message("badgeIds=1,x"),
            "badgeIds: \"x\" is not a numeric id; expected comma-separated decimal ids (digits only, at most \
             18446744073709551615)"
        );
        assert_eq!(
            message("gamePasses=1"),
            "gamePasses: \"1\" is not a boolean; expected true or false"
        );
        assert_eq!(
            message("badges=true;assetIds=1"),
            "type field badges and ID field assetIds can't be combined in one filter: use either type fields \
             (inventoryItemAssetTypes, onlyCollectibles, badges, gamePasses, privateServers) or ID fields \
             (assetIds, badgeIds, gamePassIds, privateServerIds)"
        );
        assert_eq!(
            message("assetId=1"),
            "unknown filter field \"assetId\"; expected one of: inventoryItemAssetTypes, onlyCollectibles, \
             badges, gamePasses, privateServers, assetIds, badgeIds, gamePassIds, privateServerIds"
        );
        let bad_type = message("inventoryItemAssetTypes=HAT FACE");
        assert!(
            bad_type
                .starts_with("inventoryItemAssetTypes: \"HAT FACE\" is not an asset type name;"),
            "{bad_type}"
        );
        assert!(bad_type.contains("CLASSIC_PANTS, DECAL"), "{bad_type}");
        assert!(
            message("onlyCollectibles=true").contains("needs inventoryItemAssetTypes"),
            "{}",
            message("onlyCollectibles=true")
        );
    }

    /// Every combination of field values these lists give, valid or not.
    fn type_builders() -> Vec<TypeFilterBuilder> {
        let known_types: Vec<T> = T::KNOWN
            .iter()
            .map(|name| name.parse().expect("a known name parses"))
            .collect();
        let selections = [
            None,
            Some(AssetTypeSelection::All),
            Some(AssetTypeSelection::Only(vec![])),
            Some(AssetTypeSelection::Only(vec![T::Hat])),
            Some(AssetTypeSelection::Only(vec![
                T::Hat,
                T::ClassicPants,
                T::TshirtAccessory,
            ])),
            Some(AssetTypeSelection::Only(vec![
                T::PurchasedPlace,
                T::Unknown("FUTURE_TYPE".into()),
            ])),
            Some(AssetTypeSelection::Only(known_types)),
        ];
        let mut builders = Vec::new();
        for selection in &selections {
            for flags in 0..16u8 {
                builders.push(TypeFilterBuilder {
                    filter: TypeFilter {
                        asset_types: selection.clone(),
                        only_collectibles: flags & 1 != 0,
                        badges: flags & 2 != 0,
                        game_passes: flags & 4 != 0,
                        private_servers: flags & 8 != 0,
                    },
                });
            }
        }
        builders
    }

    fn id_builders() -> Vec<IdFilterBuilder> {
        let lists = [
            None,
            Some(vec![]),
            Some(vec![1]),
            Some(vec![1, 2, 3]),
            Some(vec![0u64, 62724852, u64::MAX]),
        ];
        let mut builders = Vec::new();
        for asset_ids in &lists {
            for badge_ids in &lists {
                for game_pass_ids in &lists {
                    for private_server_ids in &lists {
                        let mut builder = IdFilterBuilder::default();
                        if let Some(ids) = asset_ids {
                            builder = builder.asset_ids(ids.iter().copied().map(AssetId));
                        }
                        if let Some(ids) = badge_ids {
                            builder = builder.badge_ids(ids.iter().copied().map(BadgeId));
                        }
                        if let Some(ids) = game_pass_ids {
                            builder = builder.game_pass_ids(ids.iter().copied().map(GamePassId));
                        }
                        if let Some(ids) = private_server_ids {
                            builder = builder
                                .private_server_ids(ids.iter().copied().map(PrivateServerId));
                        }
                        builders.push(builder);
                    }
                }
            }
        }
        builders
    }

    /// The same filter written differently: segments reversed, spaces around everything.
    fn respelled(rendered: &str) -> String {
        rendered
            .split(';')
            .rev()
            .map(|segment| {
                let (field, value) = segment.split_once('=').unwrap();
                let items: Vec<&str> = value.split(',').collect();
                format!(" {field} = {} ", items.join(" , "))
            })
            .collect::<Vec<_>>()
            .join(";")
    }

    #[test]
    fn every_built_filter_survives_a_render_parse_round_trip() {
        let mut filters = vec![
            InventoryFilter::everything(),
            InventoryFilter::all_collectibles(),
        ];
        let (mut rejected_types, mut rejected_ids) = (0, 0);
        for builder in type_builders() {
            match builder.build() {
                Ok(filter) => filters.push(filter),
                Err(_) => rejected_types += 1,
            }
        }
        for builder in id_builders() {
            match builder.build() {
                Ok(filter) => filters.push(filter),
                Err(_) => rejected_ids += 1,
            }
        }
        // 7 selections x 16 flag sets: no selection is invalid with onlyCollectibles or with no other flag
        // (9 of 16), an empty list is always invalid (16).
        assert_eq!(rejected_types, 9 + 16);
        // 5^4 combinations: all absent (1), or any empty list present (5^4 - 4^4).
        assert_eq!(rejected_ids, 1 + (625 - 256));
        assert_eq!(filters.len(), 2 + (112 - 25) + (625 - 370));

        for filter in &filters {
            let rendered = render(filter);
            let reparsed = parse(&rendered).unwrap_or_else(|error| panic!("{rendered:?}: {error}"));
            assert_eq!(&reparsed, filter, "{rendered:?}");
            assert_eq!(render(&reparsed), rendered);
            if !filter.is_everything() {
                let respelled = respelled(&rendered);
                assert_eq!(parse(&respelled).as_ref(), Ok(filter), "{respelled:?}");
            }
        }
    }

    #[test]
    fn every_invalid_combination_is_reported_by_build_and_by_parse_alike() {
        // A builder whose fields are each renderable on their own: parsing their concatenation must agree with
        // build(), so a filter typed by hand and one built in code fail the same way.
        let field_strings = |builder: &TypeFilterBuilder| {
            let mut segments = Vec::new();
            let fields = &builder.filter;
            if let Some(selection) = &fields.asset_types {
                segments.push(format!("{INVENTORY_ITEM_ASSET_TYPES}={selection}"));
            }
            for (field, on) in [
                (ONLY_COLLECTIBLES, fields.only_collectibles),
                (BADGES, fields.badges),
                (GAME_PASSES, fields.game_passes),
                (PRIVATE_SERVERS, fields.private_servers),
            ] {
                segments.push(format!("{field}={on}"));
            }
            segments.join(";")
        };
        for builder in type_builders() {
            let written = field_strings(&builder);
            assert_eq!(parse(&written), builder.clone().build(), "{written:?}");
        }
    }

    #[tokio::test]
    async fn the_rendered_filter_reaches_roblox_as_one_query_value() {
        use wiremock::matchers::any;
        use wiremock::{Mock, MockServer, ResponseTemplate};

        let server = MockServer::start().await;
        Mock::given(any())
            .respond_with(ResponseTemplate::new(200).set_body_raw(
                r#"{"inventoryItems":[],"nextPageToken":""}"#,
                "application/json",
            ))
            .mount(&server)
            .await;
        let filter = InventoryFilter::types()
            .asset_types([T::Hat, T::ClassicPants])
            .only_collectibles()
            .build()
            .unwrap();

        let client = roblox_inventory_cloud_v2::Client::new(&server.uri());
        client
            .list_inventory_items()
            .user_id("156")
            .filter(filter.to_query_value().expect("a filter"))
            .send()
            .await
            .expect("the mock answers 200");

        let requests = server.received_requests().await.expect("recording is on");
        let query: Vec<(String, String)> = requests[0]
            .url
            .query_pairs()
            .map(|(name, value)| (name.into_owned(), value.into_owned()))
            .collect();
        assert_eq!(
            query,
            [(
                "filter".to_owned(),
                "inventoryItemAssetTypes=HAT,CLASSIC_PANTS;onlyCollectibles=true".to_owned()
            )]
        );
        assert_eq!(
            requests[0].url.query(),
            Some("filter=inventoryItemAssetTypes%3DHAT%2CCLASSIC_PANTS%3BonlyCollectibles%3Dtrue")
        );
    }
}
