using System.Reflection.Emit;
using Interstice.Wasm.Binary;
using Interstice.Wasm.Runtime;
using Interstice.Wasm.Structure;

namespace Interstice.Wasm.Compilation;

/// <summary>
/// Translates one validated function body to CIL in a single pass. The WebAssembly operand stack
/// is the CIL evaluation stack; <see cref="_stack"/> tracks its types, and the control stack
/// (<see cref="_frames"/>) tracks blocks and their labels. Code after <c>br</c>, <c>return</c>
/// or <c>unreachable</c> is read but not emitted, up to the end of its block, because CIL wants
/// an empty stack there.
/// </summary>
/// <remarks>
/// The method's signature is <c>R1 f(P1 ... Pn, Context context, out R2 ... out Rm)</c>: the
/// context comes after the parameters so that a call just pushes it on top of the arguments
/// already on the stack. Parameters are CIL arguments 0..n-1 and declared locals are CIL locals.
/// </remarks>
internal sealed partial class FunctionCompiler
{
    private readonly ModuleCompiler _module;
    private readonly ModuleDefinition _definition;
    private readonly ILGenerator _il;
    private readonly TempLocals _temps;
    private readonly FunctionType _type;
    private readonly FunctionBody _body;
    private readonly int _functionIndex;
    private readonly int _parameterCount;
    private readonly short _contextArgument;
    private readonly ValueType[] _localTypes;
    private readonly LocalBuilder?[] _locals;
    private readonly bool _canonicalizeNaNs;

    private readonly List<ValueType> _stack = [];
    private readonly List<ControlFrame> _frames = [];
    private bool _unreachable;
    private Opcode _previousOpcode;

    /// <summary>An <c>int</c> local whose address measures how deep the native stack is.</summary>
    private LocalBuilder _stackProbe = null!;

    private LocalBuilder? _fuel;
    private int _pendingFuel;

    private LocalBuilder? _memoryBase;
    private LocalBuilder? _memorySize;

    public FunctionCompiler(ModuleCompiler module, int functionIndex, MethodBuilder method)
    {
        _module = module;
        _definition = module.Definition;
        _functionIndex = functionIndex;
        _type = _definition.GetFunctionType(functionIndex);
        _body = _definition.Bodies[functionIndex - _definition.ImportedFunctionCount];
        _il = method.GetILGenerator(Math.Max(64, _body.CodeLength * 4));
        _temps = new TempLocals(_il);
        _parameterCount = _type.Parameters.Length;
        _contextArgument = (short)_parameterCount;
        _canonicalizeNaNs = module.Options.CanonicalizeNaNs;

        _localTypes = new ValueType[_parameterCount + _body.LocalCount];
        _type.Parameters.CopyTo(_localTypes);
        int next = _parameterCount;
        foreach (var declaration in _body.Locals)
            for (int i = 0; i < declaration.Count; i++) _localTypes[next++] = declaration.Type;
        _locals = new LocalBuilder?[_localTypes.Length];
    }

    public void Compile()
    {
        var reader = new WasmReader(_definition.Bytes, _body.CodeOffset, _body.CodeOffset + _body.CodeLength, "code");
        bool usesMemory = ScanUsesMemory(reader);
        EmitPrologue(usesMemory);
        for (int i = _parameterCount; i < _locals.Length; i++) _locals[i] = _il.DeclareLocal(ClrTypes.Of(_localTypes[i]));
        _frames.Add(new ControlFrame { Kind = FrameKind.Function, Results = _type.Results.ToArray() });

        while (_frames.Count > 0)
        {
            var opcode = reader.ReadOpcode();
            if (_unreachable)
            {
                SkipUnreachable(opcode, ref reader);
                continue;
            }
            _pendingFuel++;
            CompileInstruction(opcode, ref reader);
            _previousOpcode = opcode;
        }
    }

    private static bool ScanUsesMemory(WasmReader reader)
    {
        while (!reader.AtEnd)
        {
            var opcode = reader.ReadOpcode();
            if (InstructionSkipper.UsesMemory(opcode)) return true;
            InstructionSkipper.SkipImmediates(opcode, ref reader);
        }
        return false;
    }

