//! `#[table]`: a struct that is both a type and a table (docs/abi.md section 4.3).

use crate::names::{fnv1a64, module_name, snake_case};
use crate::records::{type_desc, Record};
use crate::shape::{Body, Shape};
use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::{Ident, LitStr, Token};

/// `#[table]`, `#[table(name = "...")]`, `#[table(ephemeral)]`.
struct TableArgs {
    name: Option<LitStr>,
    ephemeral: bool,
}

impl Parse for TableArgs {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let mut args = TableArgs { name: None, ephemeral: false };
        while !input.is_empty() {
            let key: Ident = input.parse()?;
            match key.to_string().as_str() {
                "name" => {
                    input.parse::<Token![=]>()?;
                    args.name = Some(input.parse()?);
                }
                "ephemeral" => args.ephemeral = true,
                _ => return Err(syn::Error::new(key.span(), "unknown #[table] option: expected `name = \"...\"` or `ephemeral`")),
            }
            if !input.is_empty() {
                input.parse::<Token![,]>()?;
            }
        }
        Ok(args)
    }
}

struct Column {
    primary_key: bool,
    auto_inc: bool,
    index: Option<(bool, bool)>, // (btree, unique)
}

const COLUMN_ATTRIBUTES: [&str; 3] = ["primary_key", "auto_inc", "index"];

/// Reads and removes the column attributes of a field.
fn take_column(field: &mut syn::Field) -> syn::Result<Column> {
    let mut column = Column { primary_key: false, auto_inc: false, index: None };
    let mut kept = Vec::new();
    for attr in field.attrs.drain(..) {
        let name = match attr.path.get_ident() {
            Some(name) if COLUMN_ATTRIBUTES.contains(&name.to_string().as_str()) => name.to_string(),
            _ => {
                kept.push(attr);
                continue;
            }
        };
        let words: Vec<Ident> = if attr.tokens.is_empty() {
            Vec::new()
        } else {
            attr.parse_args_with(Punctuated::<Ident, Token![,]>::parse_terminated)?.into_iter().collect()
        };
        match name.as_str() {
            "primary_key" => {
                column.primary_key = true;
                for w in &words {
                    if w == "auto_inc" {
                        column.auto_inc = true;
                    } else {
                        return Err(syn::Error::new(w.span(), "expected #[primary_key] or #[primary_key(auto_inc)]"));
                    }
                }
            }
            "auto_inc" => {
                if let Some(w) = words.first() {
                    return Err(syn::Error::new(w.span(), "#[auto_inc] takes no options"));
                }
                column.auto_inc = true;
            }
            _ => {
                let mut kind = None;
                let mut unique = false;
                for w in &words {
                    match w.to_string().as_str() {
                        "hash" if kind.is_none() => kind = Some(false),
                        "btree" if kind.is_none() => kind = Some(true),
                        "unique" => unique = true,
                        _ => return Err(syn::Error::new(w.span(), "expected #[index(hash)] or #[index(btree)], optionally with `unique`")),
                    }
                }
                match kind {
                    Some(btree) => column.index = Some((btree, unique)),
                    None => {
                        return Err(syn::Error::new(attr.span(), "#[index] needs a kind: #[index(hash)] or #[index(btree)], optionally with `unique`"))
                    }
                }
            }
        }
    }
    field.attrs = kept;
    Ok(column)
}

