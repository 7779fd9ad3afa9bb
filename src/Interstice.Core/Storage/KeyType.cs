namespace Interstice.Core.Storage;

/// <summary>
/// The column types a primary key or an index can be declared on. Each has a fixed
/// order-preserving encoding (see <see cref="KeyEncoding"/>).
/// </summary>
public enum KeyType : byte
{
    Bool,
    U8,
    U16,
    U32,
    U64,
    I8,
    I16,
    I32,
    I64,
    /// <summary>UTF-8 text, ordered by code point (ordinal), never by culture.</summary>
    String,
    Bytes,
}

/// <summary>Facts about <see cref="KeyType"/> values.</summary>
public static class KeyTypes
{
    /// <summary>True for the integer types an auto-increment column may have.</summary>
    public static bool IsInteger(this KeyType type) => type is >= KeyType.U8 and <= KeyType.I64;

    /// <summary>True for the signed integer types.</summary>
    public static bool IsSigned(this KeyType type) => type is >= KeyType.I8 and <= KeyType.I64;

    /// <summary>
    /// The width in bytes of a fixed-width type (its key encoding and its little-endian row
    /// encoding have the same width); 0 for <see cref="KeyType.String"/> and <see cref="KeyType.Bytes"/>.
    /// </summary>
    public static int FixedWidth(this KeyType type) => type switch
    {
        KeyType.Bool or KeyType.U8 or KeyType.I8 => 1,
        KeyType.U16 or KeyType.I16 => 2,
        KeyType.U32 or KeyType.I32 => 4,
        KeyType.U64 or KeyType.I64 => 8,
        _ => 0,
    };

    /// <summary>The lower-case name schemas use (see <c>TypeSyntax</c>), for messages: <c>u32</c>, <c>string</c>...</summary>
    public static string DisplayName(this KeyType type) => type switch
    {
        KeyType.Bool => "bool",
        KeyType.U8 => "u8",
        KeyType.U16 => "u16",
        KeyType.U32 => "u32",
        KeyType.U64 => "u64",
        KeyType.I8 => "i8",
        KeyType.I16 => "i16",
        KeyType.I32 => "i32",
        KeyType.I64 => "i64",
        KeyType.String => "string",
        KeyType.Bytes => "bytes",
        _ => type.ToString(),
    };
}
