using System.Globalization;
using Interstice.Wasm;
using ValueType = Interstice.Wasm.ValueType;

namespace Interstice.Cli.Commands.Wasm.Run;

/// <summary>Parses <c>--invoke</c> arguments by the function's parameter types, and prints its results.</summary>
internal static class InvokeValues
{
    /// <summary>
    /// Integers in decimal (signed or unsigned range) or <c>0x</c> hex; floats in decimal or
    /// exponent notation, or <c>nan</c>, <c>inf</c>, <c>-inf</c>; references only as <c>null</c>.
    /// </summary>
    public static Value Parse(string text, ValueType type, string what) => type switch
    {
        ValueType.I32 => ParseInteger(text, 32) is { } i ? Value.FromI32((int)(uint)i) : throw Wrong(text, type, what),
        ValueType.I64 => ParseInteger(text, 64) is { } l ? Value.FromI64((long)l) : throw Wrong(text, type, what),
        ValueType.F32 => ParseFloat(text) is { } f ? Value.FromF32((float)f) : throw Wrong(text, type, what),
        ValueType.F64 => ParseFloat(text) is { } d ? Value.FromF64(d) : throw Wrong(text, type, what),
        _ when text == "null" => Value.Default(type),
        _ => throw Wrong(text, type, what),
    };

    /// <summary>A result as it is printed: integers signed in decimal, floats round-trippable, references by kind.</summary>
    public static string Format(Value value) => value.Type switch
    {
        ValueType.I32 => value.AsI32().ToString(CultureInfo.InvariantCulture),
        ValueType.I64 => value.AsI64().ToString(CultureInfo.InvariantCulture),
        ValueType.F32 => FormatFloat(value.AsF32()),
        ValueType.F64 => FormatFloat(value.AsF64()),
        _ => value.Reference is null ? "null" : value.Type.ToWatName(),
    };

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
        _ => $"a {type.ToWatName()} (only null can be given)",
    };
}