    /// <summary>
    /// Entry checks: fuel left, call depth, native stack (which also catches a pending interrupt,
    /// see <see cref="InstanceContext.StackLimit"/>); then the memory's base and size into locals.
    /// </summary>
    private void EmitPrologue(bool usesMemory)
    {
        _stackProbe = _il.DeclareLocal(typeof(int));
        if (_module.Options.ConsumeFuel)
        {
            _fuel = _il.DeclareLocal(typeof(long));
            LoadContext();
            _il.Emit(OpCodes.Ldfld, RuntimeMembers.Fuel);
            _il.Emit(OpCodes.Stloc, _fuel);
            EmitFuelCheck();
        }

        var depth = _temps.Rent(typeof(int));
        LoadContext();
        LoadContext();
        _il.Emit(OpCodes.Ldfld, RuntimeMembers.DepthLeft);
        _il.Emit(OpCodes.Ldc_I4_1);
        _il.Emit(OpCodes.Sub);
        _il.Emit(OpCodes.Dup);
        _il.Emit(OpCodes.Stloc, depth);
        _il.Emit(OpCodes.Stfld, RuntimeMembers.DepthLeft);
        _il.Emit(OpCodes.Ldloc, depth);
        _temps.Return(depth);
        var depthOk = _il.DefineLabel();
        _il.Emit(OpCodes.Ldc_I4_0);
        _il.Emit(OpCodes.Bgt, depthOk);
        LoadContext();
        _il.Emit(OpCodes.Call, RuntimeMembers.CreateDepthExhausted);
        _il.Emit(OpCodes.Throw);
        _il.MarkLabel(depthOk);

        EmitStackCheck(0);

        if (usesMemory)
        {
            _memoryBase = _il.DeclareLocal(typeof(nint));
            _memorySize = _il.DeclareLocal(typeof(ulong));
            LoadContext();
            _il.Emit(OpCodes.Ldfld, RuntimeMembers.Memory);
            _il.Emit(OpCodes.Dup);
            _il.Emit(OpCodes.Ldfld, RuntimeMembers.MemoryBase);
            _il.Emit(OpCodes.Stloc, _memoryBase);
            _il.Emit(OpCodes.Ldfld, RuntimeMembers.MemorySize);
            _il.Emit(OpCodes.Stloc, _memorySize);
        }
    }

    /// <summary>Traps unless <paramref name="reserve"/> more bytes of native stack fit above the thread's limit.</summary>
    private void EmitStackCheck(int reserve)
    {
        var ok = _il.DefineLabel();
        _il.Emit(OpCodes.Ldloca, _stackProbe);
        _il.Emit(OpCodes.Conv_U);
        if (reserve > 0)
        {
            _il.Emit(OpCodes.Ldc_I4, reserve);
            _il.Emit(OpCodes.Conv_U);
            _il.Emit(OpCodes.Sub);
        }
        LoadContext();
        _il.Emit(OpCodes.Ldfld, RuntimeMembers.StackLimit);
        _il.Emit(OpCodes.Bge_Un, ok);
        WriteBackFuelForTrap();
        LoadContext();
        _il.Emit(OpCodes.Ldc_I4, reserve);
        EmitThrowUnlessNull(_il, RuntimeMembers.CheckStackFailure);
        _il.MarkLabel(ok);
    }

    /// <summary>Calls <paramref name="check"/>, which returns an exception or null, and throws the exception if there is one.</summary>
    internal static void EmitThrowUnlessNull(ILGenerator il, System.Reflection.MethodInfo check)
    {
        var carryOn = il.DefineLabel();
        il.Emit(OpCodes.Call, check);
        il.Emit(OpCodes.Dup);
        il.Emit(OpCodes.Brfalse, carryOn);
        il.Emit(OpCodes.Throw);
        il.MarkLabel(carryOn);
        il.Emit(OpCodes.Pop);
    }

    /// <summary>The function epilogue, stack-neutral (results stay on the stack): fuel written back, depth given back.</summary>
    private void EmitEpilogue()
    {
        WriteBackFuel();
        LoadContext();
        LoadContext();
        _il.Emit(OpCodes.Ldfld, RuntimeMembers.DepthLeft);
        _il.Emit(OpCodes.Ldc_I4_1);
        _il.Emit(OpCodes.Add);
        _il.Emit(OpCodes.Stfld, RuntimeMembers.DepthLeft);
    }

    private void SkipUnreachable(Opcode opcode, ref WasmReader reader)
    {
        switch (opcode)
        {
            case Opcode.Block or Opcode.Loop or Opcode.If:
                reader.ReadBlockType();
                _frames.Add(new ControlFrame { Dead = true });
                break;
            case Opcode.Else:
                if (!_frames[^1].Dead) Else();
                break;
            case Opcode.End:
                if (_frames[^1].Dead) _frames.RemoveAt(_frames.Count - 1);
                else End();
                break;
            default:
                InstructionSkipper.SkipImmediates(opcode, ref reader);
                break;
        }
    }

