using System.Reflection.Emit;
using Interstice.Wasm.Binary;
using Interstice.Wasm.Structure;

namespace Interstice.Wasm.Compilation;

/// <summary>Control instructions (spec 2.4.8): blocks, branches, returns.</summary>
internal sealed partial class FunctionCompiler
{
    private void OpenBlock(FrameKind kind, ref WasmReader reader)
    {
        var (parameters, results) = ResolveBlockType(reader.ReadBlockType());
        var frame = new ControlFrame { Kind = kind, Parameters = parameters, Results = results, Label = _il.DefineLabel() };
        switch (kind)
        {
            case FrameKind.Loop:
                FlushFuel();
                _il.MarkLabel(frame.Label);
                EmitInterruptCheck();
                break;
            case FrameKind.If:
                Pop();
                FlushFuel();
                frame.ElseLabel = _il.DefineLabel();
                _il.Emit(OpCodes.Brfalse, frame.ElseLabel);
                break;
        }
        frame.Height = _stack.Count - parameters.Length;
        _frames.Add(frame);
    }

    /// <summary>
    /// The interrupt check at a loop header: every unbounded execution goes through one. (The
    /// fuel check is on the branches back to the header, right after their charge, see
    /// <see cref="EmitBranchTo"/>.)
    /// </summary>
    private void EmitInterruptCheck()
    {
        var ok = _il.DefineLabel();
        LoadContext();
        _il.Emit(OpCodes.Volatile);
        _il.Emit(OpCodes.Ldfld, RuntimeMembers.InterruptRequested);
        _il.Emit(OpCodes.Brfalse, ok);
        WriteBackFuelForTrap();
        LoadContext();
        _il.Emit(OpCodes.Call, RuntimeMembers.CreateInterrupted);
        _il.Emit(OpCodes.Throw);
        _il.MarkLabel(ok);
    }

    private (ValueType[] Parameters, ValueType[] Results) ResolveBlockType(BlockType blockType) => blockType.Kind switch
    {
        BlockTypeKind.Empty => ([], []),
        BlockTypeKind.SingleResult => ([], [blockType.Result]),
        _ => (_definition.Types[blockType.TypeIndex].Parameters.ToArray(), _definition.Types[blockType.TypeIndex].Results.ToArray()),
    };

    private void Else()
    {
        var frame = _frames[^1];
        if (!_unreachable)
        {
            FlushFuel();
            _il.Emit(OpCodes.Br, frame.Label);
            frame.LabelUsed = true;
        }
        frame.HasElse = true;
        _il.MarkLabel(frame.ElseLabel);
        ResetStack(frame.Height, frame.Parameters);
        _unreachable = false;
    }

    private void End()
    {
        var frame = _frames[^1];
        _frames.RemoveAt(_frames.Count - 1);
        if (frame.Kind == FrameKind.Function)
        {
            if (!_unreachable) EmitReturn();
            return;
        }
        // Nothing may be emitted after an unconditional branch unless a label follows: CIL would assume an empty stack there.
        if (!_unreachable) FlushFuel();
        bool reachable = !_unreachable;
        if (frame.Kind == FrameKind.If && !frame.HasElse)
        {
            // The implicit else passes the parameters through: same types as the results.
            _il.MarkLabel(frame.ElseLabel);
            reachable = true;
        }
        if (frame.Kind != FrameKind.Loop && frame.LabelUsed)
        {
            _il.MarkLabel(frame.Label);
            reachable = true;
        }
        ResetStack(frame.Height, frame.Results);
        _unreachable = !reachable;
    }

    private void Br(int depth)
    {
        FlushFuel();
        EmitBranchTo(_frames[^(depth + 1)]);
        _unreachable = true;
    }

    /// <remarks>
    /// With fuel, the instructions before the <c>br_if</c> are charged on the taken path only; the
    /// fall-through path keeps counting and pays for them with what follows, so that a loop whose
    /// exit test is a <c>br_if</c> pays one charge per iteration, not two.
    /// </remarks>
    private void BrIf(int depth)
    {
        Pop();
        var target = _frames[^(depth + 1)];
        if (_fuel is null)
        {
            if (target.Kind != FrameKind.Function && ExtraOperands(target) == 0)
            {
                _il.Emit(OpCodes.Brtrue, target.Label);
                target.LabelUsed = true;
                return;
            }
        }
        int pending = _pendingFuel;
        var skip = _il.DefineLabel();
        _il.Emit(OpCodes.Brfalse, skip);
        FlushFuel();
        EmitBranchTo(target);
        _il.MarkLabel(skip);
        _pendingFuel = pending;
    }

