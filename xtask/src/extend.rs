//! What the generator adds to progenitor's output, from the spec: the operation table, `Request` for every
//! request builder (its operation, its path, `call`), `PagedRequest` with `scan` and `stream` for every operation
//! marked `x-pagination`, and the hooks. It also takes out the `api-version` header progenitor puts on every
//! request (Roblox's hosts do not read it).
//!
//! Everything is found in progenitor's output by name (the builder of `listInventoryItems` is
//! `builder::ListInventoryItems`, its parameter `pageToken` the field `page_token`), and every lookup that fails
//! is an error naming the operation: a progenitor upgrade that renames something cannot go unnoticed.

use anyhow::{Context, anyhow, bail};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::operations::{OperationDef, PagingDef, snake_case};

/// Adds the operation table, the request traits and the hooks to `file`, and strips `api-version`.
pub fn extend(file: &mut syn::File, operations: &[OperationDef]) -> anyhow::Result<()> {
    strip_api_version(file, operations.len())?;
    let additions = {
        let builders = module(file, "builder")?;
        let types = module(file, "types")?;
        operations
            .iter()
            .map(|operation| {
                request_impls(operation, builders, types).with_context(|| {
                    format!(
                        "operation {} ({} {})",
                        operation.id, operation.method, operation.path
                    )
                })
            })
            .collect::<anyhow::Result<Vec<_>>>()?
    };
    let builders = module_mut(file, "builder")?;
    for tokens in additions {
        let items: syn::File =
            syn::parse2(tokens).context("the generated request impls do not parse")?;
        builders.extend(items.items);
    }
    let table: syn::File =
        syn::parse2(operation_table(operations)).context("the operation table does not parse")?;
    file.items.extend(table.items);
    Ok(())
}

fn module<'a>(file: &'a syn::File, name: &str) -> anyhow::Result<&'a [syn::Item]> {
    file.items
        .iter()
        .find_map(|item| match item {
            syn::Item::Mod(module) if module.ident == name => module.content.as_ref(),
            _ => None,
        })
        .map(|(_, items)| items.as_slice())
        .ok_or_else(|| anyhow!("progenitor's output has no `{name}` module"))
}

/// The items of the top-level module `name` (`types`, `builder`) of progenitor's output.
pub(crate) fn module_mut<'a>(
    file: &'a mut syn::File,
    name: &str,
) -> anyhow::Result<&'a mut Vec<syn::Item>> {
    file.items
        .iter_mut()
        .find_map(|item| match item {
            syn::Item::Mod(module) if module.ident == name => module.content.as_mut(),
            _ => None,
        })
        .map(|(_, items)| items)
        .ok_or_else(|| anyhow!("progenitor's output has no `{name}` module"))
}

