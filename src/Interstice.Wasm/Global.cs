using System.Runtime.Intrinsics;

namespace Interstice.Wasm;

/// <summary>
/// A global variable shared between the host and instances: an exported global, or one the host
/// creates to provide as an import. Numbers and vectors are kept as bit patterns, so NaN payloads survive.
/// </summary>
public sealed class Global
{
    // Read and written by generated code: the number's bits (f32 in the low 32 bits), the vector or the reference.
    internal ulong Bits;
    internal Vector128<byte> Vector;
    internal object? Reference;

    /// <summary>Creates a global for the host to provide as an import (see <see cref="Linker.Define(string, string, Global)"/>).</summary>
    public Global(GlobalType type, Value initialValue)
    {
        if (!Enum.IsDefined(type.ValueType))
            throw new ArgumentException($"unsupported global type {type.ValueType}", nameof(type));
        Type = type;
        Store(initialValue);
    }

    public GlobalType Type { get; }

    /// <summary>The current value. Setting it throws <see cref="InvalidOperationException"/> for an immutable global.</summary>
    public Value Value
    {
        get => Type.ValueType switch
        {
            ValueType.I32 => Value.FromI32((int)Bits),
            ValueType.I64 => Value.FromI64((long)Bits),
            ValueType.F32 => Value.FromF32Bits((uint)Bits),
            ValueType.F64 => Value.FromF64Bits(Bits),
            ValueType.V128 => Value.FromV128(Vector),
            ValueType.FuncRef => Value.FromFunction((Function?)Reference),
            _ => Value.FromExternRef(Reference),
        };
        set
        {
            if (!Type.Mutable) throw new InvalidOperationException("the global is immutable");
            Store(value);
        }
    }

    internal void Store(Value value)
    {
        if (value.Type != Type.ValueType)
            throw new ArgumentException($"a {Type.ValueType.ToWatName()} global cannot hold a {value.Type.ToWatName()} value", nameof(value));
        Bits = value.Bits;
        if (value.Type == ValueType.V128) Vector = value.V128Unchecked;
        Reference = value.Reference;
    }
}
