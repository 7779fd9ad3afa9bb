//! `#[reducer]` and `#[query]`: the export with the uniform calling convention (docs/abi.md
//! section 8), the schema record, and for subscriptions the compile-time checks of the handler's
//! arguments against the event.

use crate::names::fnv1a64;
use crate::records::Record;
use interstice_abi::schema::{Event, TableEventKind};
use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::ext::IdentExt;
use syn::spanned::Spanned;
use syn::{Ident, LitStr, Token};

#[derive(Clone, Copy, PartialEq)]
pub enum Kind {
    Reducer,
    Query,
}

struct Argument {
    ident: Ident,
    ty: syn::Type,
}

/// The last path segment of a type: `ReducerContext` for `crate::ReducerContext`.
fn type_name(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        syn::Type::Reference(r) => type_name(&r.elem),
        _ => None,
    }
}

fn parse_on(args: TokenStream) -> syn::Result<Option<LitStr>> {
    if args.is_empty() {
        return Ok(None);
    }
    let parser = |input: syn::parse::ParseStream| -> syn::Result<LitStr> {
        let key: Ident = input.parse()?;
        if key != "on" {
            return Err(syn::Error::new(key.span(), "expected #[reducer] or #[reducer(on = \"<event>\")]"));
        }
        input.parse::<Token![=]>()?;
        let value = input.parse()?;
        if !input.is_empty() {
            return Err(input.error("expected nothing after the event"));
        }
        Ok(value)
    };
    syn::parse::Parser::parse2(parser, args).map(Some)
}

