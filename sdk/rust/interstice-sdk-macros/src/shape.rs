//! The shape of a struct or enum that crosses the module boundary, and the code generated for it:
//! its `Value` implementation (encoding in declaration order) and its type record. Shared by
//! `#[interstice_type]`, `#[table]` and `import!`.

use crate::records::Record;
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};
use syn::ext::IdentExt;
use syn::spanned::Spanned;

pub struct Shape {
    /// The Rust type.
    pub ident: Ident,
    /// The name in the schema (qualified for imported types: `hello.Mood`).
    pub schema_name: String,
    pub body: Body,
}

pub enum Body {
    Struct(Vec<FieldShape>),
    Enum(Vec<VariantShape>),
}

pub struct FieldShape {
    pub ident: Ident,
    pub ty: syn::Type,
}

pub struct VariantShape {
    pub ident: Ident,
    pub kind: VariantKind,
}

pub enum VariantKind {
    Unit,
    Tuple(Vec<syn::Type>),
    Struct(Vec<FieldShape>),
}

impl FieldShape {
    /// The field's name in the schema (`r#type` -> `type`).
    pub fn name(&self) -> String {
        self.ident.unraw().to_string()
    }
}

impl Shape {
    /// Reads a user struct or enum. Generic types and tuple structs are rejected.
    pub fn from_item(item: &syn::Item, attribute: &str) -> syn::Result<Shape> {
        let (ident, generics, body) = match item {
            syn::Item::Struct(s) => (&s.ident, &s.generics, Body::Struct(named_fields(&s.fields, &s.ident, attribute)?)),
            syn::Item::Enum(e) => {
                let mut variants = Vec::new();
                for v in &e.variants {
                    let kind = match &v.fields {
                        syn::Fields::Unit => VariantKind::Unit,
                        syn::Fields::Unnamed(u) => VariantKind::Tuple(u.unnamed.iter().map(|f| f.ty.clone()).collect()),
                        syn::Fields::Named(n) => VariantKind::Struct(
                            n.named.iter().map(|f| FieldShape { ident: f.ident.clone().unwrap(), ty: f.ty.clone() }).collect(),
                        ),
                    };
                    variants.push(VariantShape { ident: v.ident.clone(), kind });
                }
                (&e.ident, &e.generics, Body::Enum(variants))
            }
            other => {
                return Err(syn::Error::new(
                    other.span(),
                    format!("#[{}] applies to a struct with named fields or an enum", attribute),
                ))
            }
        };
        if !generics.params.is_empty() {
            return Err(syn::Error::new(
                generics.span(),
                format!("#[{}] does not support generic types: the schema describes concrete types", attribute),
            ));
        }
        Ok(Shape { ident: ident.clone(), schema_name: ident.unraw().to_string(), body })
    }

    /// True for an enum whose variants are all unit: such values can be keys.
    fn is_unit_enum(&self) -> bool {
        match &self.body {
            Body::Enum(variants) => variants.iter().all(|v| matches!(v.kind, VariantKind::Unit)),
            Body::Struct(_) => false,
        }
    }

    /// `impl Value` and the type record.
    pub fn generate(&self) -> TokenStream {
        let ident = &self.ident;
        let name = &self.schema_name;
        let indexable = self.is_unit_enum();
        let (encode, decode) = match &self.body {
            Body::Struct(fields) => struct_codec(ident, fields),
            Body::Enum(variants) => enum_codec(ident, variants),
        };
        let record = self.record().emit("TYPE");
        quote! {
            impl ::interstice_sdk::Value for #ident {
                const TYPE: ::interstice_sdk::__private::TypeDesc = ::interstice_sdk::__private::TypeDesc::named(#name);
                const INDEXABLE: bool = #indexable;
                fn encode(&self, out: &mut ::std::vec::Vec<u8>) {
                    #encode
                }
                fn decode(input: &mut ::interstice_sdk::Reader<'_>) -> ::core::result::Result<Self, ::interstice_sdk::DecodeError> {
                    input.enter()?;
                    let value = #decode;
                    input.leave();
                    ::core::result::Result::Ok(value)
                }
            }
            #record
        }
    }

