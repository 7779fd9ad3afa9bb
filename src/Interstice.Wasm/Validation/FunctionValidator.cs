using System.Runtime.CompilerServices;
using Interstice.Wasm.Binary;
using Interstice.Wasm.Structure;

namespace Interstice.Wasm.Validation;

/// <summary>
/// Type-checks function bodies with the algorithm of the spec's validation appendix: one pass
/// over the instructions with an operand stack of value types (<see cref="OperandStack.Unknown"/>
/// for the polymorphic stack after an unconditional branch) and a stack of control frames. One
/// instance validates every body of a module and reuses its stacks, so validation does not
/// allocate per instruction. The decoder has already checked the encoding (opcodes, immediates,
/// nesting), so only typing and index rules are checked here.
/// </summary>
internal sealed partial class FunctionValidator
{
    private const ValueType Unknown = OperandStack.Unknown;

    private static readonly ValueType[] NoTypes = [];
    private static readonly ValueType[][] SingleTypes = BuildSingleTypes();

    private readonly ModuleDefinition _module;
    private readonly bool[] _declaredFunctions;
    private readonly ValueType[][] _parameters;
    private readonly ValueType[][] _results;
    private readonly OperandStack _operands = new();
    private readonly ControlStack _controls = new();
    private ValueType[] _locals = new ValueType[64];
    private int _localCount;
    private int[] _branchTargets = new int[16];
    private int _functionIndex;

    // The innermost frame's height and reachability, kept here because every pop reads them.
    private int _frameHeight;
    private bool _frameUnreachable;

    /// <param name="module">The module whose bodies are validated.</param>
    /// <param name="declaredFunctions">Functions that <c>ref.func</c> may name (spec C.refs).</param>
    public FunctionValidator(ModuleDefinition module, bool[] declaredFunctions)
    {
        _module = module;
        _declaredFunctions = declaredFunctions;
        // Block types by type index need the types as arrays for the control frames.
        _parameters = new ValueType[module.Types.Length][];
        _results = new ValueType[module.Types.Length][];
        for (int i = 0; i < module.Types.Length; i++)
        {
            _parameters[i] = module.Types[i].Parameters.ToArray();
            _results[i] = module.Types[i].Results.ToArray();
        }
    }

    /// <summary>Validates the body of the <paramref name="definedIndex"/>-th function defined by the module (imports not counted).</summary>
    public void Validate(int definedIndex)
    {
        var body = _module.Bodies[definedIndex];
        _functionIndex = _module.ImportedFunctionCount + definedIndex;
        int typeIndex = _module.FunctionTypeIndices[definedIndex];
        SetUpLocals(_parameters[typeIndex], body);

        _operands.Reset();
        _controls.Reset();
        PushFrame(FrameKind.Function, NoTypes, _results[typeIndex]);

        var reader = new WasmReader(_module.Bytes, body.CodeOffset, body.CodeOffset + body.CodeLength, "code");
        ValidateCode(ref reader);

        body.MaxStackHeight = _operands.MaxCount;
        body.MaxControlDepth = _controls.MaxCount;
    }

    private void SetUpLocals(ValueType[] parameters, FunctionBody body)
    {
        _localCount = parameters.Length + body.LocalCount;
        if (_locals.Length < _localCount) _locals = new ValueType[Math.Max(_localCount, _locals.Length * 2)];
        parameters.CopyTo(_locals, 0);
        int at = parameters.Length;
        foreach (var declaration in body.Locals)
        {
            _locals.AsSpan(at, declaration.Count).Fill(declaration.Type);
            at += declaration.Count;
        }
    }

