using System.Runtime.Intrinsics;

namespace Interstice.Wasm.Runtime;

/// <summary>
/// How WebAssembly value types are represented in .NET code (generated and host). A <c>v128</c> is
/// a <see cref="Vector128{T}"/> of bytes everywhere (locals, fields, delegates); operations
/// reinterpret it with <c>As</c>, which costs nothing.
/// </summary>
internal static class ClrTypes
{
    public static Type Of(ValueType type) => type switch
    {
        ValueType.I32 => typeof(int),
        ValueType.I64 => typeof(long),
        ValueType.F32 => typeof(float),
        ValueType.F64 => typeof(double),
        ValueType.V128 => typeof(Vector128<byte>),
        ValueType.FuncRef => typeof(Function),
        ValueType.ExternRef => typeof(object),
        _ => throw new NotSupportedException($"value type {type.ToWatName()} is not supported"),
    };

    /// <summary>The wasm type a host delegate's parameter or return type stands for, or null if none does.</summary>
    public static ValueType? FromClr(Type type)
    {
        if (type == typeof(int)) return ValueType.I32;
        if (type == typeof(long)) return ValueType.I64;
        if (type == typeof(float)) return ValueType.F32;
        if (type == typeof(double)) return ValueType.F64;
        if (type == typeof(Vector128<byte>)) return ValueType.V128;
        if (type == typeof(Function)) return ValueType.FuncRef;
        if (type == typeof(object)) return ValueType.ExternRef;
        return null;
    }
}
