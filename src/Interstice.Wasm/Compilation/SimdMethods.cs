using System.Reflection;
using Interstice.Wasm.Binary;
using Interstice.Wasm.Runtime.Simd;

namespace Interstice.Wasm.Compilation;

/// <summary>
/// The runtime helper that implements each SIMD instruction: the static method of
/// <c>Runtime/Simd</c> named like the instruction (<see cref="SimdOpcode.I8x16AddSatS"/> is
/// <see cref="SimdIntegerArithmetic.I8x16AddSatS"/>). Generated code calls it and the JIT inlines
/// it, so an instruction costs what its body costs. Found by reflection once, on first use.
/// </summary>
internal static class SimdMethods
{
    private static readonly Type[] s_helpers =
    [
        typeof(SimdBitwise), typeof(SimdLanes), typeof(SimdIntegerArithmetic), typeof(SimdIntegerComparisons),
        typeof(SimdShifts), typeof(SimdWidening), typeof(SimdFloatOps), typeof(SimdConversions), typeof(SimdMemory),
    ];

    private static readonly MethodInfo?[] s_byOpcode = Build();

    public static readonly MethodInfo ConstOpaque = Helper(nameof(SimdBitwise.V128ConstOpaque));
    public static readonly MethodInfo CanonicalizeF32x4 = Helper(nameof(SimdFloatOps.CanonicalizeF32x4));
    public static readonly MethodInfo CanonicalizeF64x2 = Helper(nameof(SimdFloatOps.CanonicalizeF64x2));

    /// <summary>The helper implementing <paramref name="opcode"/>.</summary>
    public static MethodInfo Of(SimdOpcode opcode) =>
        s_byOpcode[(int)opcode] ?? throw new MissingMethodException($"no runtime helper implements SIMD instruction {opcode}");

    private static MethodInfo?[] Build()
    {
        var methods = new MethodInfo?[256];
        foreach (var opcode in Enum.GetValues<SimdOpcode>()) methods[(int)opcode] = Find(opcode.ToString());
        return methods;
    }

    private static MethodInfo Helper(string name) => Find(name) ?? throw new MissingMethodException("Runtime.Simd", name);

    private static MethodInfo? Find(string name)
    {
        foreach (var type in s_helpers)
            if (type.GetMethod(name, BindingFlags.Public | BindingFlags.Static) is { } method) return method;
        return null;
    }
}
