using System.Buffers.Binary;
using System.Runtime.Intrinsics;
using Interstice.Wasm;
using ValueType = Interstice.Wasm.ValueType;

namespace Interstice.Cli.Commands.Wasm.Spec;

/// <summary>Converts script values to engine values and matches results against expectations (bit-exact floats, NaN patterns).</summary>
internal sealed class SpecValues
{
    private readonly Dictionary<ulong, SpecHost.HostReference> _hostReferences = [];

    /// <summary>The engine value for an argument.</summary>
    public Value ToValue(SpecValue value) => value.Type switch
    {
        SpecValueType.I32 => Value.FromI32((int)value.Bits),
        SpecValueType.I64 => Value.FromI64((long)value.Bits),
        SpecValueType.F32 => Value.FromF32Bits((uint)value.Bits),
        SpecValueType.F64 => Value.FromF64Bits(value.Bits),
        SpecValueType.V128 => Value.FromV128(ToVector(value)),
        SpecValueType.FuncRef => Value.FromFunction(null),
        _ => Value.FromExternRef(value.Kind == SpecValueKind.Null ? null : HostReference(value.Bits)),
    };

    /// <summary>The 16 bytes of a <c>v128</c> argument: its lanes in order, little-endian (a v128 without lanes is zero).</summary>
    private static Vector128<byte> ToVector(SpecValue value)
    {
        Span<byte> bytes = stackalloc byte[16];
        bytes.Clear();
        if (value.Lanes is { } lanes)
        {
            int width = LaneWidth(value.LaneType);
            for (int i = 0; i < lanes.Count; i++) WriteLane(bytes, i, width, lanes[i].Bits);
        }
        return Vector128.Create((ReadOnlySpan<byte>)bytes);
    }

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
            SpecValueType.V128 => ValueType.V128,
            SpecValueType.FuncRef => ValueType.FuncRef,
            _ => ValueType.ExternRef,
        };
        if (actual.Type != expectedType) return $"expected a {expectedType.ToWatName()}, got {actual}";
        if (expected.Type == SpecValueType.V128) return VectorMismatch(expected, actual.AsV128());
        bool matches = expected.Kind switch
        {
            SpecValueKind.Bits when expected.Type == SpecValueType.ExternRef =>
                actual.Reference is SpecHost.HostReference host && host.Number == expected.Bits,
            SpecValueKind.Null => actual.Reference is null,
            SpecValueKind.Unspecified => !expectedType.IsReference() || actual.Reference is not null,
            _ => NumberMatches(expected.Scalar, expected.Type == SpecValueType.F32 ? 32 : 64, actual.Bits),
        };
        return matches ? null : $"expected {Describe(expected)}, got {actual}";
    }

    /// <summary>A number (or a lane of <paramref name="width"/> bits) against its expected bits or NaN pattern.</summary>
    private static bool NumberMatches(SpecLane expected, int width, ulong actual) => expected.Kind switch
    {
        SpecValueKind.Bits => actual == expected.Bits,
        SpecValueKind.CanonicalNan => width == 32
            ? (actual & 0x7FFFFFFF) == 0x7FC00000
            : (actual & 0x7FFFFFFFFFFFFFFF) == 0x7FF8000000000000,
        SpecValueKind.ArithmeticNan => width == 32
            ? (actual & 0x7FC00000) == 0x7FC00000
            : (actual & 0x7FF8000000000000) == 0x7FF8000000000000,
        _ => true,
    };

    /// <summary>Lane by lane, in the expectation's lane shape; NaN patterns apply per lane.</summary>
    private static string? VectorMismatch(SpecValue expected, Vector128<byte> actual)
    {
        if (expected.Lanes is not { } lanes) return null;
        Span<byte> bytes = stackalloc byte[16];
        actual.CopyTo(bytes);
        int width = LaneWidth(expected.LaneType);
        for (int i = 0; i < lanes.Count; i++)
        {
            if (!NumberMatches(lanes[i], width * 8, ReadLane(bytes, i, width)))
                return $"expected {DescribeVector(expected.LaneType, lanes)}, got {DescribeVector(expected.LaneType, bytes)}";
        }
        return null;
    }

    private static int LaneWidth(SpecLaneType type) => type switch
    {
        SpecLaneType.I8 => 1,
        SpecLaneType.I16 => 2,
        SpecLaneType.I32 or SpecLaneType.F32 => 4,
        _ => 8,
    };

    private static ulong ReadLane(ReadOnlySpan<byte> bytes, int index, int width) => width switch
    {
        1 => bytes[index],
        2 => BinaryPrimitives.ReadUInt16LittleEndian(bytes[(index * 2)..]),
        4 => BinaryPrimitives.ReadUInt32LittleEndian(bytes[(index * 4)..]),
        _ => BinaryPrimitives.ReadUInt64LittleEndian(bytes[(index * 8)..]),
    };

    private static void WriteLane(Span<byte> bytes, int index, int width, ulong value)
    {
        switch (width)
        {
            case 1: bytes[index] = (byte)value; break;
            case 2: BinaryPrimitives.WriteUInt16LittleEndian(bytes[(index * 2)..], (ushort)value); break;
            case 4: BinaryPrimitives.WriteUInt32LittleEndian(bytes[(index * 4)..], (uint)value); break;
            default: BinaryPrimitives.WriteUInt64LittleEndian(bytes[(index * 8)..], value); break;
        }
    }

    /// <summary>E.g. <c>v128 f32x4 [nan:canonical 0 1 nan:arithmetic]</c>.</summary>
    private static string DescribeVector(SpecLaneType type, IReadOnlyList<SpecLane> lanes)
    {
        var laneType = type is SpecLaneType.F32 ? SpecValueType.F32 : type is SpecLaneType.F64 ? SpecValueType.F64 : type is SpecLaneType.I64 ? SpecValueType.I64 : SpecValueType.I32;
        var texts = new string[lanes.Count];
        for (int i = 0; i < texts.Length; i++)
        {
            string text = Describe(new SpecValue(laneType, lanes[i]));
            texts[i] = lanes[i].Kind == SpecValueKind.Bits ? text[(text.IndexOf(':') + 1)..] : text;
        }
        return $"v128 {Shape(type)} [{string.Join(' ', texts)}]";
    }

    private static string DescribeVector(SpecLaneType type, ReadOnlySpan<byte> bytes)
    {
        int width = LaneWidth(type);
        var lanes = new SpecLane[16 / width];
        for (int i = 0; i < lanes.Length; i++) lanes[i] = new SpecLane(SpecValueKind.Bits, ReadLane(bytes, i, width));
        return DescribeVector(type, lanes);
    }

    private static string Shape(SpecLaneType type) => type switch
    {
        SpecLaneType.I8 => "i8x16",
        SpecLaneType.I16 => "i16x8",
        SpecLaneType.I32 => "i32x4",
        SpecLaneType.I64 => "i64x2",
        SpecLaneType.F32 => "f32x4",
        _ => "f64x2",
    };

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
