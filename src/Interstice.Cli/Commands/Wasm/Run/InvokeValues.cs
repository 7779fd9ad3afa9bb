using System.Globalization;
using System.Runtime.Intrinsics;
using Interstice.Wasm;
using ValueType = Interstice.Wasm.ValueType;

namespace Interstice.Cli.Commands.Wasm.Run;

/// <summary>Parses <c>--invoke</c> arguments by the function's parameter types, and prints its results.</summary>
internal static class InvokeValues
{
    /// <summary>
    /// Integers in decimal (signed or unsigned range) or <c>0x</c> hex; floats in decimal or
    /// exponent notation, or <c>nan</c>, <c>inf</c>, <c>-inf</c>; vectors as a lane shape and its
    /// lanes, e.g. <c>i32x4:1,2,3,-4</c> or <c>f64x2:0.5,nan</c>; references only as <c>null</c>.
    /// </summary>
    public static Value Parse(string text, ValueType type, string what) => type switch
    {
        ValueType.I32 => ParseInteger(text, 32) is { } i ? Value.FromI32((int)(uint)i) : throw Wrong(text, type, what),
        ValueType.I64 => ParseInteger(text, 64) is { } l ? Value.FromI64((long)l) : throw Wrong(text, type, what),
        ValueType.F32 => ParseFloat(text) is { } f ? Value.FromF32((float)f) : throw Wrong(text, type, what),
        ValueType.F64 => ParseFloat(text) is { } d ? Value.FromF64(d) : throw Wrong(text, type, what),
        ValueType.V128 => ParseVector(text) is { } v ? Value.FromV128(v) : throw Wrong(text, type, what),
        _ when text == "null" => Value.Default(type),
        _ => throw Wrong(text, type, what),
    };

    /// <summary>A result as it is printed: integers signed in decimal, floats round-trippable, vectors as <c>i32x4:</c> and four signed lanes, references by kind.</summary>
    public static string Format(Value value) => value.Type switch
    {
        ValueType.I32 => value.AsI32().ToString(CultureInfo.InvariantCulture),
        ValueType.I64 => value.AsI64().ToString(CultureInfo.InvariantCulture),
        ValueType.F32 => FormatFloat(value.AsF32()),
        ValueType.F64 => FormatFloat(value.AsF64()),
        ValueType.V128 => FormatVector(value.AsV128().AsInt32()),
        _ => value.Reference is null ? "null" : value.Type.ToWatName(),
    };

    private static string FormatVector(Vector128<int> lanes) =>
        string.Create(CultureInfo.InvariantCulture, $"i32x4:{lanes[0]},{lanes[1]},{lanes[2]},{lanes[3]}");

    /// <summary><c>SHAPE:lane,lane...</c> with exactly the shape's number of lanes, each parsed like a scalar of the lane's type.</summary>
    private static Vector128<byte>? ParseVector(string text)
    {
        int colon = text.IndexOf(':');
        if (colon < 0) return null;
        var (laneBits, isFloat) = text[..colon] switch
        {
            "i8x16" => (8, false),
            "i16x8" => (16, false),
            "i32x4" => (32, false),
            "i64x2" => (64, false),
            "f32x4" => (32, true),
            "f64x2" => (64, true),
            _ => (0, false),
        };
        var lanes = text[(colon + 1)..].Split(',');
        if (laneBits == 0 || lanes.Length != 128 / laneBits) return null;
        Span<byte> bytes = stackalloc byte[16];
        int width = laneBits / 8;
        for (int i = 0; i < lanes.Length; i++)
        {
            ulong bits;
            if (!isFloat)
            {
                if (ParseLaneInteger(lanes[i].Trim(), laneBits) is not { } integer) return null;
                bits = integer;
            }
            else if (ParseFloat(lanes[i].Trim()) is { } number)
            {
                bits = laneBits == 32 ? BitConverter.SingleToUInt32Bits((float)number) : BitConverter.DoubleToUInt64Bits(number);
            }
            else
            {
                return null;
            }
            for (int b = 0; b < width; b++) bytes[i * width + b] = (byte)(bits >> (8 * b));
        }
        return Vector128.Create((ReadOnlySpan<byte>)bytes);
    }

    /// <summary>An integer lane of 8 to 64 bits, in the signed or the unsigned range, as its bits.</summary>
    private static ulong? ParseLaneInteger(string text, int bits)
    {
        if (bits >= 32) return ParseInteger(text, bits) is { } value ? value & (bits == 32 ? uint.MaxValue : ulong.MaxValue) : null;
        if (ParseInteger(text, 32) is not { } parsed) return null;
        long signed = (long)parsed; // negative values come back sign-extended to 64 bits
        if (signed < -(1L << (bits - 1)) || signed >= 1L << bits) return null;
        return (ulong)signed & ((1UL << bits) - 1);
    }

    private static string FormatFloat(double value) =>
        double.IsNaN(value) ? "nan"
        : double.IsPositiveInfinity(value) ? "inf"
        : double.IsNegativeInfinity(value) ? "-inf"
        : value.ToString("R", CultureInfo.InvariantCulture);

    private static string FormatFloat(float value) =>
        float.IsNaN(value) || float.IsInfinity(value) ? FormatFloat((double)value) : value.ToString("R", CultureInfo.InvariantCulture);

    private static ulong? ParseInteger(string text, int bits)
    {
        bool negative = text.StartsWith('-');
        string digits = negative || text.StartsWith('+') ? text[1..] : text;
        ulong magnitude;
        bool parsed = digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? ulong.TryParse(digits[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out magnitude)
            : ulong.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out magnitude);
        if (!parsed || digits.Length == 0) return null;
        ulong unsignedMax = bits == 32 ? uint.MaxValue : ulong.MaxValue;
        ulong negativeMax = 1UL << (bits - 1);
        if (negative ? magnitude > negativeMax : magnitude > unsignedMax) return null;
        return negative ? unchecked(0UL - magnitude) : magnitude;
    }

    private static double? ParseFloat(string text) => text switch
    {
        "nan" or "+nan" => double.NaN,
        "-nan" => -double.NaN,
        "inf" or "+inf" => double.PositiveInfinity,
        "-inf" => double.NegativeInfinity,
        _ => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && double.IsFinite(d) ? d : null,
    };

    private static UsageException Wrong(string text, ValueType type, string what) =>
        new($"{what} must be {Describe(type)}, not '{text}'");

    private static string Describe(ValueType type) => type switch
    {
        ValueType.I32 => "an i32 (a whole number from -2147483648 to 4294967295)",
        ValueType.I64 => "an i64 (a whole number)",
        ValueType.F32 => "an f32 (a number, nan, inf or -inf)",
        ValueType.F64 => "an f64 (a number, nan, inf or -inf)",
        ValueType.V128 => "a v128 (a lane shape and its lanes, e.g. i32x4:1,2,3,4 or f32x4:0.5,-1,nan,inf)",
        _ => $"a {type.ToWatName()} (only null can be given)",
    };
}
