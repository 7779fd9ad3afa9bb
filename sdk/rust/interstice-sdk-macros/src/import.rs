//! `import!("bindings/other.json")`: typed access to another module from its schema file
//! (docs/abi.md section 4.8). Generates a Rust module named after the other module with
//! - its types (those its reducers, queries and tables use), named `<module>.<Type>` in this
//!   module's schema, each with its type record;
//! - one function per reducer (`CallReducers` contexts) and per query (`CallQueries`);
//! - the row types of its tables, for subscriptions (`#[reducer(on = "<module>.<table>.insert")]`);
//! - the dependency record.

use crate::names::{fnv1a64, rust_ident};
use crate::records::Record;
use crate::shape::{Body, FieldShape, Shape, VariantKind, VariantShape};
use interstice_abi::schema::{Field, ModuleSchema, Payload, TypeBody, TypeDef};
use interstice_abi::types::Type;
use proc_macro2::{Span, TokenStream};
use quote::quote;
use std::collections::BTreeSet;
use syn::parse::{Parse, ParseStream};
use syn::{Ident, LitStr, Token};

struct ImportArgs {
    path: LitStr,
    node: Option<LitStr>,
    module: Option<Ident>,
}

impl Parse for ImportArgs {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let path = input.parse()?;
        let mut args = ImportArgs { path, node: None, module: None };
        while !input.is_empty() {
            input.parse::<Token![,]>()?;
            if input.is_empty() {
                break;
            }
            let key: Ident = input.parse()?;
            input.parse::<Token![=]>()?;
            match key.to_string().as_str() {
                "node" => args.node = Some(input.parse()?),
                "module" => args.module = Some(input.parse()?),
                _ => return Err(syn::Error::new(key.span(), "expected `node = \"<node>\"` or `module = <rust_module_name>`")),
            }
        }
        Ok(args)
    }
}

