using Interstice.Wasm;
using ValueType = Interstice.Wasm.ValueType;

namespace Interstice.Cli.Commands.Wasm.Spec;

/// <summary>Converts script values to engine values and matches results against expectations (bit-exact floats, NaN patterns).</summary>
internal sealed class SpecValues
{
    private readonly Dictionary<ulong, SpecHost.HostReference> _hostReferences = [];

    /// <summary>The engine value for an argument; null for a <c>v128</c>, which the engine does not support.</summary>
    public Value? ToValue(SpecValue value) => value.Type switch
    {
        SpecValueType.I32 => Value.FromI32((int)value.Bits),
        SpecValueType.I64 => Value.FromI64((long)value.Bits),
        SpecValueType.F32 => Value.FromF32Bits((uint)value.Bits),
        SpecValueType.F64 => Value.FromF64Bits(value.Bits),
        SpecValueType.FuncRef => Value.FromFunction(null),
        SpecValueType.ExternRef => Value.FromExternRef(value.Kind == SpecValueKind.Null ? null : HostReference(value.Bits)),
        _ => null,
    };

    private SpecHost.HostReference HostReference(ulong number)
    {
        if (!_hostReferences.TryGetValue(number, out var reference)) _hostReferences[number] = reference = new SpecHost.HostReference(number);
        return reference;
    }

    /// <summary>Null when <paramref name="actual"/> matches <paramref name="expected"/>, else what differs.</summary>
    public static string? Mismatch(SpecValue expected, Value actual)
    {
        var expectedType = expected.Type switch
        {
            SpecValueType.I32 => ValueType.I32,
            SpecValueType.I64 => ValueType.I64,
            SpecValueType.F32 => ValueType.F32,
            SpecValueType.F64 => ValueType.F64,
            SpecValueType.FuncRef => ValueType.FuncRef,
            _ => ValueType.ExternRef,
        };
        if (actual.Type != expectedType) return $"expected a {expectedType.ToWatName()}, got {actual}";
        bool matches = expected.Kind switch
        {
            SpecValueKind.Bits when expected.Type == SpecValueType.ExternRef =>
                actual.Reference is SpecHost.HostReference host && host.Number == expected.Bits,
            SpecValueKind.Bits => actual.Bits == expected.Bits,
            SpecValueKind.Null => actual.Reference is null,
            SpecValueKind.Unspecified => !expectedType.IsReference() || actual.Reference is not null,
            SpecValueKind.CanonicalNan => expected.Type == SpecValueType.F32
                ? (actual.Bits & 0x7FFFFFFF) == 0x7FC00000
                : (actual.Bits & 0x7FFFFFFFFFFFFFFF) == 0x7FF8000000000000,
            _ => expected.Type == SpecValueType.F32
                ? (actual.Bits & 0x7FC00000) == 0x7FC00000
                : (actual.Bits & 0x7FF8000000000000) == 0x7FF8000000000000,
        };
        return matches ? null : $"expected {Describe(expected)}, got {actual}";
    }

    private static string Describe(SpecValue value) => value.Kind switch
    {
        SpecValueKind.Bits when value.Type == SpecValueType.ExternRef => $"externref:{value.Bits}",
        SpecValueKind.Bits => value.Type switch
        {
            SpecValueType.I32 => Value.FromI32((int)value.Bits).ToString(),
            SpecValueType.I64 => Value.FromI64((long)value.Bits).ToString(),
            SpecValueType.F32 => Value.FromF32Bits((uint)value.Bits).ToString(),
            _ => Value.FromF64Bits(value.Bits).ToString(),
        },
        SpecValueKind.Null => $"{value.Type.ToString().ToLowerInvariant()}:null",
        SpecValueKind.CanonicalNan => "nan:canonical",
        SpecValueKind.ArithmeticNan => "nan:arithmetic",
        _ => $"any {value.Type.ToString().ToLowerInvariant()}",
    };
}
