using System.Runtime.Intrinsics;
using Interstice.Wasm.Binary;
using Interstice.Wasm.Compilation;
using Interstice.Wasm.Runtime;
using Interstice.Wasm.Validation;

namespace Interstice.Wasm.Tests.Simd;

/// <summary>
/// The three tables that describe SIMD instructions agree: every opcode has immediates, a
/// signature and a runtime helper whose parameters are what the compiler pushes for it.
/// </summary>
public sealed class SimdHelperTableTests
{
    [Fact]
    public void EveryInstructionHasAHelperMatchingItsSignature()
    {
        var opcodes = Enum.GetValues<SimdOpcode>();
        Assert.Equal(236, opcodes.Length);
        foreach (var opcode in opcodes)
        {
            var immediates = SimdImmediates.Of((uint)opcode);
            Assert.NotEqual(SimdImmediate.Illegal, immediates);
            var signature = SimdSignatures.Of(opcode);
            var helper = SimdMethods.Of(opcode);

            // What the compiler pushes: a native address for memory accesses, the operands, then the lane index.
            var expected = new List<Type>();
            bool memory = immediates is SimdImmediate.MemoryArgument or SimdImmediate.MemoryArgumentAndLane;
            if (memory) expected.Add(typeof(nint));
            ValueType[] operands = [signature.First, signature.Second, signature.Third];
            for (int i = memory ? 1 : 0; i < signature.OperandCount; i++) expected.Add(ClrTypes.Of(operands[i]));
            if (immediates is SimdImmediate.Lane or SimdImmediate.MemoryArgumentAndLane) expected.Add(typeof(int));
            if (opcode == SimdOpcode.V128Const) expected = [typeof(long), typeof(long)];
            if (opcode == SimdOpcode.I8x16Shuffle) expected.AddRange([typeof(Vector128<byte>), typeof(Vector128<byte>)]);

            Assert.True(expected.SequenceEqual(helper.GetParameters().Select(p => p.ParameterType)),
                $"{opcode}: helper {helper.DeclaringType!.Name}.{helper.Name} takes ({string.Join(", ", helper.GetParameters().Select(p => p.ParameterType.Name))}), the compiler pushes ({string.Join(", ", expected.Select(t => t.Name))})");
            Assert.Equal(signature.HasResult ? ClrTypes.Of(signature.Result) : typeof(void), helper.ReturnType);
        }
    }

    [Fact]
    public void ReservedSubopcodesHaveNoInstruction()
    {
        int legal = 0;
        for (uint subopcode = 0; subopcode < 0x120; subopcode++)
            if (SimdImmediates.Of(subopcode) != SimdImmediate.Illegal) legal++;
        Assert.Equal(236, legal);
        Assert.Equal(SimdImmediate.Illegal, SimdImmediates.Of(0x9A));
    }
}
