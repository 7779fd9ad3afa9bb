//! Table access: insert, update, delete and get by primary key, full scans and index lookups
//! (docs/abi.md sections 9.2 and 9.3).

use crate::error::HostError;
use crate::host::{call_with_output, check, raw, unexpected};
use crate::value::{decode, encode, Value};
use interstice_abi::codec::{write_bytes, Reader};
use std::marker::PhantomData;
use std::ops::{Bound, Deref, RangeBounds};

/// A struct marked `#[table]`: its rows, primary key and generated index accessors.
pub trait TableRow: Value + 'static {
    /// The primary key column's type.
    type PrimaryKey: Value;

    /// The generated accessors of the table's indexes (`by_<column>()`).
    type Indexes;

    /// The table's id in the module's canonical schema, resolved by name once.
    #[doc(hidden)]
    fn __table_id() -> u32;

    #[doc(hidden)]
    fn __indexes() -> Self::Indexes;
}

/// A value usable as a key of type `K`: `K` itself, `&K`, and `&str` / `&[u8]` for `String` /
/// `Vec<u8>` keys.
pub trait Key<K> {
    /// Appends the key's encoding.
    fn encode_key(&self, out: &mut Vec<u8>);
}

impl<K: Value> Key<K> for K {
    fn encode_key(&self, out: &mut Vec<u8>) {
        self.encode(out);
    }
}

impl<K: Value> Key<K> for &K {
    fn encode_key(&self, out: &mut Vec<u8>) {
        (*self).encode(out);
    }
}

impl Key<String> for &str {
    fn encode_key(&self, out: &mut Vec<u8>) {
        write_bytes(out, self.as_bytes());
    }
}

impl Key<Vec<u8>> for &[u8] {
    fn encode_key(&self, out: &mut Vec<u8>) {
        write_bytes(out, self);
    }
}

fn encode_key<K>(key: impl Key<K>) -> Vec<u8> {
    let mut out = Vec::new();
    key.encode_key(&mut out);
    out
}

fn decode_row<R: Value>(bytes: &[u8], table: &str) -> R {
    decode(bytes).unwrap_or_else(|e| panic!("interstice: a row of table `{}` from the host does not decode: {}", table, e))
}

fn table_name<R>() -> &'static str {
    std::any::type_name::<R>()
}

/// Read and write access to a table, from a reducer: `ctx.current.greetings()`. Index lookups
/// are generated methods reached through this handle: `ctx.current.greetings().by_name()`.
pub struct TableHandle<R: TableRow> {
    indexes: R::Indexes,
}

impl<R: TableRow> TableHandle<R> {
    #[doc(hidden)]
    pub fn __new() -> Self {
        TableHandle { indexes: R::__indexes() }
    }

    /// Inserts `row` and returns it as stored: `auto_inc` columns given as 0 hold their
    /// generated values. Fails with `UniqueViolation` when a key is taken.
    pub fn insert(&self, row: R) -> Result<R, HostError> {
        let mut buf = encode(&row);
        check(unsafe { raw::table_insert(R::__table_id(), buf.as_mut_ptr(), buf.len()) })?;
        Ok(decode_row(&buf, table_name::<R>()))
    }

    /// Replaces the row that has `row`'s primary key. Fails with `NotFound` when there is none,
    /// `UniqueViolation` when a unique key is taken by another row.
    pub fn update(&self, row: R) -> Result<(), HostError> {
        let buf = encode(&row);
        check(unsafe { raw::table_update(R::__table_id(), buf.as_ptr(), buf.len()) }).map(|_| ())
    }

    /// Deletes the row with primary key `key`; false when there was none.
    pub fn delete(&self, key: impl Key<R::PrimaryKey>) -> bool {
        let key = encode_key(key);
        match check(unsafe { raw::table_delete(R::__table_id(), key.as_ptr(), key.len()) }) {
            Ok(deleted) => deleted == 1,
            Err(e) => unexpected("table_delete", e),
        }
    }

    /// The row with primary key `key`.
    pub fn get(&self, key: impl Key<R::PrimaryKey>) -> Option<R> {
        get::<R>(key)
    }

    /// Every row, in primary key order.
    pub fn iter(&self) -> RowIter<R> {
        scan::<R>()
    }
}

impl<R: TableRow> Deref for TableHandle<R> {
    type Target = R::Indexes;
    fn deref(&self) -> &R::Indexes {
        &self.indexes
    }
}

/// Read-only access to a table, from a query.
pub struct ReadTable<R: TableRow> {
    indexes: R::Indexes,
}

impl<R: TableRow> ReadTable<R> {
    #[doc(hidden)]
    pub fn __new() -> Self {
        ReadTable { indexes: R::__indexes() }
    }

    /// The row with primary key `key`.
    pub fn get(&self, key: impl Key<R::PrimaryKey>) -> Option<R> {
        get::<R>(key)
    }

