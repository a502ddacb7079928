use std::fmt;

use serde::{Serialize, Serializer};

/// A list sent as one comma-separated query value: `assetTypes=Hat,Face`, not `assetTypes=Hat&assetTypes=Face`.
///
/// Items are written with their `Display` form, so open enums go out by name. Build one from a `Vec`, an array,
/// a single item or an iterator:
///
/// ```
/// use roblox_inventory_core::CommaSeparated;
///
/// let ids: CommaSeparated<u32> = [8, 41].into();
/// assert_eq!(ids.to_string(), "8,41");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct CommaSeparated<T>(pub Vec<T>);

impl<T> CommaSeparated<T> {
    /// The items, in the order they are sent.
    pub fn items(&self) -> &[T] {
        &self.0
    }
}

impl<T: fmt::Display> fmt::Display for CommaSeparated<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, item) in self.0.iter().enumerate() {
            if index > 0 {
                f.write_str(",")?;
            }
            write!(f, "{item}")?;
        }
        Ok(())
    }
}

impl<T: fmt::Display> Serialize for CommaSeparated<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<T> From<Vec<T>> for CommaSeparated<T> {
    fn from(items: Vec<T>) -> Self {
        Self(items)
    }
}

impl<T, const N: usize> From<[T; N]> for CommaSeparated<T> {
    fn from(items: [T; N]) -> Self {
        Self(items.into())
    }
}

impl<T: Clone> From<&[T]> for CommaSeparated<T> {
    fn from(items: &[T]) -> Self {
        Self(items.to_vec())
    }
}

impl<T> FromIterator<T> for CommaSeparated<T> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        Self(iter.into_iter().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serializes_as_one_value() {
        let value: CommaSeparated<&str> = vec!["Hat", "Face"].into();
        assert_eq!(serde_json::to_string(&value).unwrap(), r#""Hat,Face""#);
        let empty: CommaSeparated<&str> = Vec::new().into();
        assert_eq!(empty.to_string(), "");
    }
}
