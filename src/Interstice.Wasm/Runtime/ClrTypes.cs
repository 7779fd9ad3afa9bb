namespace Interstice.Wasm.Runtime;

/// <summary>How WebAssembly value types are represented in .NET code (generated and host).</summary>
internal static class ClrTypes
{
    public static Type Of(ValueType type) => type switch
    {
        ValueType.I32 => typeof(int),
        ValueType.I64 => typeof(long),
        ValueType.F32 => typeof(float),
        ValueType.F64 => typeof(double),
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
        if (type == typeof(Function)) return ValueType.FuncRef;
        if (type == typeof(object)) return ValueType.ExternRef;
        return null;
    }
}
