//! Names: snake_case table names, Rust identifiers for schema names, event-table keys.

use proc_macro2::{Ident, Span};

/// `MyTable` -> `my_table`, `HTTPRequest` -> `http_request` (docs/abi.md section 4.3).
pub fn snake_case(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            let prev = chars[i - 1];
            let next_is_lower = chars.get(i + 1).map_or(false, |n| n.is_ascii_lowercase());
            if prev.is_ascii_lowercase() || prev.is_ascii_digit() || (prev.is_ascii_uppercase() && next_is_lower) {
                out.push('_');
            }
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// FNV-1a, 64 bits: the key under which a table's row type is registered for subscription checks.
pub fn fnv1a64(text: &str) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        hash ^= b as u64;
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

/// The Cargo package name of the crate being compiled: the module's name.
pub fn module_name(span: Span) -> syn::Result<String> {
    std::env::var("CARGO_PKG_NAME")
        .map_err(|_| syn::Error::new(span, "CARGO_PKG_NAME is not set: build Interstice modules with cargo"))
}

/// A schema identifier: `[A-Za-z_][A-Za-z0-9_]*` (docs/abi.md section 6).
pub fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_') && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// A Rust identifier for a schema name: raw (`r#type`) when the name is a keyword.
pub fn rust_ident(name: &str, span: Span) -> syn::Result<Ident> {
    if syn::parse_str::<Ident>(name).is_ok() {
        return Ok(Ident::new(name, span));
    }
    if ["self", "super", "crate", "Self", "_"].contains(&name) || name.is_empty() {
        return Err(syn::Error::new(span, format!("`{}` cannot be a Rust identifier", name)));
    }
    Ok(Ident::new_raw(name, span))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_case_follows_the_documented_rule() {
        assert_eq!(snake_case("Greetings"), "greetings");
        assert_eq!(snake_case("MyTable"), "my_table");
        assert_eq!(snake_case("HTTPRequest"), "http_request");
        assert_eq!(snake_case("Player2Score"), "player2_score");
        assert_eq!(snake_case("already_snake"), "already_snake");
    }

    #[test]
    fn fnv1a64_matches_the_reference_values() {
        assert_eq!(fnv1a64(""), 0xcbf29ce484222325);
        assert_eq!(fnv1a64("a"), 0xaf63dc4c8601ec8c);
    }
}
