//! Open Cloud's inventory filter grammar (`field=value;field=v1,v2`), parsed and applied.

use crate::world::asset_types::{cloud_name, is_cloud_name};
use crate::world::{Item, ItemKind};

/// A parsed filter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CloudFilter {
    /// No filter: the whole inventory.
    Everything,
    /// Type fields.
    Types {
        /// `None`: no assets; `Some(None)`: `*`; `Some(Some(list))`: these types.
        asset_types: Option<Option<Vec<String>>>,
        only_collectibles: bool,
        badges: bool,
        game_passes: bool,
        private_servers: bool,
    },
    /// ID fields.
    Ids {
        assets: Vec<u64>,
        badges: Vec<u64>,
        game_passes: Vec<u64>,
        private_servers: Vec<u64>,
    },
}

/// Why a filter was refused; the message names the field and value.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("Invalid filter: {0}")]
pub struct FilterError(String);

impl CloudFilter {
    pub fn parse(text: &str) -> Result<Self, FilterError> {
        let mut types = (None, false, false, false, false);
        let mut ids = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        let (mut saw_type, mut saw_id) = (false, false);
        for clause in text
            .split(';')
            .map(str::trim)
            .filter(|clause| !clause.is_empty())
        {
            let (field, value) = clause
                .split_once('=')
                .ok_or_else(|| FilterError(format!("'{clause}' is not field=value")))?;
            let (field, value) = (field.trim(), value.trim());
            // Roblox's services run on .NET, whose boolean parsing ignores case; Python clients send `True`.
            let flag = || {
                if value.eq_ignore_ascii_case("true") {
                    Ok(true)
                } else if value.eq_ignore_ascii_case("false") {
                    Ok(false)
                } else {
                    Err(FilterError(format!("{field}={value} is not a boolean")))
                }
            };
            let id_list = || {
                value
                    .split(',')
                    .map(|id| {
                        id.trim()
                            .parse::<u64>()
                            .map_err(|_| FilterError(format!("{field}: '{id}' is not an id")))
                    })
                    .collect::<Result<Vec<_>, _>>()
            };
            match field {
                "inventoryItemAssetTypes" => {
                    saw_type = true;
                    types.0 = Some(if value == "*" {
                        None
                    } else {
                        let names: Vec<String> = value
                            .split(',')
                            .map(|name| name.trim().to_owned())
                            .collect();
                        if let Some(bad) = names.iter().find(|name| !is_cloud_name(name)) {
                            return Err(FilterError(format!(
                                "inventoryItemAssetTypes: unknown asset type '{bad}'"
                            )));
                        }
                        Some(names)
                    });
                }
                "onlyCollectibles" => (saw_type, types.1) = (true, flag()?),
                "badges" => (saw_type, types.2) = (true, flag()?),
                "gamePasses" => (saw_type, types.3) = (true, flag()?),
                "privateServers" => (saw_type, types.4) = (true, flag()?),
                "assetIds" => (saw_id, ids.0) = (true, id_list()?),
                "badgeIds" => (saw_id, ids.1) = (true, id_list()?),
                "gamePassIds" => (saw_id, ids.2) = (true, id_list()?),
                "privateServerIds" => (saw_id, ids.3) = (true, id_list()?),
                _ => return Err(FilterError(format!("unknown field '{field}'"))),
            }
        }
        match (saw_type, saw_id) {
            (true, true) => Err(FilterError(
                "type fields and ID fields cannot be combined".to_owned(),
            )),
            (false, false) => Ok(Self::Everything),
            (true, false) => Ok(Self::Types {
                asset_types: types.0,
                only_collectibles: types.1,
                badges: types.2,
                game_passes: types.3,
                private_servers: types.4,
            }),
            (false, true) => Ok(Self::Ids {
                assets: ids.0,
                badges: ids.1,
                game_passes: ids.2,
                private_servers: ids.3,
            }),
        }
    }

    /// Whether the filter selects `item`.
    pub fn selects(&self, item: &Item) -> bool {
        // Bundles are not Open Cloud inventory items (spec/cloud-v2.yaml: InventoryItem has no bundle details).
        if !item.in_open_cloud() {
            return false;
        }
        match self {
            Self::Everything => true,
            Self::Types {
                asset_types,
                only_collectibles,
                badges,
                game_passes,
                private_servers,
            } => match &item.kind {
                ItemKind::Asset {
                    asset_type,
                    collectible,
                    ..
                } => {
                    let by_type = match asset_types {
                        None => false,
                        Some(None) => true,
                        Some(Some(names)) => {
                            names.iter().any(|name| name == cloud_name(*asset_type))
                        }
                    };
                    by_type && (!only_collectibles || collectible.is_some())
                }
                ItemKind::Badge { .. } => *badges,
                ItemKind::GamePass { .. } => *game_passes,
                ItemKind::PrivateServer { .. } => *private_servers,
                ItemKind::Bundle { .. } => false,
            },
            Self::Ids {
                assets,
                badges,
                game_passes,
                private_servers,
            } => match &item.kind {
                ItemKind::Asset { asset_id, .. } => assets.contains(asset_id),
                ItemKind::Badge { badge_id } => badges.contains(badge_id),
                ItemKind::GamePass { game_pass_id } => game_passes.contains(game_pass_id),
                ItemKind::PrivateServer { private_server_id } => {
                    private_servers.contains(private_server_id)
                }
                ItemKind::Bundle { .. } => false,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mixing_type_and_id_fields_is_refused() {
        assert!(CloudFilter::parse("badges=true;assetIds=1").is_err());
        assert!(CloudFilter::parse("inventoryItemAssetTypes=HAT,NOPE").is_err());
        assert!(CloudFilter::parse("badges=maybe").is_err());
        assert_eq!(CloudFilter::parse(""), Ok(CloudFilter::Everything));
        assert!(matches!(
            CloudFilter::parse("onlyCollectibles=true;inventoryItemAssetTypes=*"),
            Ok(CloudFilter::Types {
                asset_types: Some(None),
                only_collectibles: true,
                ..
            })
        ));
    }

    #[test]
    fn booleans_are_read_without_regard_to_case() {
        assert_eq!(
            CloudFilter::parse("onlyCollectibles=True;inventoryItemAssetTypes=*;badges=FALSE"),
            CloudFilter::parse("onlyCollectibles=true;inventoryItemAssetTypes=*;badges=false"),
        );
        assert!(matches!(
            CloudFilter::parse("gamePasses=True"),
            Ok(CloudFilter::Types {
                game_passes: true,
                ..
            })
        ));
        assert_eq!(
            CloudFilter::parse("badges=yes").unwrap_err().to_string(),
            "Invalid filter: badges=yes is not a boolean"
        );
    }
}
