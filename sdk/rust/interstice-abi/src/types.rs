//! Type expressions (docs/abi.md section 2) and their text and binary forms.

use crate::codec::{write_bytes, write_leb, DecodeError, Reader, MAX_DEPTH};
use std::fmt;

/// A type expression. The discriminant order is the binary tag (`Type` enum of docs/abi.md section 4).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Type {
    Bool,
    U8,
    U16,
    U32,
    U64,
    I8,
    I16,
    I32,
    I64,
    F32,
    F64,
    String,
    Bytes,
    Option(Box<Type>),
    Vec(Box<Type>),
    Tuple(Vec<Type>),
    /// A type definition's name, possibly qualified (`hello.Mood`).
    Named(String),
}

/// Binary tags of the type expression variants.
pub mod tag {
    pub const BOOL: u8 = 0;
    pub const U8: u8 = 1;
    pub const U16: u8 = 2;
    pub const U32: u8 = 3;
    pub const U64: u8 = 4;
    pub const I8: u8 = 5;
    pub const I16: u8 = 6;
    pub const I32: u8 = 7;
    pub const I64: u8 = 8;
    pub const F32: u8 = 9;
    pub const F64: u8 = 10;
    pub const STRING: u8 = 11;
    pub const BYTES: u8 = 12;
    pub const OPTION: u8 = 13;
    pub const VEC: u8 = 14;
    pub const TUPLE: u8 = 15;
    pub const NAMED: u8 = 16;
}

const PRIMITIVES: [(&str, Type); 13] = [
    ("bool", Type::Bool),
    ("u8", Type::U8),
    ("u16", Type::U16),
    ("u32", Type::U32),
    ("u64", Type::U64),
    ("i8", Type::I8),
    ("i16", Type::I16),
    ("i32", Type::I32),
    ("i64", Type::I64),
    ("f32", Type::F32),
    ("f64", Type::F64),
    ("string", Type::String),
    ("bytes", Type::Bytes),
];

impl Type {
    /// The binary tag of this type's variant.
    pub fn tag(&self) -> u8 {
        match self {
            Type::Bool => tag::BOOL,
            Type::U8 => tag::U8,
            Type::U16 => tag::U16,
            Type::U32 => tag::U32,
            Type::U64 => tag::U64,
            Type::I8 => tag::I8,
            Type::I16 => tag::I16,
            Type::I32 => tag::I32,
            Type::I64 => tag::I64,
            Type::F32 => tag::F32,
            Type::F64 => tag::F64,
            Type::String => tag::STRING,
            Type::Bytes => tag::BYTES,
            Type::Option(_) => tag::OPTION,
            Type::Vec(_) => tag::VEC,
            Type::Tuple(_) => tag::TUPLE,
            Type::Named(_) => tag::NAMED,
        }
    }

    /// Appends the binary form.
    pub fn encode(&self, out: &mut Vec<u8>) {
        out.push(self.tag());
        match self {
            Type::Option(inner) | Type::Vec(inner) => inner.encode(out),
            Type::Tuple(items) => {
                write_leb(out, items.len() as u32);
                for item in items {
                    item.encode(out);
                }
            }
            Type::Named(name) => write_bytes(out, name.as_bytes()),
            _ => {}
        }
    }

    /// Reads the binary form.
    pub fn decode(reader: &mut Reader<'_>) -> Result<Type, DecodeError> {
        Self::decode_at(reader, 0)
    }