/// `pub mod operations`: a static per operation, `ALL`, and the spec's id of each client method.
fn operation_table(operations: &[OperationDef]) -> TokenStream {
    let constants: Vec<_> = operations
        .iter()
        .map(|operation| format_ident!("{}", operation.constant_name()))
        .collect();
    let statics = operations.iter().zip(&constants).map(|(operation, constant)| {
        let (id, method, path) = (&operation.id, &operation.method, &operation.path);
        let doc = format!("`{method} {path}`");
        quote! {
            #[doc = #doc]
            pub static #constant: Operation = Operation { id: #id, method: #method, path: #path };
        }
    });
    let names = operations.iter().map(OperationDef::method_name);
    quote! {
        /// The operation table: every operation of the spec, with its `operationId`, method and path template.
        pub mod operations {
            use roblox_inventory_core::Operation;

            #(#statics)*

            /// Every operation, in the spec's order.
            pub static ALL: &[&Operation] = &[#(&#constants),*];

            /// The `operationId` of the client method `name` (progenitor's `OperationInfo::operation_id`).
            pub fn id_of(name: &'static str) -> &'static str {
                match name {
                    #(#names => #constants.id,)*
                    _ => name,
                }
            }
        }
    }
}

/// `Request` for the operation's builder, and for a paged operation `PagedRequest`, `scan` and `stream`.
fn request_impls(
    operation: &OperationDef,
    builders: &[syn::Item],
    types: &[syn::Item],
) -> anyhow::Result<TokenStream> {
    let name = operation.builder_name();
    let builder = find_struct(builders, &name)
        .with_context(|| format!("no request builder `builder::{name}`"))?;
    let (output, error) = send_types(builders, &name)?;
    let builder_ident = format_ident!("{name}");
    let constant = format_ident!("{}", operation.constant_name());

    let mut format = operation.path.clone();
    let mut arguments = Vec::new();
    for parameter in &operation.path_parameters {
        let field = field_of(builder, parameter)?;
        let placeholder = format!("{{{parameter}}}");
        format = format.replacen(&placeholder, "{}", 1);
        arguments.push(quote! {
            self.#field
                .as_ref()
                .map(|value| encode_path(&value.to_string()))
                .unwrap_or_else(|_| ::std::string::String::from(#placeholder))
        });
    }

    let mut tokens = quote! {
        impl roblox_inventory_core::Request for #builder_ident<'_> {
            type Output = #output;
            type Error = Error<#error>;

            const OPERATION: &'static roblox_inventory_core::Operation = &super::operations::#constant;

            fn path(&self) -> ::std::string::String {
                ::std::format!(#format, #(#arguments),*)
            }

            fn call(
                self,
            ) -> impl ::std::future::Future<Output = ::std::result::Result<#output, Error<#error>>> + Send {
                async move { self.send().await.map(ResponseValue::into_inner) }
            }
        }
    };
    if let Some(paging) = &operation.paging {
        tokens.extend(paged_impls(operation, paging, builder, types, &output)?);
    }
    Ok(tokens)
}

fn paged_impls(
    operation: &OperationDef,
    paging: &PagingDef,
    builder: &syn::ItemStruct,
    types: &[syn::Item],
    output: &syn::Type,
) -> anyhow::Result<TokenStream> {
    let builder_ident = &builder.ident;
    let cursor_field = field_of(builder, &paging.cursor)?;
    let cursor_type = option_inner(setter_type(builder, &paging.cursor)?).clone();
    let size_field = field_of(builder, &paging.page_size)?;
    let size_type = option_inner(setter_type(builder, &paging.page_size)?);
    let suffix = match last_ident(size_type).as_deref() {
        Some("i32") => "i32",
        Some("i64") => "i64",
        // An open enum of sizes, such as `PageLimit`, converts from its id.
        _ => "i64",
    };
    let max = syn::LitInt::new(
        &format!("{}{suffix}", paging.max_page_size),
        proc_macro2::Span::call_site(),
    );

    let page_name = last_ident(output).context("the 200 response is not a named model")?;
    let page =
        find_struct(types, &page_name).with_context(|| format!("no model `types::{page_name}`"))?;
    let items_field = format_ident!("{}", snake_case(&paging.items));
    let items_type = struct_field(page, &items_field)
        .with_context(|| format!("`types::{page_name}` has no field `{items_field}`"))?;
    let (item_type, items) = match generic_argument(items_type, "Vec") {
        Some(item) => (item, quote! { page.#items_field }),
        None => match generic_argument(items_type, "Option")
            .and_then(|vec| generic_argument(vec, "Vec"))
        {
            Some(item) => (item, quote! { page.#items_field.unwrap_or_default() }),
            None => bail!("`types::{page_name}::{items_field}` is not a list"),
        },
    };
    let item_type = in_types_module(item_type);
    let next_field = format_ident!("{}", snake_case(&paging.next_cursor));
    let next_type = struct_field(page, &next_field)
        .with_context(|| format!("`types::{page_name}` has no field `{next_field}`"))?;
    let next_text = if generic_argument(next_type, "Option").is_some() {
        quote! { page.#next_field }
    } else {
        quote! { ::std::option::Option::Some(page.#next_field) }
    };
    let next = if paging.integer_cursor {
        let field_name = &paging.next_cursor;
        quote! {
            roblox_inventory_core::integer_cursor(#field_name, #next_text).map_err(Error::Custom)?
        }
    } else {
        next_text
    };
    let set_cursor = match paging.first_cursor {
        Some(first) => {
            let first = syn::LitInt::new(&first.to_string(), proc_macro2::Span::call_site());
            quote! { let request = request.#cursor_field(cursor.unwrap_or(#first)); }
        }
        None => quote! {
            let request = match cursor {
                ::std::option::Option::Some(cursor) => request.#cursor_field(cursor),
                ::std::option::Option::None => request,
            };
        },
    };
    let scan_doc = format!(
        "Every page of `{} {}`, following `{}`: see [`roblox_inventory_core::Scan`].",
        operation.method, operation.path, paging.next_cursor
    );
    let stream_doc = format!(
        "Every item of `{} {}`, page after page ({} a page); the same as `.scan().items()`.",
        operation.method, operation.path, paging.max_page_size
    );
    Ok(quote! {
        impl<'a> roblox_inventory_core::PagedRequest for #builder_ident<'a> {
            type Item = #item_type;
            type Cursor = #cursor_type;

            fn page(
                self,
                cursor: ::std::option::Option<#cursor_type>,
            ) -> impl ::std::future::Future<
                Output = ::std::result::Result<roblox_inventory_core::Page<#item_type, #cursor_type>, Self::Error>,
            > + Send {
                let request = self.#size_field(#max);
                #set_cursor
                async move {
                    let page = request.send().await?.into_inner();
                    ::std::result::Result::Ok(roblox_inventory_core::Page { items: #items, next: #next })
                }
            }
        }

        impl<'a> #builder_ident<'a> {
            #[doc = #scan_doc]
            pub fn scan(self) -> roblox_inventory_core::Scan<Self> {
                roblox_inventory_core::Scan::new(self)
            }

            #[doc = #stream_doc]
            pub fn stream(
                self,
            ) -> impl roblox_inventory_core::Stream<
                Item = ::std::result::Result<
                    #item_type,
                    roblox_inventory_core::PaginationError<<Self as roblox_inventory_core::Request>::Error, #cursor_type>,
                >,
            > + Unpin {
                self.scan().items()
            }
        }
    })
}

fn find_struct<'a>(items: &'a [syn::Item], name: &str) -> Option<&'a syn::ItemStruct> {
    items.iter().find_map(|item| match item {
        syn::Item::Struct(found) if found.ident == name => Some(found),
        _ => None,
    })
}

fn struct_field<'a>(model: &'a syn::ItemStruct, name: &syn::Ident) -> Option<&'a syn::Type> {
    model
        .fields
        .iter()
        .find(|field| field.ident.as_ref() == Some(name))
        .map(|field| &field.ty)
}

/// The builder field of parameter `parameter`.
fn field_of(builder: &syn::ItemStruct, parameter: &str) -> anyhow::Result<syn::Ident> {
    let field = format_ident!("{}", snake_case(parameter));
    struct_field(builder, &field)
        .map(|_| field.clone())
        .with_context(|| {
            format!(
                "`builder::{}` has no field `{field}` for parameter `{parameter}`",
                builder.ident
            )
        })
}

/// The type a builder's setter for `parameter` takes: `T` of its `Result<T, String>` field.
fn setter_type<'a>(builder: &'a syn::ItemStruct, parameter: &str) -> anyhow::Result<&'a syn::Type> {
    let field = field_of(builder, parameter)?;
    struct_field(builder, &field)
        .and_then(|ty| generic_argument(ty, "Result"))
        .with_context(|| {
            format!(
                "`builder::{}::{field}` is not a `Result<_, String>`",
                builder.ident
            )
        })
}

/// `T` of `Option<T>`, or the type itself.
fn option_inner(ty: &syn::Type) -> &syn::Type {
    generic_argument(ty, "Option").unwrap_or(ty)
}

/// The first type argument of `ty` if its last path segment is `outer` (`Vec<T>` -> `T`).
fn generic_argument<'a>(ty: &'a syn::Type, outer: &str) -> Option<&'a syn::Type> {
    let syn::Type::Path(path) = ty else {
        return None;
    };
    let segment = path
        .path
        .segments
        .last()
        .filter(|segment| segment.ident == outer)?;
    let syn::PathArguments::AngleBracketed(arguments) = &segment.arguments else {
        return None;
    };
    arguments.args.iter().find_map(|argument| match argument {
        syn::GenericArgument::Type(ty) => Some(ty),
        _ => None,
    })
}

fn last_ident(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(path) => path
            .path
            .segments
            .last()
            .map(|segment| segment.ident.to_string()),
        _ => None,
    }
}

/// A type named inside the `types` module (`InventoryItem`), as the `builder` module names it (`types::InventoryItem`).
fn in_types_module(ty: &syn::Type) -> TokenStream {
    match ty {
        syn::Type::Path(path)
            if path.qself.is_none()
                && path.path.leading_colon.is_none()
                && path.path.segments.len() == 1 =>
        {
            quote! { types::#ty }
        }
        other => quote! { #other },
    }
}

/// `T` and `E` of the builder's `send(self) -> Result<ResponseValue<T>, Error<E>>`.
fn send_types(builders: &[syn::Item], name: &str) -> anyhow::Result<(syn::Type, syn::Type)> {
    let send = builders
        .iter()
        .filter_map(|item| match item {
            syn::Item::Impl(block) if last_ident(&block.self_ty).as_deref() == Some(name) => {
                Some(block)
            }
            _ => None,
        })
        .flat_map(|block| &block.items)
        .find_map(|item| match item {
            syn::ImplItem::Fn(function) if function.sig.ident == "send" => Some(function),
            _ => None,
        })
        .with_context(|| format!("`builder::{name}` has no `send`"))?;
    let syn::ReturnType::Type(_, returned) = &send.sig.output else {
        bail!("`builder::{name}::send` returns nothing");
    };
    let syn::Type::Path(result) = &**returned else {
        bail!("`builder::{name}::send` does not return a `Result`");
    };
    let arguments: Vec<&syn::Type> = match result
        .path
        .segments
        .last()
        .map(|segment| &segment.arguments)
    {
        Some(syn::PathArguments::AngleBracketed(arguments)) => arguments
            .args
            .iter()
            .filter_map(|argument| match argument {
                syn::GenericArgument::Type(ty) => Some(ty),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    let [value, error] = arguments.as_slice() else {
        bail!("`builder::{name}::send` does not return `Result<ResponseValue<T>, Error<E>>`");
    };
    let output = generic_argument(value, "ResponseValue")
        .with_context(|| format!("`builder::{name}::send` does not return a `ResponseValue`"))?;
    let error = generic_argument(error, "Error")
        .cloned()
        .unwrap_or_else(|| syn::parse_quote! { () });
    Ok((output.clone(), error))
}

/// Removes the `api-version` header from every request builder's `send`; asserts that there was one in each.
fn strip_api_version(file: &mut syn::File, operations: usize) -> anyhow::Result<()> {
    let builders = module_mut(file, "builder")?;
    let mut removed = 0;
    for item in builders.iter_mut() {
        let syn::Item::Impl(block) = item else {
            continue;
        };
        for member in &mut block.items {
            let syn::ImplItem::Fn(function) = member else {
                continue;
            };
            if function.sig.ident != "send" {
                continue;
            }
            let before = function.block.stmts.len();
            function
                .block
                .stmts
                .retain(|statement| !quote!(#statement).to_string().contains("\"api-version\""));
            removed += before - function.block.stmts.len();
            let still_appended = function.block.stmts.iter().any(|statement| {
                quote!(#statement)
                    .to_string()
                    .contains("header_map . append")
            });
            if !still_appended {
                for statement in &mut function.block.stmts {
                    if let syn::Stmt::Local(local) = statement
                        && let syn::Pat::Ident(binding) = &mut local.pat
                        && binding.ident == "header_map"
                    {
                        binding.mutability = None;
                    }
                }
            }
        }
    }
    if removed != operations {
        bail!(
            "the api-version header was found in {removed} request builders, not in all {operations}"
        );
    }
    Ok(())
}
