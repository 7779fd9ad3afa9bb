using System.Reflection.Emit;
using Interstice.Wasm.Runtime;

namespace Interstice.Wasm.Compilation;

/// <summary>Parametric, variable, reference and table instructions (spec 2.4.2 to 2.4.5).</summary>
internal sealed partial class FunctionCompiler
{
    private void Select()
    {
        Pop();
        var type = Pop();
        var condition = _temps.Rent(typeof(int));
        var second = _temps.Rent(ClrTypes.Of(type));
        _il.Emit(OpCodes.Stloc, condition);
        _il.Emit(OpCodes.Stloc, second);
        var keepFirst = _il.DefineLabel();
        _il.Emit(OpCodes.Ldloc, condition);
        _il.Emit(OpCodes.Brtrue, keepFirst);
        _il.Emit(OpCodes.Pop);
        _il.Emit(OpCodes.Ldloc, second);
        _il.MarkLabel(keepFirst);
        _temps.Return(condition);
        _temps.Return(second);
    }

    private void LocalGet(int index)
    {
        _il.Emit(OpCodes.Ldloc, _locals[index]);
        Push(_localTypes[index]);
    }

    private void LocalSet(int index)
    {
        _il.Emit(OpCodes.Stloc, _locals[index]);
        Pop();
    }

    private void LocalTee(int index)
    {
        _il.Emit(OpCodes.Dup);
        _il.Emit(OpCodes.Stloc, _locals[index]);
    }

    private void GlobalGet(int index)
    {
        var type = _definition.GetGlobalType(index).ValueType;
        LoadContext();
        _il.Emit(OpCodes.Ldfld, _module.Layout.GlobalFields[index]);
        if (_module.Layout.GlobalIsCell[index]) LoadFromCell(type);
        Push(type);
    }

    private void GlobalSet(int index)
    {
        var type = Pop();
        var value = _temps.Rent(ClrTypes.Of(type));
        _il.Emit(OpCodes.Stloc, value);
        LoadContext();
        if (_module.Layout.GlobalIsCell[index])
        {
            _il.Emit(OpCodes.Ldfld, _module.Layout.GlobalFields[index]);
            if (type.IsReference() || type == ValueType.V128)
            {
                _il.Emit(OpCodes.Ldloc, value);
                _il.Emit(OpCodes.Stfld, type == ValueType.V128 ? RuntimeMembers.GlobalVector : RuntimeMembers.GlobalReference);
            }
            else
            {
                _il.Emit(OpCodes.Ldflda, RuntimeMembers.GlobalBits);
                _il.Emit(OpCodes.Ldloc, value);
                _il.Emit(StoreIndirect(type));
            }
        }
        else
        {
            _il.Emit(OpCodes.Ldloc, value);
            _il.Emit(OpCodes.Stfld, _module.Layout.GlobalFields[index]);
        }
        _temps.Return(value);
    }

    /// <summary>With a <see cref="Global"/> cell on the stack: loads its value (numbers are read from the low bytes of its bits).</summary>
    private void LoadFromCell(ValueType type)
    {
        if (type.IsReference() || type == ValueType.V128)
        {
            _il.Emit(OpCodes.Ldfld, type == ValueType.V128 ? RuntimeMembers.GlobalVector : RuntimeMembers.GlobalReference);
            return;
        }
        _il.Emit(OpCodes.Ldflda, RuntimeMembers.GlobalBits);
        _il.Emit(type switch
        {
            ValueType.I32 => OpCodes.Ldind_I4,
            ValueType.I64 => OpCodes.Ldind_I8,
            ValueType.F32 => OpCodes.Ldind_R4,
            _ => OpCodes.Ldind_R8,
        });
    }

    private static OpCode StoreIndirect(ValueType type) => type switch
    {
        ValueType.I32 => OpCodes.Stind_I4,
        ValueType.I64 => OpCodes.Stind_I8,
        ValueType.F32 => OpCodes.Stind_R4,
        _ => OpCodes.Stind_R8,
    };

    private void RefFunc(int functionIndex)
    {
        LoadContext();
        _il.Emit(OpCodes.Ldfld, RuntimeMembers.Functions);
        _il.Emit(OpCodes.Ldc_I4, functionIndex);
        _il.Emit(OpCodes.Ldelem_Ref);
        Push(ValueType.FuncRef);
    }

    private void LoadTable(int tableIndex)
    {
        LoadContext();
        if (tableIndex == 0)
        {
            _il.Emit(OpCodes.Ldfld, RuntimeMembers.Table0);
            return;
        }
        _il.Emit(OpCodes.Ldfld, RuntimeMembers.Tables);
        _il.Emit(OpCodes.Ldc_I4, tableIndex);
        _il.Emit(OpCodes.Ldelem_Ref);
    }

    private void TableGet(int tableIndex)
    {
        LoadTable(tableIndex);
        _il.Emit(OpCodes.Call, RuntimeMembers.Method(typeof(TableOps), nameof(TableOps.Get)));
        Pop();
        Push(_definition.GetTableType(tableIndex).ElementType);
    }

    private void TableSet(int tableIndex)
    {
        LoadTable(tableIndex);
        CallTableOp(nameof(TableOps.Set), 2);
    }

    private void TableSize(int tableIndex)
    {
        LoadTable(tableIndex);
        CallTableOp(nameof(TableOps.Size), 0);
        Push(ValueType.I32);
    }

    private void TableGrow(int tableIndex)
    {
        LoadTable(tableIndex);
        CallTableOp(nameof(TableOps.Grow), 2);
        Push(ValueType.I32);
    }

    private void TableFill(int tableIndex)
    {
        LoadTable(tableIndex);
        CallTableOp(nameof(TableOps.Fill), 3);
    }

    private void TableCopy(int destinationTable, int sourceTable)
    {
        LoadTable(destinationTable);
        LoadTable(sourceTable);
        CallTableOp(nameof(TableOps.Copy), 3);
    }

    private void TableInit(int segmentIndex, int tableIndex)
    {
        _il.Emit(OpCodes.Ldc_I4, segmentIndex);
        LoadTable(tableIndex);
        LoadContext();
        CallTableOp(nameof(TableOps.Init), 3);
    }

    private void ElemDrop(int segmentIndex)
    {
        _il.Emit(OpCodes.Ldc_I4, segmentIndex);
        LoadContext();
        CallTableOp(nameof(TableOps.DropElements), 0);
    }

    /// <summary>Calls a <see cref="TableOps"/> helper that takes <paramref name="operands"/> operands from the wasm stack (then whatever was pushed after them).</summary>
    private void CallTableOp(string name, int operands)
    {
        WriteBackFuelForTrap();
        _il.Emit(OpCodes.Call, RuntimeMembers.Method(typeof(TableOps), name));
        Pop(operands);
    }
}
