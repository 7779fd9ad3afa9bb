namespace Interstice.Abi;

/// <summary>
/// Why a host call failed (docs/abi.md section 10). A host function returns the negated code;
/// the message is readable with <c>error_message</c>.
/// </summary>
public enum HostErrorCode
{
    /// <summary>No row with that key; no table with that name.</summary>
    NotFound = 1,

    /// <summary>An insert or update would duplicate a primary key or unique index key.</summary>
    UniqueViolation = 2,

    /// <summary>An id, handle, pointer, level or argument is wrong, or a value does not decode.</summary>
    InvalidArgument = 3,

    /// <summary>The called module does not exist on that node.</summary>
    NoSuchModule = 4,

    /// <summary>The called module has no such reducer or query (or it is a subscription handler).</summary>
    NoSuchFunction = 5,

    /// <summary>The call would re-enter a module already on the call stack.</summary>
    CallCycle = 6,

    /// <summary>A write, reducer call or schedule from a query.</summary>
    NotPermittedInQuery = 7,

    /// <summary>The called reducer or query failed; the message is the callee's.</summary>
    CallFailed = 8,

    /// <summary><c>read_pending</c> with a buffer smaller than the pending output.</summary>
    BufferTooSmall = 9,

    /// <summary>The call names another node and it cannot be reached (always, until networking exists).</summary>
    NodeUnreachable = 10,

    /// <summary>A limit was hit: auto_inc sequence exhausted, too many iterators, nesting, call depth.</summary>
    LimitExceeded = 11,

    /// <summary>Visibility or authority forbids the operation.</summary>
    PermissionDenied = 12,
}
