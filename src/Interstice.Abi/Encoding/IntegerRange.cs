using Interstice.Abi.Types;

namespace Interstice.Abi.Encoding;

/// <summary>The ranges of the integer types.</summary>
public static class IntegerRange
{
    /// <summary>The smallest value of integer type <paramref name="tag"/>.</summary>
    public static Int128 Min(TypeTag tag) => tag switch
    {
        TypeTag.U8 or TypeTag.U16 or TypeTag.U32 or TypeTag.U64 => 0,
        TypeTag.I8 => sbyte.MinValue,
        TypeTag.I16 => short.MinValue,
        TypeTag.I32 => int.MinValue,
        TypeTag.I64 => long.MinValue,
        _ => throw new ArgumentOutOfRangeException(nameof(tag), tag, "not an integer type"),
    };

    /// <summary>The largest value of integer type <paramref name="tag"/>.</summary>
    public static Int128 Max(TypeTag tag) => tag switch
    {
        TypeTag.U8 => byte.MaxValue,
        TypeTag.U16 => ushort.MaxValue,
        TypeTag.U32 => uint.MaxValue,
        TypeTag.U64 => ulong.MaxValue,
        TypeTag.I8 => sbyte.MaxValue,
        TypeTag.I16 => short.MaxValue,
        TypeTag.I32 => int.MaxValue,
        TypeTag.I64 => long.MaxValue,
        _ => throw new ArgumentOutOfRangeException(nameof(tag), tag, "not an integer type"),
    };

    /// <summary>True when <paramref name="value"/> fits integer type <paramref name="tag"/>.</summary>
    public static bool Contains(TypeTag tag, Int128 value) => value >= Min(tag) && value <= Max(tag);
}
