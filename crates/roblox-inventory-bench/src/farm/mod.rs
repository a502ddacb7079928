//! A page farm: every page of a listing rendered once, kept as bytes, and served from memory, so that a scan
//! against it measures the client while the server does little more than a lookup and a write.

mod render;
mod serve;

use std::collections::HashMap;

use axum::body::Bytes;
use axum::http::HeaderMap;

pub use render::render;
pub use serve::PageFarm;

/// Where a listing's pages are and how they link: what rendering requests and what serving matches.
#[derive(Clone, Debug)]
pub struct Listing {
    /// The path of every page, on the emulator and on the farm alike.
    pub path: String,
    /// The query parameter that carries the cursor: `cursor` (legacy) or `pageToken` (Open Cloud).
    pub cursor_parameter: &'static str,
    /// The field of a page naming the cursor of the next: `nextPageCursor` or `nextPageToken`.
    pub next_field: &'static str,
    /// The other query parameters of the rendering requests (the page size).
    pub query: &'static [(&'static str, &'static str)],
    /// Headers of the rendering requests (the API key).
    pub headers: Vec<(&'static str, String)>,
}

/// One stored response: the headers a client may act on, and the body.
#[derive(Clone, Debug)]
pub struct Page {
    pub headers: HeaderMap,
    pub body: Bytes,
}

/// Every page of one listing, keyed by the cursor that fetched it; the first page's key is empty.
#[derive(Clone, Debug)]
pub struct Pages {
    pub listing: Listing,
    pub by_cursor: HashMap<String, Page>,
}

impl Pages {
    /// The page a request carrying `cursor` gets; a missing and an empty cursor both ask for the first.
    pub fn get(&self, cursor: Option<&str>) -> Option<&Page> {
        self.by_cursor.get(cursor.unwrap_or_default())
    }
}
