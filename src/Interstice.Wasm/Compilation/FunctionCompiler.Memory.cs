using System.Reflection.Emit;
using Interstice.Wasm.Binary;
using Interstice.Wasm.Runtime;
using Interstice.Wasm.Structure;

namespace Interstice.Wasm.Compilation;

/// <summary>
/// Memory instructions (spec 2.4.6). Loads and stores are inline: the effective address
/// <c>(ulong)(uint)address + offset</c> is checked explicitly against the memory size kept in a
/// local (reloaded after calls and <c>memory.grow</c>), then the access goes through the base
/// address kept in a local, unaligned. Nothing relies on a hardware fault.
/// </summary>
internal sealed partial class FunctionCompiler
{
    private void Load(Opcode opcode, MemoryArgument argument)
    {
        var (width, load, widen, type) = opcode switch
        {
            Opcode.I32Load => (4, OpCodes.Ldind_I4, (OpCode?)null, ValueType.I32),
            Opcode.I64Load => (8, OpCodes.Ldind_I8, null, ValueType.I64),
            Opcode.F32Load => (4, OpCodes.Ldind_R4, null, ValueType.F32),
            Opcode.F64Load => (8, OpCodes.Ldind_R8, null, ValueType.F64),
            Opcode.I32Load8S => (1, OpCodes.Ldind_I1, null, ValueType.I32),
            Opcode.I32Load8U => (1, OpCodes.Ldind_U1, null, ValueType.I32),
            Opcode.I32Load16S => (2, OpCodes.Ldind_I2, null, ValueType.I32),
            Opcode.I32Load16U => (2, OpCodes.Ldind_U2, null, ValueType.I32),
            Opcode.I64Load8S => (1, OpCodes.Ldind_I1, OpCodes.Conv_I8, ValueType.I64),
            Opcode.I64Load8U => (1, OpCodes.Ldind_U1, OpCodes.Conv_U8, ValueType.I64),
            Opcode.I64Load16S => (2, OpCodes.Ldind_I2, OpCodes.Conv_I8, ValueType.I64),
            Opcode.I64Load16U => (2, OpCodes.Ldind_U2, OpCodes.Conv_U8, ValueType.I64),
            Opcode.I64Load32S => (4, OpCodes.Ldind_I4, OpCodes.Conv_I8, ValueType.I64),
            _ => (4, OpCodes.Ldind_U4, OpCodes.Conv_U8, ValueType.I64),
        };
        EmitCheckedAddress(argument.Offset, width);
        if (width > 1) _il.Emit(OpCodes.Unaligned, (byte)1);
        _il.Emit(load);
        if (widen is { } conversion) _il.Emit(conversion);
        Pop();
        Push(type);
    }

    private void Store(Opcode opcode, MemoryArgument argument)
    {
        var (width, store, narrow) = opcode switch
        {
            Opcode.I32Store => (4, OpCodes.Stind_I4, false),
            Opcode.I64Store => (8, OpCodes.Stind_I8, false),
            Opcode.F32Store => (4, OpCodes.Stind_R4, false),
            Opcode.F64Store => (8, OpCodes.Stind_R8, false),
            Opcode.I32Store8 => (1, OpCodes.Stind_I1, false),
            Opcode.I32Store16 => (2, OpCodes.Stind_I2, false),
            Opcode.I64Store8 => (1, OpCodes.Stind_I1, true),
            Opcode.I64Store16 => (2, OpCodes.Stind_I2, true),
            _ => (4, OpCodes.Stind_I4, true),
        };
        var valueType = Pop();
        var value = _temps.Rent(ClrTypes.Of(valueType));
        _il.Emit(OpCodes.Stloc, value);
        EmitCheckedAddress(argument.Offset, width);
        _il.Emit(OpCodes.Ldloc, value);
        _temps.Return(value);
        if (narrow) _il.Emit(OpCodes.Conv_I4);
        if (width > 1) _il.Emit(OpCodes.Unaligned, (byte)1);
        _il.Emit(store);
        Pop();
    }

