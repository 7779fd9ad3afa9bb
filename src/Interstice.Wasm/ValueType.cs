namespace Interstice.Wasm;

/// <summary>A WebAssembly value type. The numeric values are the binary-format type codes.</summary>
public enum ValueType : byte
{
    I32 = 0x7F,
    I64 = 0x7E,
    F32 = 0x7D,
    F64 = 0x7C,
    V128 = 0x7B,
    FuncRef = 0x70,
    ExternRef = 0x6F,
}

/// <summary>Helpers for <see cref="ValueType"/>.</summary>
public static class ValueTypeExtensions
{
    /// <summary>True for <see cref="ValueType.FuncRef"/> and <see cref="ValueType.ExternRef"/>.</summary>
    public static bool IsReference(this ValueType type) => type is ValueType.FuncRef or ValueType.ExternRef;

    /// <summary>True for the four number types (not vectors, not references).</summary>
    public static bool IsNumber(this ValueType type) => type is ValueType.I32 or ValueType.I64 or ValueType.F32 or ValueType.F64;

    /// <summary>The text-format name: <c>i32</c>, <c>funcref</c>...</summary>
    public static string ToWatName(this ValueType type) => type switch
    {
        ValueType.I32 => "i32",
        ValueType.I64 => "i64",
        ValueType.F32 => "f32",
        ValueType.F64 => "f64",
        ValueType.V128 => "v128",
        ValueType.FuncRef => "funcref",
        ValueType.ExternRef => "externref",
        _ => $"0x{(byte)type:x2}",
    };
}
