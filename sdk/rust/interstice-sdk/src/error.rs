//! Failures of host calls (docs/abi.md section 10).

use std::fmt;

/// Why a host call failed. The numbers are the ABI's error codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCode {
    NotFound,
    UniqueViolation,
    InvalidArgument,
    NoSuchModule,
    NoSuchFunction,
    CallCycle,
    NotPermittedInQuery,
    CallFailed,
    BufferTooSmall,
    NodeUnreachable,
    LimitExceeded,
    PermissionDenied,
    /// A code this SDK does not know (a newer node).
    Unknown,
}

impl ErrorCode {
    /// The code a host function returned negated.
    pub fn from_code(code: i32) -> ErrorCode {
        match code {
            1 => ErrorCode::NotFound,
            2 => ErrorCode::UniqueViolation,
            3 => ErrorCode::InvalidArgument,
            4 => ErrorCode::NoSuchModule,
            5 => ErrorCode::NoSuchFunction,
            6 => ErrorCode::CallCycle,
            7 => ErrorCode::NotPermittedInQuery,
            8 => ErrorCode::CallFailed,
            9 => ErrorCode::BufferTooSmall,
            10 => ErrorCode::NodeUnreachable,
            11 => ErrorCode::LimitExceeded,
            12 => ErrorCode::PermissionDenied,
            _ => ErrorCode::Unknown,
        }
    }
}

/// A failed host call: the error code and the host's message (which names the table, column,
/// value, module... concerned).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostError {
    pub code: ErrorCode,
    pub message: String,
}

impl fmt::Display for HostError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}: {}", self.code, self.message)
    }
}

impl std::error::Error for HostError {}

/// Lets reducers returning `Result<(), String>` use `?` on host calls.
impl From<HostError> for String {
    fn from(error: HostError) -> String {
        error.to_string()
    }
}
