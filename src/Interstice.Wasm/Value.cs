using System.Globalization;
using System.Runtime.Intrinsics;

namespace Interstice.Wasm;

/// <summary>
/// A WebAssembly value of any type: a number or a <c>v128</c> vector (held as its bit pattern, so
/// NaN payloads survive) or a reference (<see cref="Function"/> for <c>funcref</c>, any object for <c>externref</c>;
/// <see langword="null"/> is the null reference). Used by the untyped calling API
/// (<see cref="Function.Invoke(ReadOnlySpan{Value}, Span{Value})"/>, <see cref="Global.Value"/>...).
/// </summary>
public readonly struct Value : IEquatable<Value>
{
    private readonly ulong _bits;
    private readonly ulong _highBits;
    private readonly object? _reference;

    private Value(ValueType type, ulong bits, object? reference, ulong highBits = 0)
    {
        Type = type;
        _bits = bits;
        _highBits = highBits;
        _reference = reference;
    }

    /// <summary>The value's type.</summary>
    public ValueType Type { get; }

    /// <summary>The raw bits of a number: the integer, or the IEEE 754 encoding of a float (zero-extended to 64 bits); for a <c>v128</c>, its low 64 bits (see <see cref="AsV128"/>).</summary>
    public ulong Bits => _bits;

    public static Value FromI32(int value) => new(ValueType.I32, (uint)value, null);
    public static Value FromI64(long value) => new(ValueType.I64, (ulong)value, null);
    public static Value FromF32(float value) => new(ValueType.F32, BitConverter.SingleToUInt32Bits(value), null);
    public static Value FromF64(double value) => new(ValueType.F64, BitConverter.DoubleToUInt64Bits(value), null);

    /// <summary>An <c>f32</c> given by its bit pattern (keeps every NaN payload exactly).</summary>
    public static Value FromF32Bits(uint bits) => new(ValueType.F32, bits, null);

    /// <summary>An <c>f64</c> given by its bit pattern (keeps every NaN payload exactly).</summary>
    public static Value FromF64Bits(ulong bits) => new(ValueType.F64, bits, null);

    /// <summary>
    /// A <c>v128</c>: 16 bytes in memory order, lane 0 first. Other lane shapes convert for free with
    /// <c>As</c>: <c>Value.FromV128(Vector128.Create(1, 2, 3, 4).AsByte())</c> is <c>i32x4 1 2 3 4</c>.
    /// </summary>
    public static Value FromV128(Vector128<byte> value)
    {
        var halves = value.AsUInt64();
        return new(ValueType.V128, halves.GetElement(0), null, halves.GetElement(1));
    }

    /// <summary>A <c>funcref</c>; <see langword="null"/> is <c>ref.null func</c>.</summary>
    public static Value FromFunction(Function? function) => new(ValueType.FuncRef, 0, function);

    /// <summary>An <c>externref</c> holding any host object; <see langword="null"/> is <c>ref.null extern</c>.</summary>
    public static Value FromExternRef(object? reference) => new(ValueType.ExternRef, 0, reference);

    /// <summary>The zero value of a type: 0, +0.0, a vector of zeros or the null reference (what locals and tables start with).</summary>
    public static Value Default(ValueType type) => type switch
    {
        ValueType.I32 or ValueType.I64 or ValueType.F32 or ValueType.F64 or ValueType.V128 or ValueType.FuncRef or ValueType.ExternRef => new(type, 0, null),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "not a supported value type"),
    };

    public int AsI32() { Expect(ValueType.I32); return (int)_bits; }
    public long AsI64() { Expect(ValueType.I64); return (long)_bits; }
    public float AsF32() { Expect(ValueType.F32); return BitConverter.UInt32BitsToSingle((uint)_bits); }
    public double AsF64() { Expect(ValueType.F64); return BitConverter.UInt64BitsToDouble(_bits); }
    public Vector128<byte> AsV128() { Expect(ValueType.V128); return V128Unchecked; }
    public Function? AsFunction() { Expect(ValueType.FuncRef); return (Function?)_reference; }
    public object? AsExternRef() { Expect(ValueType.ExternRef); return _reference; }

    /// <summary>The reference of a <c>funcref</c> or <c>externref</c> value (null for numbers).</summary>
    public object? Reference => _reference;

    /// <summary>True for a null reference of either reference type.</summary>
    public bool IsNullReference => Type.IsReference() && _reference is null;

    // Unchecked accessors for generated invokers: the caller has already checked the type.
    internal int I32Unchecked => (int)_bits;
    internal long I64Unchecked => (long)_bits;
    internal float F32Unchecked => BitConverter.UInt32BitsToSingle((uint)_bits);
    internal double F64Unchecked => BitConverter.UInt64BitsToDouble(_bits);
    internal Vector128<byte> V128Unchecked => Vector128.Create(_bits, _highBits).AsByte();

    private void Expect(ValueType type)
    {
        if (Type != type)
            throw new InvalidOperationException($"the value is of type {Type.ToWatName()}, not {type.ToWatName()}");
    }

    /// <summary>Bit-exact equality for numbers and vectors (so NaNs with the same payload are equal), reference equality for references.</summary>
    public bool Equals(Value other) =>
        Type == other.Type && _bits == other._bits && _highBits == other._highBits && ReferenceEquals(_reference, other._reference);

    public override bool Equals(object? obj) => obj is Value other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Type, _bits, _highBits, _reference is null ? 0 : System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(_reference));

    public static bool operator ==(Value left, Value right) => left.Equals(right);
    public static bool operator !=(Value left, Value right) => !left.Equals(right);

    /// <summary>Text-format style rendering, e.g. <c>i32:42</c>, <c>f32:nan:0x200000</c>, <c>v128:i32x4:0x00000001 0x00000000 0x00000000 0x00000000</c>, <c>funcref:null</c>.</summary>
    public override string ToString() => Type switch
    {
        ValueType.I32 => $"i32:{(int)_bits}",
        ValueType.I64 => $"i64:{(long)_bits}",
        ValueType.F32 => "f32:" + FormatFloat(float.IsNaN(F32Unchecked), (_bits >> 31) != 0, _bits & 0x7FFFFF, F32Unchecked.ToString("R", CultureInfo.InvariantCulture)),
        ValueType.F64 => "f64:" + FormatFloat(double.IsNaN(F64Unchecked), (_bits >> 63) != 0, _bits & 0xFFFFFFFFFFFFF, F64Unchecked.ToString("R", CultureInfo.InvariantCulture)),
        ValueType.V128 => $"v128:i32x4:0x{(uint)_bits:x8} 0x{(uint)(_bits >> 32):x8} 0x{(uint)_highBits:x8} 0x{(uint)(_highBits >> 32):x8}",
        _ => $"{Type.ToWatName()}:{(_reference is null ? "null" : _reference.ToString())}",
    };

    private static string FormatFloat(bool isNaN, bool negative, ulong payload, string number) =>
        isNaN ? $"{(negative ? "-" : "")}nan:0x{payload:x}" : number;
}