    /// <summary>Replaces the i32 address on the stack with the native address of <paramref name="width"/> bytes at address + offset, or traps.</summary>
    private void EmitCheckedAddress(uint offset, int width)
    {
        if (_fastLoop is { } loop && loop.Plan.UncheckedAccesses.Contains(_instructionStart))
        {
            EmitUncheckedAddress(offset);
            return;
        }
        _il.Emit(OpCodes.Conv_U8);
        if (offset != 0)
        {
            _il.Emit(OpCodes.Ldc_I8, (long)offset);
            _il.Emit(OpCodes.Add);
        }

        // effective <= size - width, compared signed: both sides are far from 2^63, and a memory
        // smaller than the access makes the right side negative. The JIT hoists size - width out
        // of loops (the size local only changes after calls and memory.grow), so each access
        // costs one compare and branch: 10 to 25% faster than effective + width <= size on the
        // memory-bound kernels of bench/ (matmul, nbody, sort, sha256). The effective address
        // stays on the stack (dup) rather than in a temporary local: a local shared by many
        // accesses made the JIT copy it between registers around every access.
        var ok = _il.DefineLabel();
        _il.Emit(OpCodes.Dup);
        _il.Emit(OpCodes.Ldloc, _memorySize!);
        _il.Emit(OpCodes.Ldc_I4, width);
        _il.Emit(OpCodes.Conv_I8);
        _il.Emit(OpCodes.Sub);
        _il.Emit(OpCodes.Ble, ok);
        // Trap path, with the effective address still on the stack.
        WriteBackFuelForTrap();
        _il.Emit(OpCodes.Ldc_I4, width);
        LoadContext();
        _il.Emit(OpCodes.Call, RuntimeMembers.CreateMemoryOutOfBounds);
        _il.Emit(OpCodes.Throw);
        _il.MarkLabel(ok);

        _il.Emit(OpCodes.Conv_U);
        _il.Emit(OpCodes.Ldloc, _memoryBase!);
        _il.Emit(OpCodes.Add);
    }

    private void ReloadMemorySize()
    {
        if (_memorySize is null) return;
        LoadContext();
        _il.Emit(OpCodes.Ldfld, RuntimeMembers.Memory);
        _il.Emit(OpCodes.Ldfld, RuntimeMembers.MemorySize);
        _il.Emit(OpCodes.Stloc, _memorySize);
    }

    private void MemorySize()
    {
        _il.Emit(OpCodes.Ldloc, _memorySize!);
        _il.Emit(OpCodes.Ldc_I4, 16);
        _il.Emit(OpCodes.Shr_Un);
        _il.Emit(OpCodes.Conv_I4);
        Push(ValueType.I32);
    }

    private void MemoryGrow()
    {
        LoadContext();
        _il.Emit(OpCodes.Call, RuntimeMembers.Method(typeof(MemoryOps), nameof(MemoryOps.Grow)));
        ReloadMemorySize();
    }

    private void MemoryInit(int segmentIndex)
    {
        _il.Emit(OpCodes.Ldc_I4, segmentIndex);
        CallMemoryOp(nameof(MemoryOps.Init), 3);
    }

    private void DataDrop(int segmentIndex)
    {
        _il.Emit(OpCodes.Ldc_I4, segmentIndex);
        CallMemoryOp(nameof(MemoryOps.DropData), 0);
    }

    private void MemoryCopy() => CallMemoryOp(nameof(MemoryOps.Copy), 3);

    private void MemoryFill() => CallMemoryOp(nameof(MemoryOps.Fill), 3);

    private void CallMemoryOp(string name, int operands)
    {
        WriteBackFuelForTrap();
        LoadContext();
        _il.Emit(OpCodes.Call, RuntimeMembers.Method(typeof(MemoryOps), name));
        Pop(operands);
    }
}