    /// <summary>Validates instructions until the end of the function body closes the last frame.</summary>
    /// <remarks>One loop for the whole body rather than a call per instruction: the method's set-up is then paid once per function.</remarks>
    private void ValidateCode(ref WasmReader reader)
    {
        while (_controls.Count > 0)
        {
            int offset = reader.Position;
            byte opcode = reader.ReadByte();
            if (opcode is >= (byte)Opcode.I32Eqz and <= (byte)Opcode.I64Extend32S)
            {
                ApplyNumeric(InstructionSignatures.Numeric[opcode], offset);
                continue;
            }
            if (opcode is >= (byte)Opcode.I32Load and <= (byte)Opcode.I64Store32)
            {
                ValidateMemoryAccess(ref reader, opcode, offset);
                continue;
            }

            switch ((Opcode)opcode)
            {
                case Opcode.Unreachable:
                    SetUnreachable();
                    break;
                case Opcode.Nop:
                    break;
                case Opcode.Block:
                case Opcode.Loop:
                case Opcode.If:
                    {
                        var (startTypes, endTypes) = ReadBlockType(ref reader, offset);
                        if (opcode == (byte)Opcode.If) Pop(ValueType.I32, offset);
                        PopValues(startTypes, offset);
                        var kind = opcode switch { (byte)Opcode.Block => FrameKind.Block, (byte)Opcode.Loop => FrameKind.Loop, _ => FrameKind.If };
                        PushFrame(kind, startTypes, endTypes);
                        PushValues(startTypes);
                        break;
                    }
                case Opcode.Else:
                    {
                        // The decoder guarantees that the innermost frame is an `if` without an `else` yet.
                        var frame = PopFrame(offset);
                        PushFrame(FrameKind.Else, frame.StartTypes, frame.EndTypes);
                        PushValues(frame.StartTypes);
                        break;
                    }
                case Opcode.End:
                    {
                        var frame = PopFrame(offset);
                        if (frame.Kind == FrameKind.If && !frame.StartTypes.AsSpan().SequenceEqual(frame.EndTypes))
                            throw Error(offset, ValidationMessages.IfWithoutElse(frame.StartTypes, frame.EndTypes));
                        if (_controls.Count > 0) PushValues(frame.EndTypes);
                        break;
                    }
                case Opcode.Br:
                    PopValues(ReadLabel(ref reader, offset).LabelTypes, offset);
                    SetUnreachable();
                    break;
                case Opcode.BrIf:
                    {
                        var labelTypes = ReadLabel(ref reader, offset).LabelTypes;
                        Pop(ValueType.I32, offset);
                        PopValues(labelTypes, offset);
                        PushValues(labelTypes);
                        break;
                    }
                case Opcode.BrTable:
                    ValidateBranchTable(ref reader, offset);
                    break;
                case Opcode.Return:
                    PopValues(_controls.Label(_controls.Count - 1).EndTypes, offset);
                    SetUnreachable();
                    break;
                case Opcode.Call:
                    {
                        int function = reader.ReadIndex();
                        if ((uint)function >= (uint)_module.FunctionCount) throw Error(offset, ValidationMessages.Unknown("function", (uint)function));
                        int typeIndex = _module.GetFunctionTypeIndex(function);
                        PopValues(_parameters[typeIndex], offset);
                        PushValues(_results[typeIndex]);
                        break;
                    }
                case Opcode.CallIndirect:
                    {
                        int typeIndex = reader.ReadIndex();
                        int table = reader.ReadIndex();
                        var elementType = TableElementType(table, offset);
                        if (elementType != ValueType.FuncRef)
                            throw Error(offset, ValidationMessages.CallIndirectTable(table, elementType));
                        if ((uint)typeIndex >= (uint)_module.Types.Length) throw Error(offset, ValidationMessages.Unknown("type", (uint)typeIndex));
                        Pop(ValueType.I32, offset);
                        PopValues(_parameters[typeIndex], offset);
                        PushValues(_results[typeIndex]);
                        break;
                    }
                case Opcode.Drop:
                    Pop(offset);
                    break;
                case Opcode.Select:
                    {
                        Pop(ValueType.I32, offset);
                        var first = Pop(offset);
                        var second = Pop(offset);
                        // Untyped select only takes numbers and vectors; references need the typed form.
                        if (!IsNumberVectorOrUnknown(first) || !IsNumberVectorOrUnknown(second))
                            throw Error(offset, ValidationMessages.SelectNeedsNumbers(second, first));
                        if (first != second && first != Unknown && second != Unknown)
                            throw Error(offset, ValidationMessages.SelectOperandsDiffer(second, first));
                        _operands.Push(first == Unknown ? second : first);
                        break;
                    }
                case Opcode.SelectTyped:
                    {
                        int count = reader.ReadCount();
                        if (count != 1) throw Error(offset, ValidationMessages.SelectArity(count));
                        var type = reader.ReadValueType();
                        Pop(ValueType.I32, offset);
                        Pop(type, offset);
                        Pop(type, offset);
                        _operands.Push(type);
                        break;
                    }
                case Opcode.LocalGet:
                    _operands.Push(ReadLocal(ref reader, offset));
                    break;
                case Opcode.LocalSet:
                    Pop(ReadLocal(ref reader, offset), offset);
                    break;
                case Opcode.LocalTee:
                    {
                        var type = ReadLocal(ref reader, offset);
                        Pop(type, offset);
                        _operands.Push(type);
                        break;
                    }
                case Opcode.GlobalGet:
                    _operands.Push(ReadGlobal(ref reader, offset, out _).ValueType);
                    break;
                case Opcode.GlobalSet:
                    {
                        var global = ReadGlobal(ref reader, offset, out int index);
                        if (!global.Mutable) throw Error(offset, ValidationMessages.GlobalImmutable(index));
                        Pop(global.ValueType, offset);
                        break;
                    }
                case Opcode.TableGet:
                    {
                        var elementType = TableElementType(reader.ReadIndex(), offset);
                        Pop(ValueType.I32, offset);
                        _operands.Push(elementType);
                        break;
                    }
                case Opcode.TableSet:
                    {
                        var elementType = TableElementType(reader.ReadIndex(), offset);
                        Pop(elementType, offset);
                        Pop(ValueType.I32, offset);
                        break;
                    }
                case Opcode.MemorySize:
                    RequireMemory(offset);
                    reader.ReadByte();
                    _operands.Push(ValueType.I32);
                    break;
                case Opcode.MemoryGrow:
                    RequireMemory(offset);
                    reader.ReadByte();
                    Pop(ValueType.I32, offset);
                    _operands.Push(ValueType.I32);
                    break;
                case Opcode.I32Const:
                    reader.ReadVarInt32();
                    _operands.Push(ValueType.I32);
                    break;
                case Opcode.I64Const:
                    reader.ReadVarInt64();
                    _operands.Push(ValueType.I64);
                    break;
                case Opcode.F32Const:
                    reader.ReadBytes(4);
                    _operands.Push(ValueType.F32);
                    break;
                case Opcode.F64Const:
                    reader.ReadBytes(8);
                    _operands.Push(ValueType.F64);
                    break;
                case Opcode.RefNull:
                    _operands.Push(reader.ReadReferenceType());
                    break;
                case Opcode.RefIsNull:
                    {
                        var type = Pop(offset);
                        if (type != Unknown && !type.IsReference())
                            throw Error(offset, ValidationMessages.RefIsNullOperand(type));
                        _operands.Push(ValueType.I32);
                        break;
                    }
                case Opcode.RefFunc:
                    {
                        int function = reader.ReadIndex();
                        if ((uint)function >= (uint)_module.FunctionCount) throw Error(offset, ValidationMessages.Unknown("function", (uint)function));
                        if (!_declaredFunctions[function])
                            throw Error(offset, ValidationMessages.UndeclaredReference(function));
                        _operands.Push(ValueType.FuncRef);
                        break;
                    }
                case Opcode.PrefixFC:
                    reader.Position = offset;
                    ValidatePrefixFC(ref reader, offset);
                    break;
                case Opcode.PrefixSimd:
                    reader.Position = offset;
                    ValidatePrefixSimd(ref reader, offset);
                    break;
                default:
                    // Unreachable for decoded modules: the decoder rejects every other opcode.
                    throw Error(offset, ValidationMessages.IllegalOpcode(opcode));
            }
        }
    }

