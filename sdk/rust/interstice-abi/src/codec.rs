//! Reading and writing the binary value encoding (docs/abi.md section 3).

use std::fmt;

/// How deeply values may nest: each option, vec, tuple, struct or enum level counts one.
pub const MAX_DEPTH: u32 = 128;

/// Bytes that do not decode: what was wrong and at which byte offset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    /// Offset in the decoded input.
    pub offset: usize,
    /// What is wrong.
    pub message: String,
}

impl DecodeError {
    /// An error at `offset`.
    pub fn new(offset: usize, message: impl Into<String>) -> Self {
        DecodeError { offset, message: message.into() }
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "at byte {}: {}", self.offset, self.message)
    }
}

impl std::error::Error for DecodeError {}

/// Reads encoded values from a byte slice, enforcing every decoding rule of docs/abi.md:
/// bool and option tags are 0 or 1, LEB128 is shortest-form within 32 bits, lengths and counts
/// do not run past the input, strings are UTF-8, nesting stays within [`MAX_DEPTH`].
pub struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
    depth: u32,
}

impl<'a> Reader<'a> {
    /// A reader at the start of `data`.
    pub fn new(data: &'a [u8]) -> Self {
        Reader { data, pos: 0, depth: 0 }
    }

    /// Offset of the next byte.
    pub fn position(&self) -> usize {
        self.pos
    }

    /// Bytes left.
    pub fn remaining(&self) -> usize {
        self.data.len() - self.pos
    }

    /// True when every byte has been read.
    pub fn is_at_end(&self) -> bool {
        self.pos >= self.data.len()
    }

    /// Fails unless every byte has been read (a buffer holds exactly one value).
    pub fn finish(&self) -> Result<(), DecodeError> {
        if self.is_at_end() {
            Ok(())
        } else {
            Err(DecodeError::new(self.pos, format!("{} unexpected byte(s) after the value", self.remaining())))
        }
    }

    /// Enters one nesting level (an option, vec, tuple, struct or enum); pair with [`Reader::leave`].
    pub fn enter(&mut self) -> Result<(), DecodeError> {
        if self.depth >= MAX_DEPTH {
            return Err(DecodeError::new(self.pos, format!("value nests deeper than {} levels", MAX_DEPTH)));
        }
        self.depth += 1;
        Ok(())
    }

    /// Leaves a nesting level entered with [`Reader::enter`].
    pub fn leave(&mut self) {
        self.depth -= 1;
    }

    /// Reads `n` raw bytes.
    pub fn read_raw(&mut self, n: usize) -> Result<&'a [u8], DecodeError> {
        if self.remaining() < n {
            return Err(DecodeError::new(self.pos, format!("{} byte(s) needed, {} remain", n, self.remaining())));
        }
        let slice = &self.data[self.pos..self.pos + n];
        self.pos += n;
        Ok(slice)
    }

    /// Reads `N` raw bytes as an array.
    pub fn read_array<const N: usize>(&mut self) -> Result<[u8; N], DecodeError> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.read_raw(N)?);
        Ok(out)
    }

    /// Reads a byte.
    pub fn read_u8(&mut self) -> Result<u8, DecodeError> {
        Ok(self.read_raw(1)?[0])
    }

    /// Reads a `bool` (0 or 1).
    pub fn read_bool(&mut self) -> Result<bool, DecodeError> {
        let at = self.pos;
        match self.read_u8()? {
            0 => Ok(false),
            1 => Ok(true),
            b => Err(DecodeError::new(at, format!("bool must be 0 or 1, found 0x{:02x}", b))),
        }
    }

    /// Reads an option tag: true when a value follows.
    pub fn read_option_tag(&mut self) -> Result<bool, DecodeError> {
        let at = self.pos;
        match self.read_u8()? {
            0 => Ok(false),
            1 => Ok(true),
            b => Err(DecodeError::new(at, format!("option tag must be 0 or 1, found 0x{:02x}", b))),
        }
    }

    /// Reads a shortest-form LEB128 u32.
    pub fn read_leb(&mut self) -> Result<u32, DecodeError> {
        let start = self.pos;
        let mut result: u32 = 0;
        for i in 0..5 {
            if self.pos >= self.data.len() {
                return Err(DecodeError::new(start, "LEB128 value runs past the end of the input"));
            }
            let b = self.data[self.pos];
            self.pos += 1;
            if i == 4 && b > 0x0f {
                return Err(DecodeError::new(start, "LEB128 value does not fit in 32 bits"));
            }
            result |= ((b & 0x7f) as u32) << (7 * i);
            if b & 0x80 == 0 {
                if b == 0 && i > 0 {
                    return Err(DecodeError::new(start, "LEB128 value is not in its shortest form"));
                }
                return Ok(result);
            }
        }
        Err(DecodeError::new(start, "LEB128 value is longer than 5 bytes"))
    }

    /// Reads a vec's element count, which cannot exceed the bytes that remain.
    pub fn read_count(&mut self) -> Result<usize, DecodeError> {
        let at = self.pos;
        let count = self.read_leb()? as usize;
        if count > self.remaining() {
            return Err(DecodeError::new(at, format!("count {} exceeds the {} remaining byte(s)", count, self.remaining())));
        }
        Ok(count)
    }

    /// Reads an enum variant index below `variant_count`.
    pub fn read_variant(&mut self, variant_count: u32) -> Result<u32, DecodeError> {
        let at = self.pos;
        let index = self.read_leb()?;
        if index >= variant_count {
            return Err(DecodeError::new(
                at,
                format!("variant index {} is out of range (the enum has {} variants)", index, variant_count),
            ));
        }
        Ok(index)
    }

    /// Reads `bytes` (length-prefixed).
    pub fn read_bytes(&mut self) -> Result<&'a [u8], DecodeError> {
        let at = self.pos;
        let len = self.read_leb()? as usize;
        if len > self.remaining() {
            return Err(DecodeError::new(at, format!("length {} exceeds the {} remaining byte(s)", len, self.remaining())));
        }
        self.read_raw(len)
    }

    /// Reads a `string` (length-prefixed UTF-8).
    pub fn read_str(&mut self) -> Result<&'a str, DecodeError> {
        let at = self.pos;
        let bytes = self.read_bytes()?;
        std::str::from_utf8(bytes).map_err(|_| DecodeError::new(at, "string is not valid UTF-8"))
    }
}

/// Appends a shortest-form LEB128 u32.
pub fn write_leb(out: &mut Vec<u8>, mut value: u32) {
    loop {
        let mut b = (value & 0x7f) as u8;
        value >>= 7;
        if value != 0 {
            b |= 0x80;
        }
        out.push(b);
        if value == 0 {
            break;
        }
    }
}

/// Appends a `string` or `bytes` value: the length, then the bytes.
pub fn write_bytes(out: &mut Vec<u8>, bytes: &[u8]) {
    write_leb(out, length_u32(bytes.len()));
    out.extend_from_slice(bytes);
}

/// A length as u32; longer values cannot be encoded (a wasm32 guest cannot even hold them).
pub fn length_u32(len: usize) -> u32 {
    assert!(len <= u32::MAX as usize, "a value of {} bytes or elements is too long to encode", len);
    len as u32
}
