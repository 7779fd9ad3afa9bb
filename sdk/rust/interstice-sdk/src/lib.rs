//! Write Interstice modules in Rust.
//!
//! A module is a `cdylib` crate built for `wasm32-unknown-unknown`. It declares its interface
//! with attributes; the macros generate the exports, the host calls and the schema records that
//! the node reads from the module's `interstice.schema` custom section (see `docs/abi.md`).
//!
//! ```ignore
//! use interstice_sdk::prelude::*;
//!
//! interstice_module!();
//!
//! #[interstice_type]
//! #[derive(Clone, Debug, PartialEq)]
//! pub enum Mood { Happy, Grumpy }
//!
//! #[table]
//! pub struct Greetings {
//!     #[primary_key(auto_inc)]
//!     pub id: u64,
//!     #[index(hash, unique)]
//!     pub name: String,
//!     pub mood: Mood,
//! }
//!
//! #[reducer]
//! fn hello(ctx: ReducerContext, name: String) -> Result<(), String> {
//!     ctx.current.greetings().insert(Greetings { id: 0, name, mood: Mood::Happy })?;
//!     Ok(())
//! }
//!
//! #[query]
//! fn count(ctx: QueryContext) -> u64 {
//!     ctx.current.greetings().iter().count() as u64
//! }
//! ```
//!
//! * `interstice_module!()` / `interstice_module!(visibility: Public, authorities: [Gpu, Input])`
//!   goes in the crate root once; it defines `ReducerContext` and `QueryContext` there. The
//!   module's name and version are the Cargo package's.
//! * `#[table]` (options: `name = "..."`, `ephemeral`) on a struct with named fields; field
//!   attributes `#[primary_key]`, `#[primary_key(auto_inc)]`, `#[auto_inc]`,
//!   `#[index(hash)]`, `#[index(btree)]`, with `unique`. Each index `by_<column>()` has
//!   `filter`, `find` (unique) and `range` (btree).
//! * `#[interstice_type]` on structs and enums used in columns, arguments and results.
//! * `#[reducer]`, `#[reducer(on = "init")]`, `#[reducer(on = "<module>.<table>.<insert|update|delete>")]`,
//!   `#[reducer(on = "<node>.<module>.<table>.<event>")]`; `#[query]`.
//! * `interstice_sdk::import!("bindings/other.json")` generates typed calls to another module's
//!   reducers and queries, and its types, from its schema file (`interstice schema other.wasm
//!   --json --out bindings/other.json`).

mod call;
mod context;
mod desc;
mod error;
mod host;
mod runtime;
mod tables;
mod value;

pub use call::{CallQueries, CallReducers};
pub use context::{Current, Log, QueryContext, ReducerContext, ScheduleId, ScheduledCall, Timestamp};
pub use error::{ErrorCode, HostError};
pub use interstice_sdk_macros::{import, interstice_module, interstice_type, query, reducer, table};
pub use tables::{IndexHandle, Key, ReadTable, RowIter, TableHandle, TableRow};
pub use value::{decode, encode, Value};

/// The reader of the value encoding, for hand-written [`Value`] implementations.
pub use interstice_abi::codec::{DecodeError, Reader};

/// The `abi_version` modules built with this SDK declare.
pub const ABI_VERSION: u32 = interstice_abi::ABI_VERSION;

/// Everything a module usually needs: `use interstice_sdk::prelude::*;`.
pub mod prelude {
    pub use crate::{
        interstice_module, interstice_type, query, reducer, table, HostError, Key, ScheduleId, Timestamp, Value,
    };
    pub use std::time::Duration;
}

#[doc(hidden)]
pub mod __private {
    pub use crate::call::{call_query, call_reducer};
    pub use crate::desc::{Record, TypeDesc};
    pub use crate::runtime::*;
    pub use interstice_abi::codec::{write_bytes, write_leb, DecodeError, Reader};
    pub use interstice_abi::types::tag;
}