    private void CompileInstruction(Opcode opcode, ref WasmReader reader)
    {
        switch (opcode)
        {
            case Opcode.Unreachable: Unreachable(); break;
            case Opcode.Nop: break;
            case Opcode.Block: OpenBlock(FrameKind.Block, ref reader); break;
            case Opcode.Loop: OpenBlock(FrameKind.Loop, ref reader); break;
            case Opcode.If: OpenBlock(FrameKind.If, ref reader); break;
            case Opcode.Else: Else(); break;
            case Opcode.End: End(); break;
            case Opcode.Br: Br((int)reader.ReadVarUInt32()); break;
            case Opcode.BrIf: BrIf((int)reader.ReadVarUInt32()); break;
            case Opcode.BrTable: BrTable(ref reader); break;
            case Opcode.Return: Return(); break;
            case Opcode.Call: Call((int)reader.ReadVarUInt32()); break;
            case Opcode.CallIndirect:
                {
                    int typeIndex = (int)reader.ReadVarUInt32();
                    CallIndirect(typeIndex, (int)reader.ReadVarUInt32());
                    break;
                }
            case Opcode.Drop:
                _il.Emit(OpCodes.Pop);
                Pop();
                break;
            case Opcode.Select: Select(); break;
            case Opcode.SelectTyped:
                for (int n = reader.ReadCount(); n > 0; n--) reader.ReadValueType();
                Select();
                break;
            case Opcode.LocalGet: LocalGet((int)reader.ReadVarUInt32()); break;
            case Opcode.LocalSet: LocalSet((int)reader.ReadVarUInt32()); break;
            case Opcode.LocalTee: LocalTee((int)reader.ReadVarUInt32()); break;
            case Opcode.GlobalGet: GlobalGet((int)reader.ReadVarUInt32()); break;
            case Opcode.GlobalSet: GlobalSet((int)reader.ReadVarUInt32()); break;
            case Opcode.TableGet: TableGet((int)reader.ReadVarUInt32()); break;
            case Opcode.TableSet: TableSet((int)reader.ReadVarUInt32()); break;
            case >= Opcode.I32Load and <= Opcode.I64Load32U: Load(opcode, reader.ReadMemoryArgument()); break;
            case >= Opcode.I32Store and <= Opcode.I64Store32: Store(opcode, reader.ReadMemoryArgument()); break;
            case Opcode.MemorySize:
                reader.ReadByte();
                MemorySize();
                break;
            case Opcode.MemoryGrow:
                reader.ReadByte();
                MemoryGrow();
                break;
            case Opcode.I32Const:
                _il.Emit(OpCodes.Ldc_I4, reader.ReadVarInt32());
                Push(ValueType.I32);
                break;
            case Opcode.I64Const:
                _il.Emit(OpCodes.Ldc_I8, reader.ReadVarInt64());
                Push(ValueType.I64);
                break;
            case Opcode.F32Const: F32Const(reader.ReadUInt32Fixed()); break;
            case Opcode.F64Const: F64Const(reader.ReadUInt64Fixed()); break;
            case Opcode.RefNull:
                Push(reader.ReadReferenceType());
                _il.Emit(OpCodes.Ldnull);
                break;
            case Opcode.RefIsNull:
                _il.Emit(OpCodes.Ldnull);
                _il.Emit(OpCodes.Ceq);
                Pop();
                Push(ValueType.I32);
                break;
            case Opcode.RefFunc: RefFunc((int)reader.ReadVarUInt32()); break;
            case Opcode.MemoryInit:
                {
                    int segment = (int)reader.ReadVarUInt32();
                    reader.ReadByte();
                    MemoryInit(segment);
                    break;
                }
            case Opcode.DataDrop: DataDrop((int)reader.ReadVarUInt32()); break;
            case Opcode.MemoryCopy:
                reader.ReadByte();
                reader.ReadByte();
                MemoryCopy();
                break;
            case Opcode.MemoryFill:
                reader.ReadByte();
                MemoryFill();
                break;
            case Opcode.TableInit:
                {
                    int segment = (int)reader.ReadVarUInt32();
                    TableInit(segment, (int)reader.ReadVarUInt32());
                    break;
                }
            case Opcode.ElemDrop: ElemDrop((int)reader.ReadVarUInt32()); break;
            case Opcode.TableCopy:
                {
                    int destination = (int)reader.ReadVarUInt32();
                    TableCopy(destination, (int)reader.ReadVarUInt32());
                    break;
                }
            case Opcode.TableGrow: TableGrow((int)reader.ReadVarUInt32()); break;
            case Opcode.TableSize: TableSize((int)reader.ReadVarUInt32()); break;
            case Opcode.TableFill: TableFill((int)reader.ReadVarUInt32()); break;
            default:
                if (!Numeric(opcode))
                    throw new InvalidOperationException($"opcode 0x{(int)opcode:x} is not supported by the compiler (function {_functionIndex})");
                break;
        }
    }

    // ---- operand stack bookkeeping ----

    private void Push(ValueType type) => _stack.Add(type);