pub fn expand(args: TokenStream, item: TokenStream) -> syn::Result<TokenStream> {
    let args: TableArgs = syn::parse2(args)?;
    let mut item: syn::ItemStruct = syn::parse2(item).map_err(|e| {
        syn::Error::new(e.span(), "#[table] applies to a struct with named fields (its columns)")
    })?;
    if let Some(attr) = item.attrs.iter().find(|a| a.path.segments.last().map_or(false, |s| s.ident == "interstice_type")) {
        return Err(syn::Error::new(attr.span(), "#[table] already makes the struct a type: remove #[interstice_type]"));
    }
    let struct_ident = item.ident.clone();
    let table_name = args.name.as_ref().map(|n| n.value()).unwrap_or_else(|| snake_case(&struct_ident.to_string()));
    if !crate::names::is_identifier(&table_name) {
        let span = args.name.as_ref().map_or(struct_ident.span(), |n| n.span());
        return Err(syn::Error::new(span, format!("table name `{}` is not an identifier ([A-Za-z_][A-Za-z0-9_]*)", table_name)));
    }

    let mut columns = Vec::new();
    if let syn::Fields::Named(fields) = &mut item.fields {
        for field in fields.named.iter_mut() {
            columns.push(take_column(field)?);
        }
    }
    let shape = Shape::from_item(&syn::Item::Struct(item.clone()), "table")?;
    let fields = match &shape.body {
        Body::Struct(fields) => fields,
        Body::Enum(_) => unreachable!("a struct"),
    };
    if fields.is_empty() {
        return Err(syn::Error::new(struct_ident.span(), format!("table `{}` has no columns; it needs at least its primary key", table_name)));
    }

    let mut primary_key = None;
    for (i, c) in columns.iter().enumerate() {
        if c.primary_key {
            if primary_key.is_some() {
                return Err(syn::Error::new(
                    fields[i].ident.span(),
                    format!("table `{}` has two primary keys: mark exactly one column with #[primary_key]", table_name),
                ));
            }
            primary_key = Some(i);
        }
    }
    let primary_key = primary_key.ok_or_else(|| {
        syn::Error::new(
            struct_ident.span(),
            format!(
                "table `{}` (struct `{}`) has no primary key: mark one column with #[primary_key] or #[primary_key(auto_inc)]",
                table_name, struct_ident
            ),
        )
    })?;

    // Compile-time checks on the column types, reported at the column.
    let mut checks = Vec::new();
    let pk = &fields[primary_key];
    let message = format!(
        "table `{}`: primary key column `{}` cannot be a key; keys are bool, integers, String, Vec<u8> or enums whose variants are all unit",
        table_name,
        pk.name()
    );
    let ty = &pk.ty;
    checks.push(quote_spanned!(ty.span()=> const _: () = if !<#ty as ::interstice_sdk::Value>::INDEXABLE { ::core::panic!(#message) };));
    let mut auto_inc = Vec::new();
    let mut indexes = Vec::new();
    for (i, c) in columns.iter().enumerate() {
        let field = &fields[i];
        let ty = &field.ty;
        if c.auto_inc {
            auto_inc.push(i as u32);
            let desc = type_desc(ty);
            let message = format!(
                "table `{}`: auto_inc column `{}` must have an integer type (u8, u16, u32, u64, i8, i16, i32, i64)",
                table_name,
                field.name()
            );
            checks.push(quote_spanned!(ty.span()=> const _: () = if !#desc.is_integer() { ::core::panic!(#message) };));
        }
        if let Some((btree, unique)) = c.index {
            indexes.push((field.name(), i, btree, unique));
            let message = format!(
                "#[index] on column `{}` of table `{}`: its type cannot be indexed; indexable types are bool, integers, String, Vec<u8> and enums whose variants are all unit",
                field.name(),
                table_name
            );
            checks.push(quote_spanned!(ty.span()=> const _: () = if !<#ty as ::interstice_sdk::Value>::INDEXABLE { ::core::panic!(#message) };));
        }
    }
    // Index ids are positions in the list sorted by name (docs/abi.md section 4.2).
    indexes.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));

    let mut record = Record::new().str(&table_name).str(&shape.schema_name).u32(primary_key as u32).leb(auto_inc.len());
    for column in &auto_inc {
        record = record.u32(*column);
    }
    record = record.leb(indexes.len());
    for (name, column, btree, unique) in &indexes {
        record = record.str(name).leb(1).u32(*column as u32).leb(*btree as usize).bool(*unique);
    }
    let table_record = record.bool(args.ephemeral).emit("TABLE");

    let vis = &item.vis;
    let indexes_ident = format_ident!("__{}Indexes", struct_ident);
    let accessors = indexes.iter().enumerate().map(|(id, (name, column, btree, unique))| {
        let method = format_ident!("by_{}", name);
        let key = &fields[*column].ty;
        let id = id as u32;
        let doc = format!("The {} index on column `{}`.", if *btree { "btree" } else { "hash" }, name);
        quote! {
            #[doc = #doc]
            #vis fn #method(&self) -> ::interstice_sdk::IndexHandle<#struct_ident, #key, #unique, #btree> {
                ::interstice_sdk::IndexHandle::__new(#id)
            }
        }
    });
    let accessor = crate::names::rust_ident(&table_name, Span::call_site())?;
    let pk_ty = &pk.ty;
    let module = module_name(struct_ident.span())?;
    let event_key = fnv1a64(&format!("{}.{}", module, table_name));
    let value = shape.generate();
    let doc = format!("The table `{}`.", table_name);

    Ok(quote! {
        #item
        #value
        #table_record
        #(#checks)*

        #[doc(hidden)]
        #vis struct #indexes_ident {
            _private: (),
        }

        impl #indexes_ident {
            #(#accessors)*
        }

        impl ::interstice_sdk::TableRow for #struct_ident {
            type PrimaryKey = #pk_ty;
            type Indexes = #indexes_ident;
            fn __table_id() -> u32 {
                static ID: ::core::sync::atomic::AtomicU32 = ::core::sync::atomic::AtomicU32::new(u32::MAX);
                ::interstice_sdk::__private::table_id(&ID, #table_name)
            }
            fn __indexes() -> #indexes_ident {
                #indexes_ident { _private: () }
            }
        }

        impl crate::__interstice::Tables {
            #[doc = #doc]
            #vis fn #accessor(&self) -> ::interstice_sdk::TableHandle<#struct_ident> {
                ::interstice_sdk::TableHandle::__new()
            }
        }

        impl crate::__interstice::ReadTables {
            #[doc = #doc]
            #vis fn #accessor(&self) -> ::interstice_sdk::ReadTable<#struct_ident> {
                ::interstice_sdk::ReadTable::__new()
            }
        }

        impl ::interstice_sdk::__private::EventTable<#event_key> for crate::__interstice::Tables {
            type Row = #struct_ident;
        }
    })
}
