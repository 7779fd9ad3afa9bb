//! The Interstice module contract (docs/abi.md) for Rust: the reader and writer primitives of
//! the value encoding, type expressions, and the module schema with its binary and JSON forms.
//!
//! This crate has no dependencies. The guest SDK (`interstice-sdk`) builds on its codec; the
//! SDK's macros (`interstice-sdk-macros`) read bindings files with its JSON schema reader.

pub mod codec;
pub mod json;
pub mod schema;
mod schema_json;
pub mod types;

/// The `abi_version` this crate implements.
pub const ABI_VERSION: u32 = 1;