    /// Every row, in primary key order.
    pub fn iter(&self) -> RowIter<R> {
        scan::<R>()
    }
}

impl<R: TableRow> Deref for ReadTable<R> {
    type Target = R::Indexes;
    fn deref(&self) -> &R::Indexes {
        &self.indexes
    }
}

fn get<R: TableRow>(key: impl Key<R::PrimaryKey>) -> Option<R> {
    let key = encode_key(key);
    let mut buf = Vec::new();
    let table = R::__table_id();
    match call_with_output(&mut buf, |out, cap| unsafe { raw::table_get(table, key.as_ptr(), key.len(), out, cap) }) {
        Ok(_) => Some(decode_row(&buf, table_name::<R>())),
        Err(e) if e.code == crate::ErrorCode::NotFound => None,
        Err(e) => unexpected("table_get", e),
    }
}

fn scan<R: TableRow>() -> RowIter<R> {
    RowIter::open("table_scan", unsafe { raw::table_scan(R::__table_id()) })
}

/// A secondary index of table rows `R` with key `K`. `find` exists on unique indexes, `range`
/// on BTree indexes.
pub struct IndexHandle<R, K, const UNIQUE: bool, const BTREE: bool> {
    index: u32,
    _types: PhantomData<fn() -> (R, K)>,
}

impl<R: TableRow, K: Value, const UNIQUE: bool, const BTREE: bool> IndexHandle<R, K, UNIQUE, BTREE> {
    #[doc(hidden)]
    pub const fn __new(index: u32) -> Self {
        IndexHandle { index, _types: PhantomData }
    }

    /// The rows whose key equals `key`, in primary key order (hash) or key order (btree).
    pub fn filter(&self, key: impl Key<K>) -> RowIter<R> {
        let key = encode_key(key);
        RowIter::open("index_seek", unsafe { raw::index_seek(R::__table_id(), self.index, key.as_ptr(), key.len()) })
    }
}

impl<R: TableRow, K: Value, const BTREE: bool> IndexHandle<R, K, true, BTREE> {
    /// The row whose unique key equals `key`.
    pub fn find(&self, key: impl Key<K>) -> Option<R> {
        self.filter(key).next()
    }
}

impl<R: TableRow, K: Value, const UNIQUE: bool> IndexHandle<R, K, UNIQUE, true> {
    /// The rows whose key is in `range`, in key order: `by_score().range(10..20)`.
    pub fn range(&self, range: impl RangeBounds<K>) -> RowIter<R> {
        let mut encoded = Vec::new();
        for bound in [range.start_bound(), range.end_bound()] {
            match bound {
                Bound::Unbounded => encoded.push(0),
                Bound::Included(key) => {
                    encoded.push(1);
                    key.encode(&mut encoded);
                }
                Bound::Excluded(key) => {
                    encoded.push(2);
                    key.encode(&mut encoded);
                }
            }
        }
        RowIter::open("index_range", unsafe { raw::index_range(R::__table_id(), self.index, encoded.as_ptr(), encoded.len()) })
    }
}

/// Rows streamed from the host through an iterator handle, many per host call.
pub struct RowIter<R> {
    handle: Option<i32>,
    buf: Vec<u8>,
    pos: usize,
    _row: PhantomData<fn() -> R>,
}

impl<R: Value> RowIter<R> {
    const BUFFER: usize = 4096;

    fn open(what: &str, result: i32) -> Self {
        let handle = match check(result) {
            Ok(handle) => handle as i32,
            Err(e) => unexpected(what, e),
        };
        RowIter { handle: Some(handle), buf: Vec::with_capacity(Self::BUFFER), pos: 0, _row: PhantomData }
    }
}

impl<R: Value> Iterator for RowIter<R> {
    type Item = R;

    fn next(&mut self) -> Option<R> {
        loop {
            if self.pos < self.buf.len() {
                let mut reader = Reader::new(&self.buf[self.pos..]);
                let row = reader.read_bytes().unwrap_or_else(|e| panic!("interstice: malformed iterator output from the host: {}", e));
                let value = decode_row(row, std::any::type_name::<R>());
                self.pos += reader.position();
                return Some(value);
            }
            let handle = self.handle?;
            self.pos = 0;
            self.buf.clear();
            match call_with_output(&mut self.buf, |out, cap| unsafe { raw::iter_next(handle, out, cap) }) {
                Ok(0) => {
                    self.handle = None;
                    return None;
                }
                Ok(_) => {}
                Err(e) => unexpected("iter_next", e),
            }
        }
    }
}

impl<R> Drop for RowIter<R> {
    fn drop(&mut self) {
        if let Some(handle) = self.handle.take() {
            unsafe { raw::iter_close(handle) };
        }
    }
}