pub fn expand(input: TokenStream) -> syn::Result<TokenStream> {
    let args: ImportArgs = syn::parse2(input)?;
    let span = args.path.span();
    let error = |message: String| syn::Error::new(span, message);
    let manifest_dir = std::env::var("CARGO_MANIFEST_DIR").map_err(|_| error("CARGO_MANIFEST_DIR is not set: build with cargo".into()))?;
    let path = std::path::Path::new(&manifest_dir).join(args.path.value());
    let text = std::fs::read_to_string(&path).map_err(|e| error(format!("cannot read the schema file {}: {}", path.display(), e)))?;
    let schema = ModuleSchema::from_json(&text).map_err(|e| error(format!("{}: {}", path.display(), e)))?;
    let module_name = &schema.name;
    let node = args.node.as_ref().map(|n| n.value());
    let rust_module = match &args.module {
        Some(ident) => ident.clone(),
        None => rust_ident(&module_name.replace('-', "_"), span)?,
    };

    // Handlers are called by the node only: no bindings for them.
    let handlers: BTreeSet<&str> = schema.subscriptions.iter().map(|s| s.reducer.as_str()).collect();
    let mut used = BTreeSet::new();
    for r in schema.reducers.iter().filter(|r| !handlers.contains(r.name.as_str())) {
        r.args.iter().for_each(|a| collect(&a.ty, &schema.types, &mut used));
    }
    for q in &schema.queries {
        q.args.iter().for_each(|a| collect(&a.ty, &schema.types, &mut used));
        collect(&q.returns, &schema.types, &mut used);
    }
    for t in &schema.tables {
        collect(&Type::Named(t.row.clone()), &schema.types, &mut used);
    }

    let mut items = Vec::new();
    for def in schema.types.iter().filter(|d| used.contains(&d.name)) {
        if def.name.contains('.') {
            return Err(error(format!(
                "module `{}` uses type `{}`, which it imported from another module; importing such re-exported types is not supported: import that module directly",
                module_name, def.name
            )));
        }
        items.push(generate_type(def, module_name, span)?);
    }

    for r in schema.reducers.iter().filter(|r| !handlers.contains(r.name.as_str())) {
        let (params, encode) = arguments(&r.args, span)?;
        let ident = rust_ident(&r.name, span)?;
        let name = &r.name;
        let doc = format!("Calls reducer `{}` of module `{}` (inside this transaction).", name, module_name);
        items.push(quote! {
            #[doc = #doc]
            pub fn #ident<C: ::interstice_sdk::CallReducers>(_ctx: &C, #(#params),*) -> ::core::result::Result<(), ::interstice_sdk::HostError> {
                #[allow(unused_mut)]
                let mut args = ::std::vec::Vec::new();
                #(#encode)*
                ::interstice_sdk::__private::call_reducer(__NODE, __MODULE, #name, &args)
            }
        });
    }
    for q in &schema.queries {
        let (params, encode) = arguments(&q.args, span)?;
        let ident = rust_ident(&q.name, span)?;
        let name = &q.name;
        let returns = rust_type(&q.returns, span)?;
        let doc = format!("Calls query `{}` of module `{}`.", name, module_name);
        items.push(quote! {
            #[doc = #doc]
            pub fn #ident<C: ::interstice_sdk::CallQueries>(_ctx: &C, #(#params),*) -> ::core::result::Result<#returns, ::interstice_sdk::HostError> {
                #[allow(unused_mut)]
                let mut args = ::std::vec::Vec::new();
                #(#encode)*
                ::interstice_sdk::__private::call_query::<#returns>(__NODE, __MODULE, #name, &args)
            }
        });
    }
    for t in &schema.tables {
        let key_text = match &node {
            Some(node) => format!("{}.{}.{}", node, module_name, t.name),
            None => format!("{}.{}", module_name, t.name),
        };
        let key = fnv1a64(&key_text);
        let row = rust_ident(&t.row, span)?;
        items.push(quote! {
            impl ::interstice_sdk::__private::EventTable<#key> for crate::__interstice::Tables {
                type Row = #row;
            }
        });
    }

    let requirement = format!("^{}", schema.version);
    let dependency = Record::new().str(module_name).str(&requirement).opt_str(node.as_deref()).emit("DEPENDENCY");
    let node_tokens = match &node {
        Some(n) => quote!(::core::option::Option::Some(#n)),
        None => quote!(::core::option::Option::None),
    };
    let path_text = path.to_string_lossy().into_owned();
    let doc = format!("Module `{}` {}, imported from its schema file.", module_name, schema.version);
    Ok(quote! {
        #[doc = #doc]
        #[allow(non_camel_case_types, dead_code, clippy::all)]
        pub mod #rust_module {
            // Rebuild when the schema file changes.
            const _: &[u8] = ::core::include_bytes!(#path_text);
            const __MODULE: &str = #module_name;
            const __NODE: ::core::option::Option<&str> = #node_tokens;
            #dependency
            #(#items)*
        }
    })
}

/// Adds the named types `ty` refers to, transitively.
fn collect(ty: &Type, types: &[TypeDef], used: &mut BTreeSet<String>) {
    match ty {
        Type::Option(inner) | Type::Vec(inner) => collect(inner, types, used),
        Type::Tuple(items) => items.iter().for_each(|t| collect(t, types, used)),
        Type::Named(name) => {
            if used.insert(name.clone()) {
                if let Some(def) = types.iter().find(|d| &d.name == name) {
                    match &def.body {
                        TypeBody::Struct(fields) => fields.iter().for_each(|f| collect(&f.ty, types, used)),
                        TypeBody::Enum(variants) => {
                            for v in variants {
                                match &v.payload {
                                    Payload::Unit => {}
                                    Payload::Tuple(items) => items.iter().for_each(|t| collect(t, types, used)),
                                    Payload::Struct(fields) => fields.iter().for_each(|f| collect(&f.ty, types, used)),
                                }
                            }
                        }
                    }
                }
            }
        }
        _ => {}
    }
}

fn arguments(args: &[Field], span: Span) -> syn::Result<(Vec<TokenStream>, Vec<TokenStream>)> {
    let mut params = Vec::new();
    let mut encode = Vec::new();
    for a in args {
        let ident = rust_ident(&a.name, span)?;
        let ty = rust_type(&a.ty, span)?;
        params.push(quote!(#ident: #ty));
        encode.push(quote!(::interstice_sdk::Value::encode(&#ident, &mut args);));
    }
    Ok((params, encode))
}

/// The Rust type of a schema type expression; named types are siblings in the generated module.
fn rust_type(ty: &Type, span: Span) -> syn::Result<syn::Type> {
    let tokens = match ty {
        Type::Bool => quote!(bool),
        Type::U8 => quote!(u8),
        Type::U16 => quote!(u16),
        Type::U32 => quote!(u32),
        Type::U64 => quote!(u64),
        Type::I8 => quote!(i8),
        Type::I16 => quote!(i16),
        Type::I32 => quote!(i32),
        Type::I64 => quote!(i64),
        Type::F32 => quote!(f32),
        Type::F64 => quote!(f64),
        Type::String => quote!(::std::string::String),
        Type::Bytes => quote!(::std::vec::Vec<u8>),
        Type::Option(inner) => {
            let inner = rust_type(inner, span)?;
            quote!(::core::option::Option<#inner>)
        }
        Type::Vec(inner) => {
            let inner = rust_type(inner, span)?;
            quote!(::std::vec::Vec<#inner>)
        }
        Type::Tuple(items) => {
            let items = items.iter().map(|t| rust_type(t, span)).collect::<syn::Result<Vec<_>>>()?;
            quote!((#(#items,)*))
        }
        Type::Named(name) => {
            let ident = rust_ident(name, span)?;
            quote!(#ident)
        }
    };
    syn::parse2(tokens)
}

fn generate_type(def: &TypeDef, module: &str, span: Span) -> syn::Result<TokenStream> {
    let ident = rust_ident(&def.name, span)?;
    let fields = |fields: &[Field]| -> syn::Result<Vec<FieldShape>> {
        fields.iter().map(|f| Ok(FieldShape { ident: rust_ident(&f.name, span)?, ty: rust_type(&f.ty, span)? })).collect()
    };
    let (body, declaration) = match &def.body {
        TypeBody::Struct(struct_fields) => {
            let shapes = fields(struct_fields)?;
            let members = shapes.iter().map(|f| {
                let (i, t) = (&f.ident, &f.ty);
                quote!(pub #i: #t)
            });
            let declaration = quote! {
                #[derive(Debug, Clone, PartialEq)]
                pub struct #ident { #(#members),* }
            };
            (Body::Struct(shapes), declaration)
        }
        TypeBody::Enum(variants) => {
            let mut shapes = Vec::new();
            let mut members = Vec::new();
            for v in variants {
                let vi = rust_ident(&v.name, span)?;
                let kind = match &v.payload {
                    Payload::Unit => {
                        members.push(quote!(#vi));
                        VariantKind::Unit
                    }
                    Payload::Tuple(types) => {
                        let types = types.iter().map(|t| rust_type(t, span)).collect::<syn::Result<Vec<_>>>()?;
                        members.push(quote!(#vi(#(#types),*)));
                        VariantKind::Tuple(types)
                    }
                    Payload::Struct(struct_fields) => {
                        let shapes = fields(struct_fields)?;
                        let inner = shapes.iter().map(|f| {
                            let (i, t) = (&f.ident, &f.ty);
                            quote!(#i: #t)
                        });
                        members.push(quote!(#vi { #(#inner),* }));
                        VariantKind::Struct(shapes)
                    }
                };
                shapes.push(VariantShape { ident: vi, kind });
            }
            let declaration = quote! {
                #[derive(Debug, Clone, PartialEq)]
                pub enum #ident { #(#members),* }
            };
            (Body::Enum(shapes), declaration)
        }
    };
    let shape = Shape { ident, schema_name: format!("{}.{}", module, def.name), body };
    let value = shape.generate();
    Ok(quote! {
        #declaration
        #value
    })
}
