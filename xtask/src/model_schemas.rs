//! The generated models' JSON Schemas: progenitor derives `schemars::JsonSchema` on every model, and this pass
//! puts each such derive behind the crate's `schemars` feature and lists every model in one function,
//! `model_schemas()`, which the schema snapshots read. A crate without the feature builds no schema code.

use anyhow::bail;
use quote::{format_ident, quote};

/// The derive progenitor is asked for ([`crate::generate`]); nothing else in the output may name it.
pub const DERIVE: &str = "schemars::JsonSchema";

/// Moves the `JsonSchema` derive of every model in `types` (and its submodules) into
/// `#[cfg_attr(feature = "schemars", derive(::schemars::JsonSchema))]`, and returns the names of the models
/// directly in `types`. Fails if a model with a serde derive did not get one.
pub fn gate_derives(file: &mut syn::File) -> anyhow::Result<Vec<syn::Ident>> {
    let types = crate::extend::module_mut(file, "types")?;
    let mut top_level = Vec::new();
    let mut problems = Vec::new();
    gate_items(types, true, &mut top_level, &mut problems);
    if !problems.is_empty() {
        bail!(
            "models without a JsonSchema derive to gate: {}",
            problems.join(", ")
        );
    }
    Ok(top_level)
}

fn gate_items(
    items: &mut [syn::Item],
    top: bool,
    top_level: &mut Vec<syn::Ident>,
    problems: &mut Vec<String>,
) {
    for item in items {
        let (ident, attrs) = match item {
            syn::Item::Struct(model) => (model.ident.clone(), &mut model.attrs),
            syn::Item::Enum(model) => (model.ident.clone(), &mut model.attrs),
            syn::Item::Mod(module) => {
                if let Some((_, inner)) = module.content.as_mut() {
                    gate_items(inner, false, top_level, problems);
                }
                continue;
            }
            _ => continue,
        };
        let serde_model = attrs.iter().any(|attr| derives(attr, "Serialize"));
        let gated = gate(attrs);
        match (serde_model, gated) {
            (true, false) => problems.push(ident.to_string()),
            (_, true) if top => top_level.push(ident),
            _ => {}
        }
    }
}

/// Whether `attr` is a `derive` that names a path ending in `name`.
fn derives(attr: &syn::Attribute, name: &str) -> bool {
    attr.path().is_ident("derive")
        && attr
            .parse_args_with(
                syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated,
            )
            .is_ok_and(|paths| {
                paths
                    .iter()
                    .any(|path| path.segments.last().is_some_and(|last| last.ident == name))
            })
}

/// Takes `JsonSchema` out of the derives in `attrs` and adds it back behind the feature; whether it did.
fn gate(attrs: &mut Vec<syn::Attribute>) -> bool {
    let mut found = false;
    for attr in attrs.iter_mut().filter(|attr| derives(attr, "JsonSchema")) {
        let paths = attr
            .parse_args_with(
                syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated,
            )
            .expect("checked by `derives`");
        let kept = paths.into_iter().filter(|path| {
            path.segments
                .last()
                .is_none_or(|last| last.ident != "JsonSchema")
        });
        *attr = syn::parse_quote! { #[derive(#(#kept),*)] };
        found = true;
    }
    if found {
        attrs.push(syn::parse_quote! {
            #[cfg_attr(feature = "schemars", derive(::schemars::JsonSchema))]
        });
    }
    found
}

/// `model_schemas()`: every model of the crate by name, with its schema (behind the `schemars` feature).
pub fn schemas_function(models: &[syn::Ident], open_enums: &[String]) -> syn::Item {
    let mut names: Vec<syn::Ident> = models.to_vec();
    names.extend(open_enums.iter().map(|name| format_ident!("{name}")));
    names.sort_by_key(ToString::to_string);
    names.dedup();
    let entries = names.iter().map(|name| {
        let text = name.to_string();
        quote! { (#text, ::schemars::schema_for!(types::#name)) }
    });
    syn::parse_quote! {
        /// Every model of this crate and its JSON Schema, by name: what a value of the model serializes to.
        /// The workspace's schema snapshots are made of this list.
        #[cfg(feature = "schemars")]
        pub fn model_schemas() -> ::std::vec::Vec<(&'static str, ::schemars::Schema)> {
            ::std::vec![#(#entries),*]
        }
    }
}

/// What [`gate_derives`] must leave: gated derives, and no plain one.
pub fn check(code: &str) -> Option<String> {
    let gated = code.matches("cfg_attr(feature = \"schemars\"").count();
    let all = code.matches("JsonSchema").count();
    if gated == 0 {
        return Some("no model derives JsonSchema behind the schemars feature".into());
    }
    // Each gate names JsonSchema once; `model_schemas` names none.
    if all != gated {
        return Some(format!(
            "JsonSchema is named {all} times but gated {gated} times: a derive escaped the schemars feature"
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_derive_moves_behind_the_feature_and_models_are_listed() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod types {
                #[derive(::serde::Serialize, Clone, schemars::JsonSchema)]
                pub struct Page { pub items: Vec<u32> }
                pub mod builder {
                    #[derive(::serde::Serialize, schemars::JsonSchema)]
                    pub struct Page;
                }
            }
        };
        let models = gate_derives(&mut file).unwrap();
        assert_eq!(models, [format_ident!("Page")]);
        let code = prettyplease::unparse(&file);
        assert!(
            code.contains("#[derive(::serde::Serialize, Clone)]"),
            "{code}"
        );
        assert_eq!(
            code.matches("#[cfg_attr(feature = \"schemars\", derive(::schemars::JsonSchema))]")
                .count(),
            2,
            "{code}"
        );
        assert_eq!(check(&code), None);
    }

    #[test]
    fn a_serde_model_without_the_derive_is_named() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod types {
                #[derive(::serde::Serialize, Clone)]
                pub struct Lost;
            }
        };
        let error = gate_derives(&mut file).unwrap_err();
        assert!(error.to_string().contains("Lost"), "{error}");
        assert!(check("#[derive(schemars::JsonSchema)] struct A;").is_some());
    }
}