pub fn expand(kind: Kind, args: TokenStream, item: TokenStream) -> syn::Result<TokenStream> {
    let what = if kind == Kind::Reducer { "reducer" } else { "query" };
    let on = match kind {
        Kind::Reducer => parse_on(args)?,
        Kind::Query => {
            if !args.is_empty() {
                return Err(syn::Error::new(args.span(), "#[query] takes no options"));
            }
            None
        }
    };
    let function: syn::ItemFn = syn::parse2(item).map_err(|e| syn::Error::new(e.span(), format!("#[{}] applies to a function", what)))?;
    let sig = &function.sig;
    if !sig.generics.params.is_empty() {
        return Err(syn::Error::new(sig.generics.span(), format!("a {} cannot be generic", what)));
    }
    if let Some(a) = &sig.asyncness {
        return Err(syn::Error::new(a.span(), format!("a {} cannot be async: it runs inside one transaction", what)));
    }
    let name = sig.ident.unraw().to_string();
    let fn_ident = &sig.ident;

    // The first argument is the context, by value.
    let mut inputs = sig.inputs.iter();
    let (context_name, expected) = match kind {
        Kind::Reducer => ("ReducerContext", "fn name(ctx: ReducerContext, ...)"),
        Kind::Query => ("QueryContext", "fn name(ctx: QueryContext, ...)"),
    };
    let context_ty = match inputs.next() {
        Some(syn::FnArg::Typed(t)) => {
            let found = type_name(&t.ty);
            if kind == Kind::Query && found.as_deref() == Some("ReducerContext") {
                return Err(syn::Error::new(
                    t.ty.span(),
                    format!("query `{}` takes a ReducerContext: a query receives a QueryContext (queries cannot change tables or call reducers)", name),
                ));
            }
            if kind == Kind::Reducer && found.as_deref() == Some("QueryContext") {
                return Err(syn::Error::new(t.ty.span(), format!("reducer `{}` takes a QueryContext: a reducer receives a ReducerContext", name)));
            }
            if found.as_deref() != Some(context_name) {
                return Err(syn::Error::new(t.ty.span(), format!("the first argument of a {} is its context: {}", what, expected)));
            }
            if let syn::Type::Reference(r) = &*t.ty {
                return Err(syn::Error::new(r.span(), format!("take the context by value: ctx: {}", context_name)));
            }
            (*t.ty).clone()
        }
        Some(syn::FnArg::Receiver(r)) => return Err(syn::Error::new(r.span(), format!("a {} is a free function, not a method", what))),
        None => return Err(syn::Error::new(sig.span(), format!("a {} takes its context first: {}", what, expected))),
    };

    let mut arguments = Vec::new();
    for input in inputs {
        match input {
            syn::FnArg::Typed(t) => match &*t.pat {
                syn::Pat::Ident(p) => arguments.push(Argument { ident: p.ident.clone(), ty: (*t.ty).clone() }),
                other => return Err(syn::Error::new(other.span(), "name each argument (the schema lists arguments by name)")),
            },
            syn::FnArg::Receiver(r) => return Err(syn::Error::new(r.span(), "unexpected self")),
        }
    }

    let mut record = Record::new().str(&name).leb(arguments.len());
    for a in &arguments {
        record = record.str(&a.ident.unraw().to_string()).ty(&a.ty);
    }
    let return_ty: syn::Type = match &sig.output {
        syn::ReturnType::Default => syn::parse_quote!(()),
        syn::ReturnType::Type(_, ty) => (**ty).clone(),
    };

    let decoders: Vec<TokenStream> = arguments
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let var = format_ident!("arg{}", i);
            let ty = &a.ty;
            quote!(let #var = <#ty as ::interstice_sdk::Value>::decode(input)?;)
        })
        .collect();
    let vars: Vec<Ident> = (0..arguments.len()).map(|i| format_ident!("arg{}", i)).collect();
    let export_name = format!("interstice_{}.{}", what, name);

    let (export, record) = match kind {
        Kind::Reducer => {
            let check = quote_spanned!(return_ty.span()=> <#return_ty as ::interstice_sdk::__private::ReducerReturn>::into_result);
            let export = quote! {
                #[export_name = #export_name]
                unsafe extern "C" fn export(ptr: *mut u8, len: usize) -> i32 {
                    ::interstice_sdk::__private::run_reducer(#name, ptr, len, |input| {
                        input.enter()?;
                        #(#decoders)*
                        input.leave();
                        input.finish()?;
                        ::core::result::Result::Ok(#check(#fn_ident(<#context_ty>::__new(), #(#vars),*)))
                    })
                }
            };
            (export, record.emit("REDUCER"))
        }
        Kind::Query => {
            let output = quote_spanned!(return_ty.span()=> <#return_ty as ::interstice_sdk::__private::QueryReturn>::Output);
            let export = quote! {
                #[export_name = #export_name]
                unsafe extern "C" fn export(ptr: *mut u8, len: usize) -> i32 {
                    ::interstice_sdk::__private::run_query(#name, ptr, len, |input| {
                        input.enter()?;
                        #(#decoders)*
                        input.leave();
                        input.finish()?;
                        let result = ::interstice_sdk::__private::QueryReturn::into_result(#fn_ident(<#context_ty>::__new(), #(#vars),*));
                        ::core::result::Result::Ok(result.map(|value: #output| ::interstice_sdk::encode(&value)))
                    })
                }
            };
            (export, record.ty_tokens(quote!(<#output as ::interstice_sdk::Value>::TYPE)).emit("QUERY"))
        }
    };

    let mut extra = TokenStream::new();
    match &on {
        Some(on) => extra.extend(subscription(&name, on, &arguments)?),
        None if kind == Kind::Reducer => extra.extend(schedule_helper(&function, &name, &arguments)),
        None => {}
    }

    Ok(quote! {
        #function
        const _: () = {
            #export
        };
        #record
        #extra
    })
}

/// The subscription record and the checks that the handler's arguments match the event.
fn subscription(reducer: &str, on: &LitStr, arguments: &[Argument]) -> syn::Result<TokenStream> {
    let event = Event::parse(&on.value()).map_err(|e| syn::Error::new(on.span(), e))?;
    let record = Record::new().str(reducer);
    let (record, checks) = match &event {
        Event::Init => {
            if let Some(a) = arguments.first() {
                return Err(syn::Error::new(a.ident.span(), format!("reducer `{}` handles `init`, which passes no arguments: take only the context", reducer)));
            }
            (record.leb(0), TokenStream::new())
        }
        Event::Table { node, module, table, kind } => {
            let (expected, description) = match kind {
                TableEventKind::Update => (2, "the old row and the new row"),
                TableEventKind::Insert => (1, "the inserted row"),
                TableEventKind::Delete => (1, "the deleted row"),
            };
            if arguments.len() != expected {
                return Err(syn::Error::new(
                    on.span(),
                    format!(
                        "reducer `{}` subscribes to `{}`, which passes {}: it takes the context and {} argument(s), not {}",
                        reducer,
                        on.value(),
                        description,
                        expected,
                        arguments.len()
                    ),
                ));
            }
            let kind_index = match kind {
                TableEventKind::Insert => 0usize,
                TableEventKind::Update => 1,
                TableEventKind::Delete => 2,
            };
            let key_text = match node {
                Some(node) => format!("{}.{}.{}", node, module, table),
                None => format!("{}.{}", module, table),
            };
            let key = fnv1a64(&key_text);
            let mut checks = vec![quote_spanned!(on.span()=>
                ::interstice_sdk::__private::subscribed_table_must_be_declared_here_or_imported::<crate::__interstice::Tables, #key>();
            )];
            for a in arguments {
                let ty = &a.ty;
                checks.push(quote_spanned!(ty.span()=>
                    ::interstice_sdk::__private::subscription_argument_must_be_the_row_type_of_the_table::<
                        #ty, <crate::__interstice::Tables as ::interstice_sdk::__private::EventTable<#key>>::Row>();
                ));
            }
            let record = record.leb(1).opt_str(node.as_deref()).str(module).str(table).leb(kind_index);
            (record, quote!(#[allow(dead_code)] fn check() { #(#checks)* }))
        }
    };
    let record = record.emit("SUBSCRIPTION");
    Ok(quote! {
        #record
        const _: () = { #checks };
    })
}

/// `<reducer>::call(args..)`: a call of this reducer for `ctx.schedule`.
fn schedule_helper(function: &syn::ItemFn, name: &str, arguments: &[Argument]) -> TokenStream {
    let vis = &function.vis;
    let fn_ident = &function.sig.ident;
    let params = arguments.iter().map(|a| {
        let ident = &a.ident;
        let ty = &a.ty;
        quote!(#ident: #ty)
    });
    let names = arguments.iter().map(|a| &a.ident);
    let doc = format!("Arguments for scheduling reducer `{}`: `ctx.schedule(delay, {}::call(..))`.", name, fn_ident);
    quote! {
        #[doc = #doc]
        #[allow(non_snake_case, dead_code)]
        #vis mod #fn_ident {
            #[allow(unused_imports)]
            use super::*;

            /// This reducer with these arguments, to pass to `ctx.schedule`.
            pub fn call(#(#params),*) -> ::interstice_sdk::ScheduledCall {
                #[allow(unused_mut)]
                let mut args = ::std::vec::Vec::new();
                #( ::interstice_sdk::Value::encode(&#names, &mut args); )*
                ::interstice_sdk::ScheduledCall::__new(#name, args)
            }
        }
    }
}