    private void ValidatePrefixFC(ref WasmReader reader, int offset)
    {
        var opcode = reader.ReadOpcode();
        switch (opcode)
        {
            case >= Opcode.I32TruncSatF32S and <= Opcode.I64TruncSatF64U:
                ApplyNumeric(InstructionSignatures.SaturatingTruncations[opcode - Opcode.I32TruncSatF32S], offset);
                break;
            case Opcode.MemoryInit:
                {
                    int segment = reader.ReadIndex();
                    reader.ReadByte();
                    RequireMemory(offset);
                    RequireDataSegment(segment, offset);
                    PopI32s(3, offset);
                    break;
                }
            case Opcode.DataDrop:
                RequireDataSegment(reader.ReadIndex(), offset);
                break;
            case Opcode.MemoryCopy:
                reader.ReadByte();
                reader.ReadByte();
                RequireMemory(offset);
                PopI32s(3, offset);
                break;
            case Opcode.MemoryFill:
                reader.ReadByte();
                RequireMemory(offset);
                PopI32s(3, offset);
                break;
            case Opcode.TableInit:
                {
                    int segment = reader.ReadIndex();
                    int table = reader.ReadIndex();
                    var tableType = TableElementType(table, offset);
                    var segmentType = ElementSegmentType(segment, offset);
                    if (tableType != segmentType)
                        throw Error(offset, ValidationMessages.TableInit(segmentType, tableType));
                    PopI32s(3, offset);
                    break;
                }
            case Opcode.ElemDrop:
                ElementSegmentType(reader.ReadIndex(), offset);
                break;
            case Opcode.TableCopy:
                {
                    var destination = TableElementType(reader.ReadIndex(), offset);
                    var source = TableElementType(reader.ReadIndex(), offset);
                    if (destination != source)
                        throw Error(offset, ValidationMessages.TableCopy(source, destination));
                    PopI32s(3, offset);
                    break;
                }
            case Opcode.TableGrow:
                {
                    var elementType = TableElementType(reader.ReadIndex(), offset);
                    Pop(ValueType.I32, offset);
                    Pop(elementType, offset);
                    _operands.Push(ValueType.I32);
                    break;
                }
            case Opcode.TableSize:
                TableElementType(reader.ReadIndex(), offset);
                _operands.Push(ValueType.I32);
                break;
            case Opcode.TableFill:
                {
                    var elementType = TableElementType(reader.ReadIndex(), offset);
                    Pop(ValueType.I32, offset);
                    Pop(elementType, offset);
                    Pop(ValueType.I32, offset);
                    break;
                }
            default:
                throw Error(offset, ValidationMessages.IllegalOpcode((int)opcode));
        }
    }