    fn record(&self) -> Record {
        let record = Record::new().str(&self.schema_name);
        match &self.body {
            Body::Struct(fields) => fields_record(record.leb(0), fields),
            Body::Enum(variants) => {
                let mut record = record.leb(1).leb(variants.len());
                for v in variants {
                    record = record.str(&v.ident.unraw().to_string());
                    record = match &v.kind {
                        VariantKind::Unit => record.leb(0),
                        VariantKind::Tuple(types) => {
                            let mut r = record.leb(1).leb(types.len());
                            for t in types {
                                r = r.ty(t);
                            }
                            r
                        }
                        VariantKind::Struct(fields) => fields_record(record.leb(2), fields),
                    };
                }
                record
            }
        }
    }
}

/// A `vec<Field>`: count, then name and type of each.
pub fn fields_record(mut record: Record, fields: &[FieldShape]) -> Record {
    record = record.leb(fields.len());
    for f in fields {
        record = record.str(&f.name()).ty(&f.ty);
    }
    record
}

fn named_fields(fields: &syn::Fields, ident: &Ident, attribute: &str) -> syn::Result<Vec<FieldShape>> {
    match fields {
        syn::Fields::Named(n) => Ok(n.named.iter().map(|f| FieldShape { ident: f.ident.clone().unwrap(), ty: f.ty.clone() }).collect()),
        syn::Fields::Unit => Ok(Vec::new()),
        syn::Fields::Unnamed(u) => Err(syn::Error::new(
            u.span(),
            format!("#[{}] on `{}`: tuple structs are not supported; name the fields (the schema lists them by name)", attribute, ident),
        )),
    }
}

fn struct_codec(ident: &Ident, fields: &[FieldShape]) -> (TokenStream, TokenStream) {
    let names: Vec<&Ident> = fields.iter().map(|f| &f.ident).collect();
    let types: Vec<&syn::Type> = fields.iter().map(|f| &f.ty).collect();
    let encode = quote! { #( ::interstice_sdk::Value::encode(&self.#names, out); )* };
    let decode = quote! { #ident { #( #names: <#types as ::interstice_sdk::Value>::decode(input)?, )* } };
    (encode, decode)
}

fn enum_codec(ident: &Ident, variants: &[VariantShape]) -> (TokenStream, TokenStream) {
    let count = variants.len() as u32;
    let mut encode_arms = Vec::new();
    let mut decode_arms = Vec::new();
    for (index, v) in variants.iter().enumerate() {
        let vi = &v.ident;
        let index_u32 = index as u32;
        let write_index = quote!(::interstice_sdk::__private::write_leb(out, #index_u32););
        match &v.kind {
            VariantKind::Unit => {
                encode_arms.push(quote!(#ident::#vi => { #write_index }));
                decode_arms.push(quote!(#index_u32 => #ident::#vi));
            }
            VariantKind::Tuple(types) => {
                let bindings: Vec<Ident> = (0..types.len()).map(|i| format_ident!("field{}", i)).collect();
                encode_arms.push(quote!(#ident::#vi(#(#bindings),*) => {
                    #write_index
                    #( ::interstice_sdk::Value::encode(#bindings, out); )*
                }));
                decode_arms.push(quote!(#index_u32 => #ident::#vi(#( <#types as ::interstice_sdk::Value>::decode(input)?, )*)));
            }
            VariantKind::Struct(fields) => {
                let names: Vec<&Ident> = fields.iter().map(|f| &f.ident).collect();
                let types: Vec<&syn::Type> = fields.iter().map(|f| &f.ty).collect();
                encode_arms.push(quote!(#ident::#vi { #(#names),* } => {
                    #write_index
                    #( ::interstice_sdk::Value::encode(#names, out); )*
                }));
                decode_arms.push(quote!(#index_u32 => #ident::#vi { #( #names: <#types as ::interstice_sdk::Value>::decode(input)?, )* }));
            }
        }
    }
    let encode = quote! { match self { #(#encode_arms)* } };
    let decode = quote! {
        match input.read_variant(#count)? {
            #(#decode_arms,)*
            _ => ::core::unreachable!("read_variant checks the index"),
        }
    };
    (encode, decode)
}
