//! Compile-time descriptions: type expressions and schema records built by `const fn`s, so that
//! the macros can place each record in a `#[link_section]` static (docs/abi.md sections 4 and 5).
//! Everything here runs inside the compiler's constant evaluator, hence the by-value builders
//! (no `&mut` in `const fn` on Rust 1.63) and the fixed capacities.

use interstice_abi::types::tag;

/// The longest encoded type expression a [`TypeDesc`] holds.
pub const TYPE_CAPACITY: usize = 512;

/// The longest record body a [`Record`] holds.
pub const RECORD_CAPACITY: usize = 8192;

/// A type expression in its binary form (docs/abi.md section 4, `Type`), built at compile time.
#[derive(Clone, Copy)]
pub struct TypeDesc {
    bytes: [u8; TYPE_CAPACITY],
    len: usize,
}

impl TypeDesc {
    const EMPTY: TypeDesc = TypeDesc { bytes: [0; TYPE_CAPACITY], len: 0 };

    /// A primitive type (`tag::BOOL` ..= `tag::BYTES`).
    pub const fn primitive(t: u8) -> TypeDesc {
        Self::EMPTY.push(t)
    }

    /// A reference to a named type definition.
    pub const fn named(name: &str) -> TypeDesc {
        Self::EMPTY.push(tag::NAMED).push_leb(name.len()).push_str(name)
    }

    /// `option<inner>`.
    pub const fn option(inner: &TypeDesc) -> TypeDesc {
        Self::EMPTY.push(tag::OPTION).append(inner)
    }

    /// `vec<inner>`, or `bytes` when `inner` is `u8`.
    pub const fn vec(inner: &TypeDesc) -> TypeDesc {
        if inner.len == 1 && inner.bytes[0] == tag::U8 {
            Self::primitive(tag::BYTES)
        } else {
            Self::EMPTY.push(tag::VEC).append(inner)
        }
    }

    /// A tuple of `items`.
    pub const fn tuple(items: &[&TypeDesc]) -> TypeDesc {
        let mut out = Self::EMPTY.push(tag::TUPLE).push_leb(items.len());
        let mut i = 0;
        while i < items.len() {
            out = out.append(items[i]);
            i += 1;
        }
        out
    }

    /// True for `u8`..`u64` and `i8`..`i64`.
    pub const fn is_integer(&self) -> bool {
        self.len == 1 && self.bytes[0] >= tag::U8 && self.bytes[0] <= tag::I64
    }

    /// The encoded bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes[..self.len]
    }

    /// The type expression as the schema model sees it (for tools and tests).
    pub fn to_type(&self) -> interstice_abi::types::Type {
        let mut reader = interstice_abi::codec::Reader::new(self.as_bytes());
        interstice_abi::types::Type::decode(&mut reader).expect("TypeDesc holds a valid type expression")
    }

    const fn push(mut self, b: u8) -> TypeDesc {
        if self.len == TYPE_CAPACITY {
            panic!("interstice: a type expression is longer than 512 bytes");
        }
        self.bytes[self.len] = b;
        self.len += 1;
        self
    }

    const fn push_leb(mut self, mut v: usize) -> TypeDesc {
        loop {
            let low = (v & 0x7f) as u8;
            v >>= 7;
            if v == 0 {
                self = self.push(low);
                return self;
            }
            self = self.push(low | 0x80);
        }
    }

    const fn push_str(mut self, s: &str) -> TypeDesc {
        let b = s.as_bytes();
        let mut i = 0;
        while i < b.len() {
            self = self.push(b[i]);
            i += 1;
        }
        self
    }

    const fn append(mut self, other: &TypeDesc) -> TypeDesc {
        let mut i = 0;
        while i < other.len {
            self = self.push(other.bytes[i]);
            i += 1;
        }
        self
    }
}

/// One record of the `interstice.schema` custom section (docs/abi.md section 5), built at
/// compile time: `kind: u8, length: LEB128, body`. The body is written with the encoding of
/// docs/abi.md section 3; the macros know each list's length, so they write counts first.
pub struct Record {
    kind: u8,
    body: [u8; RECORD_CAPACITY],
    len: usize,
}

impl Record {
    /// Record kinds.
    pub const MODULE: u8 = 1;
    pub const TYPE: u8 = 2;
    pub const TABLE: u8 = 3;
    pub const REDUCER: u8 = 4;
    pub const QUERY: u8 = 5;
    pub const SUBSCRIPTION: u8 = 6;
    pub const DEPENDENCY: u8 = 7;

    /// An empty record of `kind`.
    pub const fn new(kind: u8) -> Record {
        Record { kind, body: [0; RECORD_CAPACITY], len: 0 }
    }

    /// Appends a byte (a `u8`, a `bool`, or a small variant index).
    pub const fn u8(mut self, b: u8) -> Record {
        if self.len == RECORD_CAPACITY {
            panic!("interstice: a schema record is longer than 8 KiB");
        }
        self.body[self.len] = b;
        self.len += 1;
        self
    }

    /// Appends a `bool`.
    pub const fn bool(self, v: bool) -> Record {
        self.u8(v as u8)
    }

    /// Appends a `u32`, little-endian.
    pub const fn u32(self, v: u32) -> Record {
        let b = v.to_le_bytes();
        self.u8(b[0]).u8(b[1]).u8(b[2]).u8(b[3])
    }

    /// Appends a LEB128 length, count or variant index.
    pub const fn leb(mut self, mut v: usize) -> Record {
        loop {
            let low = (v & 0x7f) as u8;
            v >>= 7;
            if v == 0 {
                self = self.u8(low);
                return self;
            }
            self = self.u8(low | 0x80);
        }
    }

    /// Appends a `string`.
    pub const fn str(mut self, s: &str) -> Record {
        self = self.leb(s.len());
        let b = s.as_bytes();
        let mut i = 0;
        while i < b.len() {
            self = self.u8(b[i]);
            i += 1;
        }
        self
    }

    /// Appends an `option<string>`.
    pub const fn opt_str(self, s: Option<&str>) -> Record {
        match s {
            None => self.u8(0),
            Some(s) => self.u8(1).str(s),
        }
    }

    /// Appends a type expression.
    pub const fn ty(mut self, t: &TypeDesc) -> Record {
        let mut i = 0;
        while i < t.len {
            self = self.u8(t.bytes[i]);
            i += 1;
        }
        self
    }

    /// The size of the framed record (kind, length, body).
    pub const fn framed_len(&self) -> usize {
        1 + leb_len(self.len) + self.len
    }

    /// The framed record; `N` must be [`Record::framed_len`].
    pub const fn framed<const N: usize>(&self) -> [u8; N] {
        let mut out = [0u8; N];
        out[0] = self.kind;
        let mut pos = 1;
        let mut v = self.len;
        loop {
            let low = (v & 0x7f) as u8;
            v >>= 7;
            if v == 0 {
                out[pos] = low;
                pos += 1;
                break;
            }
            out[pos] = low | 0x80;
            pos += 1;
        }
        let mut i = 0;
        while i < self.len {
            out[pos + i] = self.body[i];
            i += 1;
        }
        out
    }
}

const fn leb_len(mut v: usize) -> usize {
    let mut n = 1;
    while v >= 0x80 {
        v >>= 7;
        n += 1;
    }
    n
}
