namespace Interstice.Abi.Types;

/// <summary>
/// The kind of a type expression. The numeric value is the variant index of the schema's
/// <c>Type</c> enum, i.e. the byte that starts an encoded type (docs/abi.md section 4).
/// </summary>
public enum TypeTag : byte
{
    Bool = 0,
    U8 = 1,
    U16 = 2,
    U32 = 3,
    U64 = 4,
    I8 = 5,
    I16 = 6,
    I32 = 7,
    I64 = 8,
    F32 = 9,
    F64 = 10,
    String = 11,
    Bytes = 12,
    Option = 13,
    Vec = 14,
    Tuple = 15,
    Named = 16,
}
