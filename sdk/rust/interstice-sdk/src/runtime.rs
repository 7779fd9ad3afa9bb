//! What the macros' generated code calls: export wrappers, the allocator exports, table-id
//! resolution and compile-time checks. Not for direct use (reached through `__private`).

use crate::host::{check, raw, set_error, set_result, unexpected};
use crate::value::Value;
use interstice_abi::codec::{DecodeError, Reader};
use std::alloc::Layout;
use std::fmt::Display;
use std::sync::atomic::{AtomicU32, Ordering};

/// The generated tables types of a module (`Tables`, `ReadTables`), created for each context.
pub trait TableSet {
    fn __new() -> Self;
}

/// Maps a table (keyed by the FNV-1a hash of `<module>.<table>`, or `<node>.<module>.<table>`
/// for a module imported from another node) to its row type, for subscription checks.
/// `#[table]` implements it for the module's own tables, `import!` for the imported ones.
pub trait EventTable<const KEY: u64> {
    type Row;
}

/// Holds when `Self` and `T` are the same type.
pub trait SameType<T> {}
impl<T> SameType<T> for T {}

/// Named for the compiler's error message: a subscription names a table that neither this
/// module (`#[table]`) nor an imported schema (`interstice_sdk::import!`) defines.
pub fn subscribed_table_must_be_declared_here_or_imported<T: EventTable<KEY>, const KEY: u64>() {}

/// Named for the compiler's error message: a handler's row argument has another type than the
/// rows of the table it subscribes to.
pub fn subscription_argument_must_be_the_row_type_of_the_table<Argument: SameType<Row>, Row>() {}

/// What a reducer may return: `()` or `Result<(), E: Display>`.
pub trait ReducerReturn {
    fn into_result(self) -> Result<(), String>;
}

impl ReducerReturn for () {
    fn into_result(self) -> Result<(), String> {
        Ok(())
    }
}

impl<E: Display> ReducerReturn for Result<(), E> {
    fn into_result(self) -> Result<(), String> {
        self.map_err(|e| e.to_string())
    }
}

/// What a query may return: a value, or `Result<value, E: Display>`.
pub trait QueryReturn {
    type Output: Value;
    fn into_result(self) -> Result<Self::Output, String>;
}

impl<T: Value> QueryReturn for T {
    type Output = T;
    fn into_result(self) -> Result<T, String> {
        Ok(self)
    }
}

impl<T: Value, E: Display> QueryReturn for Result<T, E> {
    type Output = T;
    fn into_result(self) -> Result<T, String> {
        self.map_err(|e| e.to_string())
    }
}

/// The `interstice_alloc` export.
pub fn alloc(size: usize, align: usize) -> *mut u8 {
    match Layout::from_size_align(size, align) {
        Ok(layout) if size > 0 => unsafe { std::alloc::alloc(layout) },
        _ => std::ptr::null_mut(),
    }
}

/// The `interstice_free` export.
///
/// # Safety
/// `ptr` comes from [`alloc`] with the same size and alignment.
pub unsafe fn free(ptr: *mut u8, size: usize, align: usize) {
    if let Ok(layout) = Layout::from_size_align(size, align) {
        if !ptr.is_null() && size > 0 {
            std::alloc::dealloc(ptr, layout);
        }
    }
}

/// Takes ownership of the argument buffer the host allocated with `interstice_alloc(len, 1)`.
unsafe fn take_args(ptr: *mut u8, len: usize) -> Vec<u8> {
    if len == 0 || ptr.is_null() {
        Vec::new()
    } else {
        Vec::from_raw_parts(ptr, len, len)
    }
}

fn install_panic_hook() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // The host reports the message of the last set_error when the call traps.
        std::panic::set_hook(Box::new(|info| set_error(&info.to_string())));
    });
}

/// The body of a reducer export: decodes the arguments, runs the reducer, reports failure.
///
/// # Safety
/// `(ptr, len)` is the argument buffer of the export call.
pub unsafe fn run_reducer(
    name: &str,
    ptr: *mut u8,
    len: usize,
    body: impl FnOnce(&mut Reader<'_>) -> Result<Result<(), String>, DecodeError>,
) -> i32 {
    install_panic_hook();
    let args = take_args(ptr, len);
    let mut reader = Reader::new(&args);
    match body(&mut reader) {
        Ok(Ok(())) => 0,
        Ok(Err(message)) => fail(&message),
        Err(e) => fail(&format!("reducer `{}`: the arguments do not decode: {}", name, e)),
    }
}

/// The body of a query export: decodes the arguments, runs the query, hands over the result.
///
/// # Safety
/// `(ptr, len)` is the argument buffer of the export call.
pub unsafe fn run_query(
    name: &str,
    ptr: *mut u8,
    len: usize,
    body: impl FnOnce(&mut Reader<'_>) -> Result<Result<Vec<u8>, String>, DecodeError>,
) -> i32 {
    install_panic_hook();
    let args = take_args(ptr, len);
    let mut reader = Reader::new(&args);
    match body(&mut reader) {
        Ok(Ok(result)) => match set_result(&result) {
            Ok(()) => 0,
            Err(e) => fail(&format!("query `{}`: the host refused the result: {}", name, e)),
        },
        Ok(Err(message)) => fail(&message),
        Err(e) => fail(&format!("query `{}`: the arguments do not decode: {}", name, e)),
    }
}

fn fail(message: &str) -> i32 {
    set_error(message);
    1
}

/// A table's id, asked from the host by name on first use and cached in `cache`
/// (initialised to `u32::MAX`).
pub fn table_id(cache: &AtomicU32, name: &str) -> u32 {
    let id = cache.load(Ordering::Relaxed);
    if id != u32::MAX {
        return id;
    }
    let id = match check(unsafe { raw::table_id(name.as_ptr(), name.len()) }) {
        Ok(id) => id,
        Err(e) => unexpected(&format!("looking up table `{}`", name), e),
    };
    cache.store(id, Ordering::Relaxed);
    id
}
