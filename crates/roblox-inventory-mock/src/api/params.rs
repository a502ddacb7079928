//! Query and path values, parsed by hand so that every bad value gets Roblox's error shape naming it
//! instead of axum's plain-text rejection.

use axum::extract::Query;
use axum::extract::rejection::QueryRejection;

use super::error::LegacyError;
use super::paging::{self, Position};

/// The query string as pairs; names match case-insensitively, as ASP.NET's binding does.
#[derive(Clone, Debug, Default)]
pub struct Params(Vec<(String, String)>);

impl Params {
    /// A legacy operation's query; a malformed one is a 400 with the legacy envelope.
    pub fn legacy(
        query: Result<Query<Vec<(String, String)>>, QueryRejection>,
    ) -> Result<Self, LegacyError> {
        Self::from_query(query).map_err(|text| LegacyError::bad_request(0, text))
    }

    pub fn from_query(
        query: Result<Query<Vec<(String, String)>>, QueryRejection>,
    ) -> Result<Self, String> {
        query
            .map(|Query(pairs)| Self(pairs))
            .map_err(|rejection| rejection.body_text())
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }
}

/// Legacy parameters of the common paged shape: `limit` 10/25/50/100, `cursor`, `sortOrder` Asc/Desc.
#[derive(Clone, Debug)]
pub struct LegacyPaging {
    pub limit: usize,
    pub cursor: String,
    pub descending: bool,
}

impl LegacyPaging {
    pub fn parse(params: &Params) -> Result<Self, LegacyError> {
        let limit = match params.get("limit") {
            None => 10,
            Some(text) => match text.trim().parse::<usize>() {
                Ok(limit @ (10 | 25 | 50 | 100)) => limit,
                _ => {
                    return Err(LegacyError::bad_request(
                        0,
                        format!(
                            "The value '{text}' is not valid for limit. Allowed values: 10, 25, 50, 100."
                        ),
                    ));
                }
            },
        };
        let descending = match params.get("sortOrder") {
            None => false,
            Some(text) if text.eq_ignore_ascii_case("asc") => false,
            Some(text) if text.eq_ignore_ascii_case("desc") => true,
            Some(text) => {
                return Err(LegacyError::bad_request(
                    0,
                    format!(
                        "The value '{text}' is not valid for sortOrder. Allowed values: Asc, Desc."
                    ),
                ));
            }
        };
        Ok(Self {
            limit,
            cursor: params.get("cursor").unwrap_or_default().to_owned(),
            descending,
        })
    }

    /// The start of the page; `parameters` describes everything else of the request.
    pub fn position(&self, parameters: &str) -> Result<Position, LegacyError> {
        paging::decode("", &self.cursor, &self.key(parameters))
            .map_err(|error| LegacyError::bad_request(0, format!("Invalid cursor: {error}.")))
    }

    pub fn cursor(&self, position: Option<Position>, parameters: &str) -> Option<String> {
        position.map(|position| paging::encode("", position, &self.key(parameters)))
    }

    fn key(&self, parameters: &str) -> String {
        format!("{parameters};desc={}", self.descending)
    }
}

/// A path id; anything but a positive integer is `error`.
pub fn positive_id(text: &str, error: impl FnOnce() -> LegacyError) -> Result<u64, LegacyError> {
    match text.trim().parse::<u64>() {
        Ok(id) if id > 0 => Ok(id),
        _ => Err(error()),
    }
}

/// A query boolean (`true`/`false`, any case); missing is false.
pub fn boolean(params: &Params, name: &str) -> Result<bool, LegacyError> {
    match params.get(name) {
        None => Ok(false),
        Some(text) if text.eq_ignore_ascii_case("true") => Ok(true),
        Some(text) if text.eq_ignore_ascii_case("false") => Ok(false),
        Some(text) => Err(LegacyError::bad_request(
            0,
            format!("The value '{text}' is not valid for {name}."),
        )),
    }
}