    private ValueType Pop()
    {
        var type = _stack[^1];
        _stack.RemoveAt(_stack.Count - 1);
        return type;
    }

    private void Pop(int count) => _stack.RemoveRange(_stack.Count - count, count);

    private void ResetStack(int height, ValueType[] top)
    {
        _stack.RemoveRange(height, _stack.Count - height);
        _stack.AddRange(top);
    }

    /// <summary>Stores the top <paramref name="count"/> operands into new temporaries (deepest first in the array); the caller returns them.</summary>
    private LocalBuilder[] SpillTop(int count)
    {
        var temps = new LocalBuilder[count];
        for (int i = count - 1; i >= 0; i--)
        {
            temps[i] = _temps.Rent(ClrTypes.Of(_stack[_stack.Count - count + i]));
            _il.Emit(OpCodes.Stloc, temps[i]);
        }
        return temps;
    }

    private void ReloadAndReturn(LocalBuilder[] temps)
    {
        foreach (var temp in temps)
        {
            _il.Emit(OpCodes.Ldloc, temp);
            _temps.Return(temp);
        }
    }

    // ---- arguments, context, fuel ----

    private void LoadContext() => LoadArgument(_contextArgument);

    private void LoadArgument(int index)
    {
        switch (index)
        {
            case 0: _il.Emit(OpCodes.Ldarg_0); break;
            case 1: _il.Emit(OpCodes.Ldarg_1); break;
            case 2: _il.Emit(OpCodes.Ldarg_2); break;
            case 3: _il.Emit(OpCodes.Ldarg_3); break;
            case < 256: _il.Emit(OpCodes.Ldarg_S, (byte)index); break;
            default: _il.Emit(OpCodes.Ldarg, (short)index); break;
        }
    }

    private void StoreArgument(int index)
    {
        if (index < 256) _il.Emit(OpCodes.Starg_S, (byte)index);
        else _il.Emit(OpCodes.Starg, (short)index);
    }

    /// <summary>Charges the fuel of the instructions since the last charge (at the end of each straight-line run).</summary>
    private void FlushFuel()
    {
        if (_fuel is null || _pendingFuel == 0) return;
        _il.Emit(OpCodes.Ldloc, _fuel);
        _il.Emit(OpCodes.Ldc_I8, (long)_pendingFuel);
        _il.Emit(OpCodes.Sub);
        _il.Emit(OpCodes.Stloc, _fuel);
        _pendingFuel = 0;
    }

    /// <summary>Stores the fuel local into the context (before calls and returns; charges must be flushed).</summary>
    private void WriteBackFuel()
    {
        if (_fuel is null) return;
        FlushFuel();
        LoadContext();
        _il.Emit(OpCodes.Ldloc, _fuel);
        _il.Emit(OpCodes.Stfld, RuntimeMembers.Fuel);
    }

    /// <summary>On a trap path: stores the fuel local, minus what is pending, without changing the pending count of the hot path.</summary>
    private void WriteBackFuelForTrap()
    {
        if (_fuel is null) return;
        LoadContext();
        _il.Emit(OpCodes.Ldloc, _fuel);
        if (_pendingFuel > 0)
        {
            _il.Emit(OpCodes.Ldc_I8, (long)_pendingFuel);
            _il.Emit(OpCodes.Sub);
        }
        _il.Emit(OpCodes.Stfld, RuntimeMembers.Fuel);
    }

    private void ReloadFuel()
    {
        if (_fuel is null) return;
        LoadContext();
        _il.Emit(OpCodes.Ldfld, RuntimeMembers.Fuel);
        _il.Emit(OpCodes.Stloc, _fuel);
    }

    /// <summary>Traps with <see cref="TrapKind.OutOfFuel"/> when no fuel is left (zero or overdrawn).</summary>
    private void EmitFuelCheck()
    {
        var ok = _il.DefineLabel();
        _il.Emit(OpCodes.Ldloc, _fuel!);
        _il.Emit(OpCodes.Ldc_I4_0);
        _il.Emit(OpCodes.Conv_I8);
        _il.Emit(OpCodes.Bgt, ok);
        LoadContext();
        _il.Emit(OpCodes.Call, RuntimeMembers.CreateOutOfFuel);
        _il.Emit(OpCodes.Throw);
        _il.MarkLabel(ok);
    }

    /// <summary>Emits an unconditional trap of <paramref name="kind"/>.</summary>
    private void EmitTrap(TrapKind kind)
    {
        WriteBackFuelForTrap();
        _il.Emit(OpCodes.Ldc_I4, (int)kind);
        _il.Emit(OpCodes.Call, RuntimeMembers.CreateTrap);
        _il.Emit(OpCodes.Throw);
    }
}
