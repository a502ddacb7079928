//! Emits the spec's named enums as open enums (`roblox_inventory_core::int_enum!` / `string_enum!`).
//!
//! progenitor would generate closed enums (a value Roblox adds tomorrow fails the whole page), so every named
//! enum schema is replaced with one of these and declared inside the generated `types` module.

use std::fmt::Write;

/// A named enum schema.
#[derive(Clone, Debug)]
pub struct EnumDef {
    /// The schema name, which is also the Rust type name.
    pub name: String,
    /// The schema description, for the type's docs.
    pub description: Option<String>,
    /// The listed values.
    pub values: EnumValues,
}

/// An enum's listed values.
#[derive(Clone, Debug)]
pub enum EnumValues {
    /// Integer values with Roblox's name for each (`x-enum-varnames`).
    Int(Vec<(i64, String)>),
    /// String values.
    String(Vec<String>),
}

impl EnumDef {
    /// The path progenitor refers to the enum by.
    pub fn rust_path(&self) -> String {
        format!("crate::types::{}", self.name)
    }

    /// The macro invocation that declares the enum, formatted (rustfmt cannot format inside a macro call).
    pub fn to_source(&self) -> anyhow::Result<String> {
        ident(&self.name)?;
        let mut out = String::new();
        let (macro_name, variants) = match &self.values {
            EnumValues::Int(values) => (
                "int_enum",
                values
                    .iter()
                    .map(|(id, wire_name)| {
                        Ok(format!("{} = {id} => {wire_name:?},", variant(wire_name)?))
                    })
                    .collect::<anyhow::Result<Vec<_>>>()?,
            ),
            EnumValues::String(values) => (
                "string_enum",
                values
                    .iter()
                    .map(|wire| Ok(format!("{} = {wire:?},", variant(wire)?)))
                    .collect::<anyhow::Result<Vec<_>>>()?,
            ),
        };
        writeln!(out, "roblox_inventory_core::{macro_name}! {{")?;
        for line in self
            .description
            .iter()
            .flat_map(|text| text.trim_end().lines())
        {
            writeln!(
                out,
                "    ///{}{}",
                if line.is_empty() { "" } else { " " },
                line.trim_end()
            )?;
        }
        writeln!(out, "    pub enum {} {{", self.name)?;
        for variant in variants {
            writeln!(out, "        {variant}")?;
        }
        writeln!(out, "    }}")?;
        writeln!(out, "}}")?;
        Ok(out)
    }
}

fn variant(wire: &str) -> anyhow::Result<String> {
    let name = variant_name(wire);
    ident(&name)?;
    Ok(name)
}

fn ident(name: &str) -> anyhow::Result<()> {
    syn::parse_str::<syn::Ident>(name)
        .map(|_| ())
        .map_err(|_| anyhow::anyhow!("{name:?} cannot be a Rust identifier"))
}

/// `CLASSIC_TSHIRT` -> `ClassicTshirt`, `TShirt` -> `TShirt`, `user.read` -> `UserRead`; a leading digit gets `V`.
pub fn variant_name(value: &str) -> String {
    let words: Vec<&str> = value
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|word| !word.is_empty())
        .collect();
    let shouting = value.chars().all(|c| !c.is_ascii_lowercase());
    let mut name = String::new();
    for word in words {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            name.push(first.to_ascii_uppercase());
            let rest: String = chars.collect();
            if shouting {
                name.push_str(&rest.to_ascii_lowercase());
            } else {
                name.push_str(&rest);
            }
        }
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) || name.is_empty() {
        name.insert(0, 'V');
    }
    name
}

#[cfg(test)]
mod tests {
    use super::variant_name;

    #[test]
    fn variant_names_read_like_rust() {
        assert_eq!(variant_name("CLASSIC_TSHIRT"), "ClassicTshirt");
        assert_eq!(variant_name("TShirt"), "TShirt");
        assert_eq!(variant_name("Asc"), "Asc");
        assert_eq!(variant_name("HOLD"), "Hold");
        assert_eq!(variant_name("3D"), "V3d");
    }
}