    private void ApplyNumeric(NumericSignature signature, int offset)
    {
        if (signature.IsBinary) Pop(signature.Second, offset);
        Pop(signature.First, offset);
        _operands.Push(signature.Result);
    }

    private void ValidateMemoryAccess(ref WasmReader reader, byte opcode, int offset)
    {
        var access = InstructionSignatures.MemoryAccesses[opcode - (byte)Opcode.I32Load];
        var argument = reader.ReadMemoryArgument();
        RequireMemory(offset);
        if (argument.AlignExponent > access.NaturalAlignment)
            throw Error(offset, ValidationMessages.Alignment(argument.AlignExponent, access.NaturalAlignment));
        if (opcode < (byte)Opcode.I32Store)
        {
            Pop(ValueType.I32, offset);
            _operands.Push(access.Type);
        }
        else
        {
            Pop(access.Type, offset);
            Pop(ValueType.I32, offset);
        }
    }

    private void ValidateBranchTable(ref WasmReader reader, int offset)
    {
        int count = reader.ReadCount();
        if (_branchTargets.Length < count) _branchTargets = new int[Math.Max(count, _branchTargets.Length * 2)];
        for (int i = 0; i < count; i++) _branchTargets[i] = reader.ReadIndex();
        int defaultLabel = reader.ReadIndex();

        Pop(ValueType.I32, offset);
        var defaultTypes = Label(defaultLabel, offset).LabelTypes;
        for (int i = 0; i < count; i++)
        {
            var types = Label(_branchTargets[i], offset).LabelTypes;
            if (types.Length != defaultTypes.Length)
                throw Error(offset, ValidationMessages.BranchTableArity(types.Length, defaultTypes.Length));
            CheckTopValues(types, offset);
        }
        PopValues(defaultTypes, offset);
        SetUnreachable();
    }

    private (ValueType[] StartTypes, ValueType[] EndTypes) ReadBlockType(ref WasmReader reader, int offset)
    {
        var blockType = reader.ReadBlockType();
        switch (blockType.Kind)
        {
            case BlockTypeKind.Empty:
                return (NoTypes, NoTypes);
            case BlockTypeKind.SingleResult:
                return (NoTypes, SingleTypes[(byte)blockType.Result]);
            default:
                if (blockType.TypeIndex >= (uint)_module.Types.Length) throw Error(offset, ValidationMessages.Unknown("type", blockType.TypeIndex));
                return (_parameters[blockType.TypeIndex], _results[blockType.TypeIndex]);
        }
    }

    private ref ControlFrame ReadLabel(ref WasmReader reader, int offset) => ref Label(reader.ReadIndex(), offset);

    private ref ControlFrame Label(int label, int offset)
    {
        if ((uint)label >= (uint)_controls.Count) throw Error(offset, ValidationMessages.Unknown("label", (uint)label));
        return ref _controls.Label(label);
    }

    private ValueType ReadLocal(ref WasmReader reader, int offset)
    {
        int index = reader.ReadIndex();
        if ((uint)index >= (uint)_localCount) throw Error(offset, ValidationMessages.Unknown("local", (uint)index));
        return _locals[index];
    }

    private GlobalType ReadGlobal(ref WasmReader reader, int offset, out int index)
    {
        index = reader.ReadIndex();
        if ((uint)index >= (uint)_module.GlobalCount) throw Error(offset, ValidationMessages.Unknown("global", (uint)index));
        return _module.GetGlobalType(index);
    }

    private ValueType TableElementType(int table, int offset)
    {
        if ((uint)table >= (uint)_module.TableCount) throw Error(offset, ValidationMessages.Unknown("table", (uint)table));
        return _module.GetTableType(table).ElementType;
    }