    fn decode_at(reader: &mut Reader<'_>, depth: u32) -> Result<Type, DecodeError> {
        if depth >= MAX_DEPTH {
            return Err(DecodeError::new(reader.position(), format!("type nests deeper than {} levels", MAX_DEPTH)));
        }
        let t = reader.read_variant(tag::NAMED as u32 + 1)? as u8;
        Ok(match t {
            tag::OPTION => Type::Option(Box::new(Self::decode_at(reader, depth + 1)?)),
            tag::VEC => Type::Vec(Box::new(Self::decode_at(reader, depth + 1)?)),
            tag::TUPLE => {
                let count = reader.read_count()?;
                let mut items = Vec::with_capacity(count);
                for _ in 0..count {
                    items.push(Self::decode_at(reader, depth + 1)?);
                }
                Type::Tuple(items)
            }
            tag::NAMED => Type::Named(reader.read_str()?.to_string()),
            primitive => PRIMITIVES[primitive as usize].1.clone(),
        })
    }

    /// Parses the text form (`option<vec<Mood>>`, `(u8, string)`, `()`, `(T,)`).
    pub fn parse(text: &str) -> Result<Type, String> {
        let mut parser = Parser { text, pos: 0 };
        let ty = parser.parse_type(0)?;
        parser.skip_spaces();
        if parser.pos < text.len() {
            return Err(parser.error("unexpected text after the type"));
        }
        Ok(ty)
    }
}

impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Type::Option(inner) => write!(f, "option<{}>", inner),
            Type::Vec(inner) => write!(f, "vec<{}>", inner),
            Type::Tuple(items) => {
                f.write_str("(")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{}", item)?;
                }
                if items.len() == 1 {
                    f.write_str(",")?;
                }
                f.write_str(")")
            }
            Type::Named(name) => f.write_str(name),
            primitive => f.write_str(PRIMITIVES[primitive.tag() as usize].0),
        }
    }
}

struct Parser<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Parser<'a> {
    fn error(&self, message: &str) -> String {
        format!("type '{}': {} at position {}", self.text, message, self.pos)
    }

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    fn skip_spaces(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn expect(&mut self, c: u8) -> Result<(), String> {
        self.skip_spaces();
        if self.peek() != Some(c) {
            return Err(self.error(&format!("expected '{}'", c as char)));
        }
        self.pos += 1;
        Ok(())
    }

    fn parse_type(&mut self, depth: u32) -> Result<Type, String> {
        if depth > MAX_DEPTH {
            return Err(self.error(&format!("type nests deeper than {} levels", MAX_DEPTH)));
        }
        self.skip_spaces();
        match self.peek() {
            None => return Err(self.error("expected a type")),
            Some(b'(') => return self.parse_tuple(depth),
            _ => {}
        }
        let start = self.pos;
        while matches!(self.peek(), Some(c) if c.is_ascii_alphanumeric() || c == b'_' || c == b'-' || c == b'.') {
            self.pos += 1;
        }
        if self.pos == start {
            return Err(self.error(&format!("unexpected '{}'", self.text[self.pos..].chars().next().unwrap())));
        }
        let word = &self.text[start..self.pos];
        if let Some((_, ty)) = PRIMITIVES.iter().find(|(name, _)| *name == word) {
            return Ok(ty.clone());
        }
        match word {
            "option" | "vec" => {
                self.expect(b'<')?;
                let inner = Box::new(self.parse_type(depth + 1)?);
                self.expect(b'>')?;
                Ok(if word == "option" { Type::Option(inner) } else { Type::Vec(inner) })
            }
            _ => Ok(Type::Named(word.to_string())),
        }
    }

    fn parse_tuple(&mut self, depth: u32) -> Result<Type, String> {
        self.expect(b'(')?;
        let mut items = Vec::new();
        let mut trailing_comma = false;
        loop {
            self.skip_spaces();
            if self.peek() == Some(b')') || self.peek().is_none() {
                break;
            }
            items.push(self.parse_type(depth + 1)?);
            self.skip_spaces();
            trailing_comma = self.peek() == Some(b',');
            if !trailing_comma {
                break;
            }
            self.pos += 1;
        }
        self.expect(b')')?;
        if items.len() == 1 && !trailing_comma {
            return Err(self.error("a one-element tuple is written (T,)"));
        }
        Ok(Type::Tuple(items))
    }
}
