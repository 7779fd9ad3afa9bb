//! The value trait: how Rust types map to ABI types and their encoding (docs/abi.md sections 2-3).

use crate::desc::TypeDesc;
use interstice_abi::codec::{length_u32, write_bytes, write_leb, DecodeError, Reader};
use interstice_abi::types::tag;

/// A type whose values cross the module boundary: table rows and columns, reducer and query
/// arguments, query results. Implemented for `bool`, the integers, `f32`, `f64`, `String`,
/// `Vec<u8>` (as `bytes`), `Option<T>`, `Vec<T>`, `Box<T>`, tuples up to 12 elements, and for
/// types marked `#[interstice_type]` or `#[table]`.
pub trait Value: Sized {
    /// The type expression, for the schema.
    #[doc(hidden)]
    const TYPE: TypeDesc;

    /// Whether values can be primary keys and index keys (bool, integers, String, bytes,
    /// enums of unit variants).
    #[doc(hidden)]
    const INDEXABLE: bool = false;

    /// True only for `u8` (so that `Vec<u8>` is `bytes`).
    #[doc(hidden)]
    const IS_U8: bool = false;

    /// Appends the encoding of `self`.
    fn encode(&self, out: &mut Vec<u8>);

    /// Reads one value.
    fn decode(input: &mut Reader<'_>) -> Result<Self, DecodeError>;

    /// Appends the encodings of `items` (overridden by `u8` to copy bytes at once).
    #[doc(hidden)]
    fn encode_slice(items: &[Self], out: &mut Vec<u8>) {
        for item in items {
            item.encode(out);
        }
    }

    /// Reads `count` values (overridden by `u8` to copy bytes at once).
    #[doc(hidden)]
    fn decode_vec(input: &mut Reader<'_>, count: usize) -> Result<Vec<Self>, DecodeError> {
        let mut items = Vec::with_capacity(count);
        for _ in 0..count {
            items.push(Self::decode(input)?);
        }
        Ok(items)
    }
}

/// The encoding of `value`.
pub fn encode<T: Value>(value: &T) -> Vec<u8> {
    let mut out = Vec::new();
    value.encode(&mut out);
    out
}

/// Decodes a buffer holding exactly one `T`.
pub fn decode<T: Value>(bytes: &[u8]) -> Result<T, DecodeError> {
    let mut reader = Reader::new(bytes);
    let value = T::decode(&mut reader)?;
    reader.finish()?;
    Ok(value)
}

macro_rules! fixed_width {
    ($($t:ty => $tag:expr, $indexable:expr;)*) => {$(
        impl Value for $t {
            const TYPE: TypeDesc = TypeDesc::primitive($tag);
            const INDEXABLE: bool = $indexable;
            fn encode(&self, out: &mut Vec<u8>) {
                out.extend_from_slice(&self.to_le_bytes());
            }
            fn decode(input: &mut Reader<'_>) -> Result<Self, DecodeError> {
                Ok(<$t>::from_le_bytes(input.read_array()?))
            }
        }
    )*};
}

fixed_width! {
    u16 => tag::U16, true;
    u32 => tag::U32, true;
    u64 => tag::U64, true;
    i8 => tag::I8, true;
    i16 => tag::I16, true;
    i32 => tag::I32, true;
    i64 => tag::I64, true;
}

impl Value for u8 {
    const TYPE: TypeDesc = TypeDesc::primitive(tag::U8);
    const INDEXABLE: bool = true;
    const IS_U8: bool = true;
    fn encode(&self, out: &mut Vec<u8>) {
        out.push(*self);
    }
    fn decode(input: &mut Reader<'_>) -> Result<Self, DecodeError> {
        input.read_u8()
    }
    fn encode_slice(items: &[Self], out: &mut Vec<u8>) {
        out.extend_from_slice(items);
    }
    fn decode_vec(input: &mut Reader<'_>, count: usize) -> Result<Vec<Self>, DecodeError> {
        Ok(input.read_raw(count)?.to_vec())
    }
}

impl Value for f32 {
    const TYPE: TypeDesc = TypeDesc::primitive(tag::F32);
    fn encode(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.to_bits().to_le_bytes());
    }
    fn decode(input: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(f32::from_bits(u32::from_le_bytes(input.read_array()?)))
    }
}

