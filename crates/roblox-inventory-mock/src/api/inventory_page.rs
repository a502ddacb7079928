//! One legacy page of a user's inventory, as the v1 collectibles and the two v2 inventory listings serve it.

use axum::Json;
use axum::response::IntoResponse;
use serde::Serialize;

use super::error::LegacyReply;
use super::json::legacy_page;
use super::paging::Sequence;
use super::params::LegacyPaging;
use crate::world::{Item, World};

/// The page of `user`'s items that `select` keeps, in `paging`'s order, each turned by `show` into its JSON;
/// `parameters` names the request's other parameters, which its cursors are tied to.
pub fn inventory_page<T: Serialize>(
    world: &World,
    user: u64,
    paging: &LegacyPaging,
    parameters: &str,
    select: impl Fn(&Item) -> bool,
    show: impl FnMut(Item) -> T,
) -> LegacyReply {
    let position = paging.position(parameters)?;
    let inventory = world.inventory(user);
    let sequence = Sequence {
        len: inventory.len(),
        descending: paging.descending,
        get: |position| inventory.get(position).filter(|item| select(item)),
    };
    let window = sequence.window(position, paging.limit, world.max_examined_per_request());
    let (previous, next) = (
        paging.cursor(window.previous, parameters),
        paging.cursor(window.next, parameters),
    );
    let data: Vec<T> = window.items.into_iter().map(show).collect();
    Ok(Json(legacy_page(data, previous, next)).into_response())
}
