//! Procedural macros of the Interstice guest SDK. Use them through `interstice-sdk`, which
//! documents them; the generated code refers to `::interstice_sdk`.

extern crate proc_macro;

mod function;
mod import;
mod module;
mod names;
mod records;
mod shape;
mod table;

use proc_macro::TokenStream;

fn finish(result: syn::Result<proc_macro2::TokenStream>) -> TokenStream {
    result.unwrap_or_else(|e| e.to_compile_error()).into()
}

/// Declares the module: `interstice_module!()` or
/// `interstice_module!(visibility: Public, authorities: [Gpu, Input])`. Once, in the crate root.
#[proc_macro]
pub fn interstice_module(input: TokenStream) -> TokenStream {
    finish(module::expand(input.into()))
}

/// A struct or enum usable in columns, arguments and results.
#[proc_macro_attribute]
pub fn interstice_type(args: TokenStream, item: TokenStream) -> TokenStream {
    finish((|| {
        let args: proc_macro2::TokenStream = args.into();
        if !args.is_empty() {
            return Err(syn::Error::new_spanned(args, "#[interstice_type] takes no options"));
        }
        let item: syn::Item = syn::parse(item)?;
        if let syn::Item::Struct(s) = &item {
            if let Some(attr) = s.attrs.iter().find(|a| a.path.segments.last().map_or(false, |x| x.ident == "table")) {
                return Err(syn::Error::new_spanned(attr, "#[table] already makes the struct a type: remove #[interstice_type]"));
            }
        }
        if let syn::Item::Enum(e) = &item {
            if e.variants.is_empty() {
                return Err(syn::Error::new_spanned(&e.ident, "an enum needs at least one variant to have values"));
            }
        }
        let shape = shape::Shape::from_item(&item, "interstice_type")?;
        let value = shape.generate();
        Ok(quote::quote! { #item #value })
    })())
}

/// A table: `#[table]`, `#[table(name = "...", ephemeral)]` on a struct with named fields.
#[proc_macro_attribute]
pub fn table(args: TokenStream, item: TokenStream) -> TokenStream {
    finish(table::expand(args.into(), item.into()))
}

/// A reducer: `#[reducer]` or `#[reducer(on = "<event>")]` on `fn name(ctx: ReducerContext, ...)`.
#[proc_macro_attribute]
pub fn reducer(args: TokenStream, item: TokenStream) -> TokenStream {
    finish(function::expand(function::Kind::Reducer, args.into(), item.into()))
}

/// A query: `#[query]` on `fn name(ctx: QueryContext, ...) -> T`.
#[proc_macro_attribute]
pub fn query(args: TokenStream, item: TokenStream) -> TokenStream {
    finish(function::expand(function::Kind::Query, args.into(), item.into()))
}

/// Typed access to another module from its schema file: `import!("bindings/hello.json")`,
/// optionally `node = "<node>"` and `module = <rust_name>`.
#[proc_macro]
pub fn import(input: TokenStream) -> TokenStream {
    finish(import::expand(input.into()))
}
