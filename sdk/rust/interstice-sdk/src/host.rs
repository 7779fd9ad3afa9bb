//! The raw host imports (docs/abi.md section 9) and the conventions around them: negative
//! results are error codes, variable-length outputs go through a guest buffer with a
//! pending-output fallback.

use crate::error::{ErrorCode, HostError};

#[cfg(target_arch = "wasm32")]
pub(crate) mod raw {
    #[link(wasm_import_module = "interstice")]
    extern "C" {
        pub fn table_id(name: *const u8, name_len: usize) -> i32;
        pub fn table_insert(table: u32, row: *mut u8, row_len: usize) -> i32;
        pub fn table_update(table: u32, row: *const u8, row_len: usize) -> i32;
        pub fn table_delete(table: u32, key: *const u8, key_len: usize) -> i32;
        pub fn table_get(table: u32, key: *const u8, key_len: usize, out: *mut u8, out_cap: usize) -> i32;
        pub fn table_scan(table: u32) -> i32;
        pub fn index_seek(table: u32, index: u32, key: *const u8, key_len: usize) -> i32;
        pub fn index_range(table: u32, index: u32, range: *const u8, range_len: usize) -> i32;
        pub fn iter_next(handle: i32, out: *mut u8, out_cap: usize) -> i32;
        pub fn iter_close(handle: i32) -> i32;
        pub fn read_pending(out: *mut u8, out_cap: usize) -> i32;
        pub fn call_reducer(target: *const u8, target_len: usize, args: *const u8, args_len: usize) -> i32;
        pub fn call_query(target: *const u8, target_len: usize, args: *const u8, args_len: usize, out: *mut u8, out_cap: usize) -> i32;
        pub fn schedule(reducer: *const u8, reducer_len: usize, args: *const u8, args_len: usize, delay_us: i64, id_out: *mut u64) -> i32;
        pub fn cancel_schedule(id: i64) -> i32;
        pub fn log(level: i32, msg: *const u8, msg_len: usize) -> i32;
        pub fn time_now() -> i64;
        pub fn random_u64() -> i64;
        pub fn set_result(ptr: *const u8, len: usize) -> i32;
        pub fn set_error(ptr: *const u8, len: usize) -> i32;
        pub fn error_message(out: *mut u8, out_cap: usize) -> i32;
    }
}

/// Outside wasm32 there is no node to call: module crates still build (for `cargo check`, unit
/// tests of pure logic), and calling a host function panics saying why.
#[cfg(not(target_arch = "wasm32"))]
#[allow(clippy::missing_safety_doc)]
pub(crate) mod raw {
    macro_rules! unavailable {
        ($($name:ident($($arg:ident: $ty:ty),*) -> $ret:ty;)*) => {$(
            pub unsafe fn $name($(_: $ty),*) -> $ret {
                panic!(concat!("interstice: host function `", stringify!($name),
                    "` exists only inside an Interstice node (build the module for wasm32-unknown-unknown)"))
            }
        )*};
    }
    unavailable! {
        table_id(a: *const u8, b: usize) -> i32;
        table_insert(a: u32, b: *mut u8, c: usize) -> i32;
        table_update(a: u32, b: *const u8, c: usize) -> i32;
        table_delete(a: u32, b: *const u8, c: usize) -> i32;
        table_get(a: u32, b: *const u8, c: usize, d: *mut u8, e: usize) -> i32;
        table_scan(a: u32) -> i32;
        index_seek(a: u32, b: u32, c: *const u8, d: usize) -> i32;
        index_range(a: u32, b: u32, c: *const u8, d: usize) -> i32;
        iter_next(a: i32, b: *mut u8, c: usize) -> i32;
        iter_close(a: i32) -> i32;
        read_pending(a: *mut u8, b: usize) -> i32;
        call_reducer(a: *const u8, b: usize, c: *const u8, d: usize) -> i32;
        call_query(a: *const u8, b: usize, c: *const u8, d: usize, e: *mut u8, f: usize) -> i32;
        schedule(a: *const u8, b: usize, c: *const u8, d: usize, e: i64, f: *mut u64) -> i32;
        cancel_schedule(a: i64) -> i32;
        log(a: i32, b: *const u8, c: usize) -> i32;
        time_now() -> i64;
        random_u64() -> i64;
        set_result(a: *const u8, b: usize) -> i32;
        set_error(a: *const u8, b: usize) -> i32;
        error_message(a: *mut u8, b: usize) -> i32;
    }
}

/// Turns a host result into `Ok(non-negative result)` or the error with its message.
pub(crate) fn check(result: i32) -> Result<u32, HostError> {
    if result >= 0 {
        Ok(result as u32)
    } else {
        Err(HostError { code: ErrorCode::from_code(-result), message: last_error_message() })
    }
}

/// The message of the last failed host call.
fn last_error_message() -> String {
    let mut buf = vec![0u8; 256];
    let mut len = unsafe { raw::error_message(buf.as_mut_ptr(), buf.len()) }.max(0) as usize;
    if len > buf.len() {
        buf.resize(len, 0);
        len = unsafe { raw::error_message(buf.as_mut_ptr(), buf.len()) }.max(0) as usize;
    }
    buf.truncate(len.min(buf.len()));
    String::from_utf8_lossy(&buf).into_owned()
}

/// Runs a host call that writes variable-length output (docs/abi.md 9.1): first into `buf`;
/// when the output is larger, grows `buf` and reads the pending output. Returns the length.
pub(crate) fn call_with_output(buf: &mut Vec<u8>, call: impl FnOnce(*mut u8, usize) -> i32) -> Result<usize, HostError> {
    if buf.capacity() == 0 {
        buf.reserve(256);
    }
    let cap = buf.capacity();
    let n = check(call(buf.as_mut_ptr(), cap))? as usize;
    if n <= cap {
        unsafe { buf.set_len(n) };
        return Ok(n);
    }
    buf.clear();
    buf.reserve(n);
    let cap = buf.capacity();
    let n = check(unsafe { raw::read_pending(buf.as_mut_ptr(), cap) })? as usize;
    unsafe { buf.set_len(n.min(cap)) };
    Ok(n)
}

/// Hands the failure message of the current export call to the host.
pub(crate) fn set_error(message: &str) {
    unsafe { raw::set_error(message.as_ptr(), message.len()) };
}

/// Hands a query's encoded result to the host.
pub(crate) fn set_result(bytes: &[u8]) -> Result<(), HostError> {
    check(unsafe { raw::set_result(bytes.as_ptr(), bytes.len()) }).map(|_| ())
}

/// Panics with the host's message: for host failures that only a bug or a node limit can cause.
pub(crate) fn unexpected(what: &str, error: HostError) -> ! {
    panic!("interstice: {} failed: {}", what, error)
}
