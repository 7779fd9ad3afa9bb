//! Code that builds schema records at compile time and places them in the custom section.

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

/// One step of a record builder chain, e.g. `.str("name")`.
pub struct Record {
    steps: Vec<TokenStream>,
}

impl Record {
    pub fn new() -> Self {
        Record { steps: Vec::new() }
    }

    pub fn str(mut self, s: &str) -> Self {
        self.steps.push(quote!(.str(#s)));
        self
    }

    pub fn str_expr(mut self, e: TokenStream) -> Self {
        self.steps.push(quote!(.str(#e)));
        self
    }

    pub fn opt_str(mut self, s: Option<&str>) -> Self {
        self.steps.push(match s {
            Some(s) => quote!(.opt_str(::core::option::Option::Some(#s))),
            None => quote!(.opt_str(::core::option::Option::None)),
        });
        self
    }

    pub fn leb(mut self, v: usize) -> Self {
        self.steps.push(quote!(.leb(#v)));
        self
    }

    pub fn u32(mut self, v: u32) -> Self {
        self.steps.push(quote!(.u32(#v)));
        self
    }

    pub fn u32_expr(mut self, e: TokenStream) -> Self {
        self.steps.push(quote!(.u32(#e)));
        self
    }

    pub fn bool(mut self, v: bool) -> Self {
        self.steps.push(quote!(.bool(#v)));
        self
    }

    /// Appends the type expression of the Rust type `ty`, checked to implement `Value` (an error
    /// points at `ty` otherwise).
    pub fn ty(mut self, ty: &syn::Type) -> Self {
        let desc = type_desc(ty);
        self.steps.push(quote!(.ty(&#desc)));
        self
    }

    pub fn ty_tokens(mut self, desc: TokenStream) -> Self {
        self.steps.push(quote!(.ty(&#desc)));
        self
    }

    /// A static in the `interstice.schema` custom section holding this record.
    pub fn emit(self, kind: &str) -> TokenStream {
        let kind = syn::Ident::new(kind, Span::call_site());
        let steps = self.steps;
        quote! {
            const _: () = {
                const RECORD: ::interstice_sdk::__private::Record =
                    ::interstice_sdk::__private::Record::new(::interstice_sdk::__private::Record::#kind) #(#steps)*;
                #[used]
                #[cfg_attr(target_arch = "wasm32", link_section = "interstice.schema")]
                static RECORD_BYTES: [u8; RECORD.framed_len()] = RECORD.framed();
            };
        }
    }
}

/// `<ty as Value>::TYPE`, spanned at `ty` so that a type without a `Value` implementation is
/// reported at the field or argument that uses it.
pub fn type_desc(ty: &syn::Type) -> TokenStream {
    quote_spanned!(ty.span()=> <#ty as ::interstice_sdk::Value>::TYPE)
}
