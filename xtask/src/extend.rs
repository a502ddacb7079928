//! What the generator adds to progenitor's output, from the spec: the operation table, `Request` for every
//! request builder, and `PagedRequest` with `scan` and `stream` for every operation marked `x-pagination`. It
//! also takes out the `api-version` header progenitor puts on every request (Roblox's hosts do not read it).
//!
//! Each builder's `send` is split in two (see `split_send`): building the request (`Request::into_request`,
//! progenitor's body up to `.build()`) and decoding an answer already read (`Request::decode`, its match on the
//! status), so that whoever sends the request (a plain `reqwest::Client`, the facade's transport) stands between
//! them. `send` itself becomes `roblox_inventory_core::send` over the builder's client.
//!
//! Everything is found in progenitor's output by name (the builder of `listInventoryItems` is
//! `builder::ListInventoryItems`, its parameter `pageToken` the field `page_token`) or by the exact shape of the
//! code it writes, and every lookup that fails is an error naming the operation: a progenitor upgrade that
//! renames or reshapes something cannot go unnoticed.

use anyhow::{Context, anyhow, bail};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::operations::{OperationDef, PagingDef, snake_case};

/// Adds the operation table and the request traits to `file`, splits every builder's `send`, and strips
/// `api-version`. `base_url` is the spec's first server.
pub fn extend(
    file: &mut syn::File,
    operations: &[OperationDef],
    base_url: &str,
) -> anyhow::Result<()> {
    strip_api_version(file, operations.len())?;
    let additions = {
        let builders = module_mut(file, "builder")?;
        let mut split = Vec::with_capacity(operations.len());
        for operation in operations {
            let name = operation.builder_name();
            let parts = split_send(builders, &name).with_context(|| {
                format!(
                    "operation {} ({} {}): progenitor's `builder::{name}::send` is not the shape the generator splits",
                    operation.id, operation.method, operation.path
                )
            })?;
            split.push(parts);
        }
        let builders = module(file, "builder")?;
        let types = module(file, "types")?;
        operations
            .iter()
            .zip(split)
            .map(|(operation, parts)| {
                request_impls(operation, parts, builders, types).with_context(|| {
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
    let table: syn::File = syn::parse2(operation_table(operations, base_url))
        .context("the operation table does not parse")?;
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

/// `pub mod operations`: a static per operation, and `ALL`.
fn operation_table(operations: &[OperationDef], base_url: &str) -> TokenStream {
    let constants: Vec<_> = operations
        .iter()
        .map(|operation| format_ident!("{}", operation.constant_name()))
        .collect();
    let statics = operations
        .iter()
        .zip(&constants)
        .map(|(operation, constant)| {
            let (id, method, path) = (&operation.id, &operation.method, &operation.path);
            let doc = format!("`{method} {path}`");
            quote! {
                #[doc = #doc]
                pub static #constant: Operation = Operation {
                    id: #id,
                    method: #method,
                    path: #path,
                    base_url: #base_url,
                };
            }
        });
    quote! {
        /// The operation table: every operation of the spec, with its `operationId`, method, path template and host.
        pub mod operations {
            use roblox_inventory_core::Operation;

            #(#statics)*

            /// Every operation, in the spec's order.
            pub static ALL: &[&Operation] = &[#(&#constants),*];
        }
    }
}

/// A builder's `send`, split: the statements that build its request, and the match that decodes its answer.
pub(crate) struct SplitSend {
    /// `T` of `send`'s `Result<ResponseValue<T>, Error<E>>`.
    output: syn::Type,
    /// `E` of it.
    error: syn::Type,
    /// Progenitor's statements up to and including `let mut request = ... .build()?;`.
    build: Vec<syn::Stmt>,
    /// Progenitor's `match` on the status, reading `status`, `headers` and `body` instead of the response.
    decode: syn::Expr,
}

/// Splits the `send` of `builder::{name}` into its building and its decoding, and replaces its body with a call
/// to `roblox_inventory_core::send` over the builder's client.
///
/// progenitor's `send` builds the request, runs its hooks around `exec`, and matches on the response's status,
/// reading the body with `ResponseValue::from_response(response)`. Every statement between the build and the
/// match must be the hooks' (the facade's transport replaces them), every read of the response one of the three
/// forms rewritten here, and nothing else may name the response: any other shape is an error.
pub(crate) fn split_send(builders: &mut [syn::Item], name: &str) -> anyhow::Result<SplitSend> {
    let send = builders
        .iter_mut()
        .filter_map(|item| match item {
            syn::Item::Impl(block) if last_ident(&block.self_ty).as_deref() == Some(name) => {
                Some(block)
            }
            _ => None,
        })
        .flat_map(|block| &mut block.items)
        .find_map(|item| match item {
            syn::ImplItem::Fn(function) if function.sig.ident == "send" => Some(function),
            _ => None,
        })
        .with_context(|| format!("`builder::{name}` has no `send`"))?;
    let (output, error) = send_types(send, name)?;

    let mut statements = std::mem::take(&mut send.block.stmts);
    let built = statements
        .iter()
        .position(builds_the_request)
        .context("no `let mut request = ... .build()?;`")?;
    let mut rest = statements.split_off(built + 1);
    let Some(syn::Stmt::Expr(syn::Expr::Match(status_match), None)) = rest.pop() else {
        bail!("`send` does not end with a `match` on the status");
    };
    // progenitor-client's default hooks (the generated `Client` implements none of its own) do nothing but
    // `client().execute(request)`, which `roblox_inventory_core::send` does; the crate is pinned (=0.15.1), so an
    // upgrade is where to read them again.
    let hooks: Vec<String> = rest.iter().map(tokens).collect();
    let expected_hooks = [
        tokens(&quote! { let info = OperationInfo { operation_id: OPERATION_ID, }; }),
        tokens(&quote! { client.pre(&mut request, &info).await?; }),
        tokens(&quote! { let result = client.exec(request, &info).await; }),
        tokens(&quote! { client.post(&result, &info).await?; }),
        tokens(&quote! { let response = result?; }),
    ];
    let hooks_match = hooks.len() == expected_hooks.len()
        && hooks
            .iter()
            .zip(&expected_hooks)
            .enumerate()
            .all(|(index, (found, expected))| {
                // The operation id is the one part that differs from builder to builder.
                index == 0 && found.starts_with("let info = OperationInfo { operation_id :")
                    || found == expected
            });
    if !hooks_match {
        bail!(
            "between building the request and matching on the status, `send` runs {hooks:?}, not progenitor's \
             hooks"
        );
    }
    if tokens(&status_match.expr) != tokens(&quote! { response.status().as_u16() }) {
        bail!(
            "`send` matches on `{}`, not on the response's status",
            tokens(&status_match.expr)
        );
    }
    let decode = rewrite_reads(&status_match)?;
    send.block = syn::parse_quote! {{
        let client = self.client;
        roblox_inventory_core::send(&client.client, self).await
    }};
    Ok(SplitSend {
        output,
        error,
        build: statements,
        decode,
    })
}

/// Whether `statement` is progenitor's `let mut request = client.client.METHOD(url)...build()?;`.
fn builds_the_request(statement: &syn::Stmt) -> bool {
    let syn::Stmt::Local(local) = statement else {
        return false;
    };
    let syn::Pat::Ident(binding) = &local.pat else {
        return false;
    };
    binding.ident == "request"
        && local
            .init
            .as_ref()
            .is_some_and(|init| tokens(&init.expr).ends_with(&tokens(&quote! { .build()? })))
}

/// The status match with the response's three reads replaced by reads of `status`, `headers` and `body`.
fn rewrite_reads(status_match: &syn::ExprMatch) -> anyhow::Result<syn::Expr> {
    let mut code = tokens(&syn::ExprMatch {
        expr: syn::parse_quote! { status.as_u16() },
        ..status_match.clone()
    });
    // The error arms' read first: the success arms' is the same read without the `?`.
    let rewrites = [
        (
            quote! { Error::ErrorResponse(ResponseValue::from_response(response).await?) },
            quote! { Error::ErrorResponse(roblox_inventory_core::error_body(status, headers, body)?) },
        ),
        (
            quote! { ResponseValue::from_response(response).await },
            quote! { roblox_inventory_core::json_body(body) },
        ),
        (
            quote! { Error::UnexpectedResponse(response) },
            quote! { Error::UnexpectedResponse(roblox_inventory_core::unexpected_response(status, headers, body)) },
        ),
    ];
    for (progenitor, ours) in &rewrites {
        code = code.replace(&tokens(progenitor), &tokens(ours));
    }
    let rewritten: syn::Expr =
        syn::parse_str(&code).context("the rewritten status match does not parse")?;
    if code
        .split(|c: char| !c.is_alphanumeric() && c != '_')
        .any(|word| word == "response")
    {
        bail!(
            "the status match reads the response in a way the generator does not rewrite (only \
             `ResponseValue::from_response(response).await[?]` and `Error::UnexpectedResponse(response)`): {code}"
        );
    }
    Ok(rewritten)
}

fn tokens(node: &impl quote::ToTokens) -> String {
    node.to_token_stream().to_string()
}

/// `Request` for the operation's builder, and for a paged operation `PagedRequest`, `scan` and `stream`.
fn request_impls(
    operation: &OperationDef,
    split: SplitSend,
    builders: &[syn::Item],
    types: &[syn::Item],
) -> anyhow::Result<TokenStream> {
    let name = operation.builder_name();
    let builder = find_struct(builders, &name)
        .with_context(|| format!("no request builder `builder::{name}`"))?;
    let SplitSend {
        output,
        error,
        build,
        decode,
    } = split;
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
            type ErrorBody = #error;

            const OPERATION: &'static roblox_inventory_core::Operation = &super::operations::#constant;

            fn path(&self) -> ::std::string::String {
                ::std::format!(#format, #(#arguments),*)
            }

            fn into_request(self) -> ::std::result::Result<reqwest::Request, Error<#error>> {
                #(#build)*
                ::std::result::Result::Ok(request)
            }

            fn decode(
                status: reqwest::StatusCode,
                headers: &reqwest::header::HeaderMap,
                body: &roblox_inventory_core::Bytes,
            ) -> ::std::result::Result<#output, Error<#error>> {
                #decode
            }
        }
    };
    if let Some(paging) = &operation.paging {
        tokens.extend(paged_impls(
            operation, paging, builder, types, &output, &error,
        )?);
    }
    Ok(tokens)
}

fn paged_impls(
    operation: &OperationDef,
    paging: &PagingDef,
    builder: &syn::ItemStruct,
    types: &[syn::Item],
    output: &syn::Type,
    error: &syn::Type,
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
        quote! { roblox_inventory_core::integer_cursor(#field_name, #next_text)? }
    } else {
        next_text
    };
    let set_cursor = match paging.first_cursor {
        Some(first) => {
            let first = syn::LitInt::new(&first.to_string(), proc_macro2::Span::call_site());
            quote! { request.#cursor_field(cursor.unwrap_or(#first)) }
        }
        None => quote! {
            match cursor {
                ::std::option::Option::Some(cursor) => request.#cursor_field(cursor),
                ::std::option::Option::None => request,
            }
        },
    };
    let scan_doc = format!(
        "Every page of `{} {}`, following `{}`, sent by this builder's client: see \
         [`roblox_inventory_core::Scan`].",
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

            fn page_at(self, cursor: ::std::option::Option<#cursor_type>) -> Self {
                let request = self.#size_field(#max);
                #set_cursor
            }

            fn into_page(
                page: #output,
            ) -> ::std::result::Result<
                roblox_inventory_core::Page<#item_type, #cursor_type>,
                roblox_inventory_core::InvalidCursor,
            > {
                ::std::result::Result::Ok(roblox_inventory_core::Page { items: #items, next: #next })
            }
        }

        impl<'a> #builder_ident<'a> {
            #[doc = #scan_doc]
            pub fn scan(self) -> roblox_inventory_core::Scan<Self, &'a reqwest::Client> {
                let client = self.client;
                roblox_inventory_core::Scan::new(self, &client.client)
            }

            #[doc = #stream_doc]
            pub fn stream(
                self,
            ) -> impl roblox_inventory_core::Stream<
                Item = ::std::result::Result<
                    #item_type,
                    roblox_inventory_core::PaginationError<Error<#error>, #cursor_type>,
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
fn send_types(send: &syn::ImplItemFn, name: &str) -> anyhow::Result<(syn::Type, syn::Type)> {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A builder module holding `send` as progenitor 0.15 writes it, with `status_match` as its last expression
    /// and `hooks` between the build and the match.
    fn builders(hooks: TokenStream, status_match: TokenStream) -> Vec<syn::Item> {
        let file: syn::File = syn::parse2(quote! {
            impl<'a> GetThing<'a> {
                ///Sends a `GET` request to `/things/{id}`
                pub async fn send(self) -> Result<ResponseValue<types::Thing>, Error<types::Oops>> {
                    let Self { client, id } = self;
                    let id = id.map_err(Error::InvalidRequest)?;
                    let url = format!("{}/things/{}", client.baseurl, encode_path(&id.to_string()));
                    #[allow(unused_mut)]
                    let mut request = client.client.get(url).build()?;
                    #hooks
                    #status_match
                }
            }
        })
        .unwrap();
        file.items
    }

    fn progenitor_hooks() -> TokenStream {
        quote! {
            let info = OperationInfo { operation_id: "get_thing", };
            client.pre(&mut request, &info).await?;
            let result = client.exec(request, &info).await;
            client.post(&result, &info).await?;
            let response = result?;
        }
    }

    fn progenitor_match() -> TokenStream {
        quote! {
            match response.status().as_u16() {
                200u16 => ResponseValue::from_response(response).await,
                404u16 => Err(Error::ErrorResponse(ResponseValue::from_response(response).await?)),
                _ => Err(Error::UnexpectedResponse(response)),
            }
        }
    }

    #[test]
    fn send_is_split_into_building_and_decoding() {
        let mut items = builders(progenitor_hooks(), progenitor_match());
        let split = split_send(&mut items, "GetThing").unwrap();
        let build = split.build.iter().map(tokens).collect::<Vec<_>>().join(" ");
        assert!(
            build.starts_with("let Self { client , id } = self ;"),
            "{build}"
        );
        assert!(build.ends_with(". build () ? ;"), "{build}");
        assert!(!build.contains("exec"), "{build}");
        assert_eq!(
            tokens(&split.decode),
            tokens(&quote! {
                match status.as_u16() {
                    200u16 => roblox_inventory_core::json_body(body),
                    404u16 => Err(Error::ErrorResponse(roblox_inventory_core::error_body(status, headers, body)?)),
                    _ => Err(Error::UnexpectedResponse(roblox_inventory_core::unexpected_response(status, headers, body))),
                }
            })
        );
        let send = tokens(&items[0]);
        assert!(
            send.contains("let client = self . client ; roblox_inventory_core :: send (& client . client , self) . await"),
            "{send}"
        );
    }

    #[test]
    fn a_send_of_another_shape_fails_the_generation() {
        let cases = [
            (
                quote! { let info = OperationInfo { operation_id: "get_thing", }; let response = client.exec(request, &info).await?; },
                "not progenitor's hooks",
            ),
            (
                {
                    let hooks = progenitor_hooks();
                    quote! { #hooks tracing::debug!("sent"); }
                },
                "not progenitor's hooks",
            ),
        ];
        for (hooks, expected) in cases {
            let mut items = builders(hooks, progenitor_match());
            let error = split_send(&mut items, "GetThing").err().expect("refused");
            assert!(error.to_string().contains(expected), "{error:#}");
        }
    }

    #[test]
    fn a_read_of_the_response_the_generator_does_not_rewrite_fails_the_generation() {
        let status_match = quote! {
            match response.status().as_u16() {
                200u16 => ResponseValue::from_response(response).await,
                204u16 => Ok(ResponseValue::empty(response)),
                _ => Err(Error::UnexpectedResponse(response)),
            }
        };
        let mut items = builders(progenitor_hooks(), status_match);
        let error = split_send(&mut items, "GetThing").err().expect("refused");
        assert!(error.to_string().contains("does not rewrite"), "{error:#}");
    }

    #[test]
    fn a_send_that_does_not_end_matching_on_the_status_fails_the_generation() {
        let on_the_headers = quote! {
            match response.headers().len() {
                _ => Err(Error::UnexpectedResponse(response)),
            }
        };
        let mut items = builders(progenitor_hooks(), on_the_headers);
        let error = split_send(&mut items, "GetThing").err().expect("refused");
        assert!(
            error.to_string().contains("not on the response's status"),
            "{error:#}"
        );

        let mut items = builders(progenitor_hooks(), quote! { Ok(response) });
        let error = split_send(&mut items, "GetThing").err().expect("refused");
        assert!(
            error.to_string().contains("does not end with a `match`"),
            "{error:#}"
        );
    }

    #[test]
    fn a_send_that_does_not_build_its_request_so_fails_the_generation() {
        let file: syn::File = syn::parse2(quote! {
            impl<'a> GetThing<'a> {
                pub async fn send(self) -> Result<ResponseValue<types::Thing>, Error<types::Oops>> {
                    let response = self.client.client.get("x").send().await?;
                    match response.status().as_u16() { _ => Err(Error::UnexpectedResponse(response)) }
                }
            }
        })
        .unwrap();
        let mut items = file.items;
        let error = split_send(&mut items, "GetThing").err().expect("refused");
        assert!(error.to_string().contains(".build()?"), "{error:#}");
        let error = split_send(&mut items, "Missing").err().expect("refused");
        assert!(error.to_string().contains("has no `send`"), "{error:#}");
    }
}