    private ValueType ElementSegmentType(int segment, int offset)
    {
        if ((uint)segment >= (uint)_module.Elements.Length) throw Error(offset, ValidationMessages.Unknown("elem segment", (uint)segment));
        return _module.Elements[segment].ElementType;
    }

    private void RequireMemory(int offset)
    {
        if (_module.MemoryCount == 0) throw Error(offset, "unknown memory 0");
    }

    private void RequireDataSegment(int segment, int offset)
    {
        // Without a data count section the decoder only lets through modules with no data segments.
        if ((uint)segment >= (uint)(_module.DataCount ?? _module.Data.Length)) throw Error(offset, ValidationMessages.Unknown("data segment", (uint)segment));
    }

    private ValueType Pop(int offset)
    {
        if (_operands.Count == _frameHeight)
        {
            if (_frameUnreachable) return Unknown;
            throw Error(offset, "type mismatch: expected a value, but the stack is empty");
        }
        return _operands.PopUnchecked();
    }

    private ValueType Pop(ValueType expected, int offset)
    {
        if (_operands.Count == _frameHeight) return PopAtFrameBottom(expected, offset);
        var actual = _operands.PopUnchecked();
        if (actual != expected && actual != Unknown && expected != Unknown) throw TypeMismatch(expected, actual, offset);
        return actual;
    }

    /// <summary>A pop with nothing left in the frame: fine (an unknown value) in unreachable code, an error otherwise.</summary>
    private ValueType PopAtFrameBottom(ValueType expected, int offset)
    {
        if (_frameUnreachable) return Unknown;
        throw Error(offset, ValidationMessages.ExpectedButEmpty(expected));
    }

    private InvalidModuleException TypeMismatch(ValueType expected, ValueType actual, int offset) =>
        Error(offset, ValidationMessages.Expected(expected, actual));

    private void PopI32s(int count, int offset)
    {
        for (int i = 0; i < count; i++) Pop(ValueType.I32, offset);
    }

    private void PopValues(ValueType[] types, int offset)
    {
        for (int i = types.Length - 1; i >= 0; i--) Pop(types[i], offset);
    }

    private void PushValues(ValueType[] types)
    {
        foreach (var type in types) _operands.Push(type);
    }

    /// <summary>Checks that the top of the stack matches <paramref name="types"/> without popping (br_table's non-default targets).</summary>
    private void CheckTopValues(ValueType[] types, int offset)
    {
        for (int i = 0; i < types.Length; i++)
        {
            int position = _operands.Count - types.Length + i;
            if (position < _frameHeight)
            {
                if (_frameUnreachable) continue;
                throw Error(offset, ValidationMessages.ExpectedButEmpty(types[i]));
            }
            var actual = _operands[position];
            if (actual != types[i] && actual != Unknown) throw TypeMismatch(types[i], actual, offset);
        }
    }

    private void PushFrame(FrameKind kind, ValueType[] startTypes, ValueType[] endTypes)
    {
        _controls.Push(kind, startTypes, endTypes, _operands.Count);
        _frameHeight = _operands.Count;
        _frameUnreachable = false;
    }

    /// <summary>Ends the innermost frame: its results must be exactly what is left on its part of the stack.</summary>
    private ControlFrame PopFrame(int offset)
    {
        PopValues(_controls.Top.EndTypes, offset);
        if (_operands.Count != _frameHeight)
            throw Error(offset, ValidationMessages.ExtraValues(_operands.Count - _frameHeight));
        var frame = _controls.Pop();
        if (_controls.Count > 0)
        {
            ref var top = ref _controls.Top;
            _frameHeight = top.Height;
            _frameUnreachable = top.Unreachable;
        }
        return frame;
    }

    private void SetUnreachable()
    {
        _operands.Truncate(_frameHeight);
        _controls.Top.Unreachable = true;
        _frameUnreachable = true;
    }

    private static bool IsNumberVectorOrUnknown(ValueType type) => type == Unknown || type.IsNumber() || type == ValueType.V128;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private InvalidModuleException Error(int offset, string reason) =>
        new(Describe.Function(_module, _functionIndex), offset, reason);

    private static ValueType[][] BuildSingleTypes()
    {
        var arrays = new ValueType[256][];
        foreach (var type in (ReadOnlySpan<ValueType>)[ValueType.I32, ValueType.I64, ValueType.F32, ValueType.F64, ValueType.V128, ValueType.FuncRef, ValueType.ExternRef])
            arrays[(byte)type] = [type];
        return arrays;
    }
}
