using System.Reflection;
using System.Reflection.Emit;
using Interstice.Wasm.Runtime;
using Interstice.Wasm.Structure;

namespace Interstice.Wasm.Compilation;

/// <summary>
/// The fields of a module's generated context subclass: each private global is a plain field of
/// its CLR type (one load for <c>__stack_pointer</c>); imported and exported globals are fields
/// holding their shared <see cref="Global"/> cell; each imported function is a field holding its
/// canonical delegate. Also generates the subclass's factory and its <c>Bind</c> method.
/// </summary>
internal sealed class ContextLayout
{
    private readonly ModuleDefinition _module;

    public ContextLayout(ModuleDefinition module, TypeBuilder type, Signature[] signatures)
    {
        _module = module;
        Builder = type;
        int globalCount = module.GlobalCount;
        GlobalIsCell = new bool[globalCount];
        for (int i = 0; i < module.ImportedGlobalCount; i++) GlobalIsCell[i] = true;
        foreach (var export in module.Exports)
            if (export.Kind == ExternalKind.Global) GlobalIsCell[export.Index] = true;

        GlobalFields = new FieldBuilder[globalCount];
        for (int i = 0; i < globalCount; i++)
        {
            var fieldType = GlobalIsCell[i] ? typeof(Global) : ClrTypes.Of(module.GetGlobalType(i).ValueType);
            GlobalFields[i] = type.DefineField("g" + i, fieldType, FieldAttributes.Assembly);
        }

        ImportFields = new FieldBuilder[module.ImportedFunctionCount];
        for (int i = 0; i < ImportFields.Length; i++)
            ImportFields[i] = type.DefineField("import" + i, signatures[module.GetFunctionTypeIndex(i)].DelegateType, FieldAttributes.Assembly);
        _signatures = signatures;
    }

    private readonly Signature[] _signatures;

    public TypeBuilder Builder { get; }
    public bool[] GlobalIsCell { get; }
    public FieldBuilder[] GlobalFields { get; }
    public FieldBuilder[] ImportFields { get; }

    public const string FactoryName = "Create";
    public const string BindName = "Bind";

    /// <summary><c>static InstanceContext Create() => new Context();</c></summary>
    public void DefineFactory(ConstructorInfo constructor)
    {
        var method = Builder.DefineMethod(FactoryName, MethodAttributes.Assembly | MethodAttributes.Static, typeof(InstanceContext), System.Type.EmptyTypes);
        var il = method.GetILGenerator();
        il.Emit(OpCodes.Newobj, constructor);
        il.Emit(OpCodes.Ret);
    }

    /// <summary>
    /// <c>static void Bind(InstanceContext context, Value[] globals)</c>: copies imported
    /// functions' delegates and global cells from the context's arrays into the typed fields, and
    /// sets each private global from <c>globals[index]</c>.
    /// </summary>
    public void DefineBind()
    {
        var method = Builder.DefineMethod(BindName, MethodAttributes.Assembly | MethodAttributes.Static, typeof(void), [typeof(InstanceContext), typeof(Value[])]);
        var il = method.GetILGenerator();
        var context = il.DeclareLocal(Builder);
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Castclass, Builder);
        il.Emit(OpCodes.Stloc, context);

        for (int i = 0; i < ImportFields.Length; i++)
        {
            il.Emit(OpCodes.Ldloc, context);
            il.Emit(OpCodes.Ldloc, context);
            il.Emit(OpCodes.Ldfld, RuntimeMembers.Functions);
            il.Emit(OpCodes.Ldc_I4, i);
            il.Emit(OpCodes.Ldelem_Ref);
            il.Emit(OpCodes.Ldfld, RuntimeMembers.FunctionCallee);
            il.Emit(OpCodes.Castclass, _signatures[_module.GetFunctionTypeIndex(i)].DelegateType);
            il.Emit(OpCodes.Stfld, ImportFields[i]);
        }

        for (int i = 0; i < GlobalFields.Length; i++)
        {
            il.Emit(OpCodes.Ldloc, context);
            if (GlobalIsCell[i])
            {
                il.Emit(OpCodes.Ldloc, context);
                il.Emit(OpCodes.Ldfld, RuntimeMembers.Globals);
                il.Emit(OpCodes.Ldc_I4, i);
                il.Emit(OpCodes.Ldelem_Ref);
            }
            else
            {
                il.Emit(OpCodes.Ldarg_1);
                il.Emit(OpCodes.Ldc_I4, i);
                il.Emit(OpCodes.Ldelema, typeof(Value));
                var type = _module.GetGlobalType(i).ValueType;
                il.Emit(OpCodes.Call, UntypedInvokers.UnpackMethod(type));
                if (type == ValueType.FuncRef) il.Emit(OpCodes.Castclass, typeof(Function));
            }
            il.Emit(OpCodes.Stfld, GlobalFields[i]);
        }
        il.Emit(OpCodes.Ret);
    }
}