    /// <summary>A CIL <c>switch</c> to the targets' labels, through a small stub for targets that must first drop operands (or return).</summary>
    private void BrTable(ref WasmReader reader)
    {
        int count = reader.ReadCount();
        var depths = new int[count];
        for (int i = 0; i < count; i++) depths[i] = (int)reader.ReadVarUInt32();
        int defaultDepth = (int)reader.ReadVarUInt32();
        Pop();
        FlushFuel();

        var stubs = new Dictionary<int, Label>();
        var labels = new Label[count];
        for (int i = 0; i < count; i++)
        {
            var target = _frames[^(depths[i] + 1)];
            if (target.Kind != FrameKind.Function && ExtraOperands(target) == 0 && !(target.Kind == FrameKind.Loop && _fuel is not null))
            {
                labels[i] = target.Label;
                target.LabelUsed = true;
            }
            else if (!stubs.TryGetValue(depths[i], out labels[i]))
            {
                labels[i] = stubs[depths[i]] = _il.DefineLabel();
            }
        }
        if (count > 0) _il.Emit(OpCodes.Switch, labels);
        else _il.Emit(OpCodes.Pop);
        EmitBranchTo(_frames[^(defaultDepth + 1)]);
        foreach (var (depth, stub) in stubs)
        {
            _il.MarkLabel(stub);
            EmitBranchTo(_frames[^(depth + 1)]);
        }
        _unreachable = true;
    }

    private void Return()
    {
        EmitReturn();
        _unreachable = true;
    }

    private void Unreachable()
    {
        EmitTrap(TrapKind.Unreachable);
        _pendingFuel = 0;
        _unreachable = true;
    }

    /// <summary>Operands below the branch values that are not the target's: they must be dropped before branching.</summary>
    private int ExtraOperands(ControlFrame target) => _stack.Count - target.BranchTypes.Length - target.Height;

    /// <summary>Branches to <paramref name="target"/> (returns for the function frame), dropping extra operands first. Does not change the tracked stack.</summary>
    private void EmitBranchTo(ControlFrame target)
    {
        if (target.Kind == FrameKind.Function)
        {
            EmitReturn();
            return;
        }
        DropExtraOperands(target.BranchTypes.Length, target.Height);
        // A branch back to a loop header starts another iteration: check the fuel just charged.
        if (target.Kind == FrameKind.Loop && _fuel is not null) EmitFuelCheck();
        _il.Emit(OpCodes.Br, target.Label);
        target.LabelUsed = true;
    }

    /// <summary>Stores the branch values in temporaries, pops the operands below them down to the target's height, reloads the values.</summary>
    private void DropExtraOperands(int valueCount, int height)
    {
        int extras = _stack.Count - valueCount - height;
        if (extras == 0) return;
        var values = SpillTop(valueCount);
        for (int i = 0; i < extras; i++) _il.Emit(OpCodes.Pop);
        ReloadAndReturn(values);
    }

    /// <summary>Returns the function's results from the top of the stack: the first as the return value, the others through the out parameters.</summary>
    private void EmitReturn()
    {
        FlushFuel();
        var results = _type.Results;
        int extras = _stack.Count - results.Length;
        if (results.Length <= 1)
        {
            DropExtraOperands(results.Length, 0);
        }
        else
        {
            var values = SpillTop(results.Length);
            for (int i = 0; i < extras; i++) _il.Emit(OpCodes.Pop);
            for (int i = 1; i < values.Length; i++)
            {
                LoadArgument(_contextArgument + i);
                _il.Emit(OpCodes.Ldloc, values[i]);
                _il.Emit(OpCodes.Stobj, values[i].LocalType);
                _temps.Return(values[i]);
            }
            _il.Emit(OpCodes.Ldloc, values[0]);
            _temps.Return(values[0]);
        }
        EmitEpilogue();
        _il.Emit(OpCodes.Ret);
    }
}