impl Value for f64 {
    const TYPE: TypeDesc = TypeDesc::primitive(tag::F64);
    fn encode(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.to_bits().to_le_bytes());
    }
    fn decode(input: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(f64::from_bits(u64::from_le_bytes(input.read_array()?)))
    }
}

impl Value for bool {
    const TYPE: TypeDesc = TypeDesc::primitive(tag::BOOL);
    const INDEXABLE: bool = true;
    fn encode(&self, out: &mut Vec<u8>) {
        out.push(*self as u8);
    }
    fn decode(input: &mut Reader<'_>) -> Result<Self, DecodeError> {
        input.read_bool()
    }
}

impl Value for String {
    const TYPE: TypeDesc = TypeDesc::primitive(tag::STRING);
    const INDEXABLE: bool = true;
    fn encode(&self, out: &mut Vec<u8>) {
        write_bytes(out, self.as_bytes());
    }
    fn decode(input: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(input.read_str()?.to_string())
    }
}

impl<T: Value> Value for Vec<T> {
    const TYPE: TypeDesc = TypeDesc::vec(&T::TYPE);
    const INDEXABLE: bool = T::IS_U8;
    fn encode(&self, out: &mut Vec<u8>) {
        write_leb(out, length_u32(self.len()));
        T::encode_slice(self, out);
    }
    fn decode(input: &mut Reader<'_>) -> Result<Self, DecodeError> {
        // `bytes` is a primitive: it does not count as a nesting level.
        if T::IS_U8 {
            let count = input.read_count()?;
            return T::decode_vec(input, count);
        }
        input.enter()?;
        let count = input.read_count()?;
        let items = T::decode_vec(input, count)?;
        input.leave();
        Ok(items)
    }
}

impl<T: Value> Value for Option<T> {
    const TYPE: TypeDesc = TypeDesc::option(&T::TYPE);
    fn encode(&self, out: &mut Vec<u8>) {
        match self {
            None => out.push(0),
            Some(value) => {
                out.push(1);
                value.encode(out);
            }
        }
    }
    fn decode(input: &mut Reader<'_>) -> Result<Self, DecodeError> {
        input.enter()?;
        let value = if input.read_option_tag()? { Some(T::decode(input)?) } else { None };
        input.leave();
        Ok(value)
    }
}

impl<T: Value> Value for Box<T> {
    const TYPE: TypeDesc = T::TYPE;
    const INDEXABLE: bool = T::INDEXABLE;
    fn encode(&self, out: &mut Vec<u8>) {
        (**self).encode(out);
    }
    fn decode(input: &mut Reader<'_>) -> Result<Self, DecodeError> {
        T::decode(input).map(Box::new)
    }
}

macro_rules! tuples {
    ($( ( $($name:ident $index:tt),* ) )*) => {$(
        impl<$($name: Value),*> Value for ($($name,)*) {
            const TYPE: TypeDesc = TypeDesc::tuple(&[$(&$name::TYPE),*]);
            #[allow(unused_variables)]
            fn encode(&self, out: &mut Vec<u8>) {
                $( self.$index.encode(out); )*
            }
            fn decode(input: &mut Reader<'_>) -> Result<Self, DecodeError> {
                input.enter()?;
                let value = ($($name::decode(input)?,)*);
                input.leave();
                Ok(value)
            }
        }
    )*};
}

tuples! {
    ()
    (A 0)
    (A 0, B 1)
    (A 0, B 1, C 2)
    (A 0, B 1, C 2, D 3)
    (A 0, B 1, C 2, D 3, E 4)
    (A 0, B 1, C 2, D 3, E 4, F 5)
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6)
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7)
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8)
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9)
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10)
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10, L 11)
}
