using System.Collections.Concurrent;
using System.Reflection;
using Interstice.Wasm.Runtime;

namespace Interstice.Wasm.Compilation;

/// <summary>The runtime fields and methods generated code uses, looked up once.</summary>
internal static class RuntimeMembers
{
    private const BindingFlags Instance = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;
    private const BindingFlags Static = BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic;

    // First: the static fields below are initialised through Method, in textual order.
    private static readonly ConcurrentDictionary<(Type, string, Type?, Type?), MethodInfo> s_methods = new();

    public static readonly FieldInfo StackLimit = Field<InstanceContext>(nameof(InstanceContext.StackLimit));
    public static readonly FieldInfo DepthLeft = Field<InstanceContext>(nameof(InstanceContext.DepthLeft));
    public static readonly FieldInfo Fuel = Field<InstanceContext>(nameof(InstanceContext.Fuel));
    public static readonly FieldInfo InterruptRequested = Field<InstanceContext>(nameof(InstanceContext.InterruptRequested));
    public static readonly FieldInfo Memory = Field<InstanceContext>(nameof(InstanceContext.Memory));
    public static readonly FieldInfo Table0 = Field<InstanceContext>(nameof(InstanceContext.Table0));
    public static readonly FieldInfo Tables = Field<InstanceContext>(nameof(InstanceContext.Tables));
    public static readonly FieldInfo Functions = Field<InstanceContext>(nameof(InstanceContext.Functions));
    public static readonly FieldInfo Globals = Field<InstanceContext>(nameof(InstanceContext.Globals));
    public static readonly FieldInfo ContextCaller = Field<InstanceContext>(nameof(InstanceContext.Caller));

    public static readonly FieldInfo MemoryBase = Field<Memory>(nameof(Wasm.Memory.Base));
    public static readonly FieldInfo MemorySize = Field<Memory>(nameof(Wasm.Memory.Size));
    public static readonly FieldInfo TableElements = Field<Table>(nameof(Table.Elements));
    public static readonly FieldInfo GlobalBits = Field<Global>(nameof(Global.Bits));
    public static readonly FieldInfo GlobalReference = Field<Global>(nameof(Global.Reference));
    public static readonly FieldInfo FunctionCallee = Field<Function>(nameof(Function.Callee));
    public static readonly FieldInfo CallerContext = Field<Caller>(nameof(Caller.Context));

    public static readonly MethodInfo CreateTrap = Method(typeof(Traps), nameof(Traps.Create));
    public static readonly MethodInfo CreateMemoryOutOfBounds = Method(typeof(Traps), nameof(Traps.CreateMemoryOutOfBounds));
    public static readonly MethodInfo CheckStackFailure = Method(typeof(Traps), nameof(Traps.CheckStackFailure));
    public static readonly MethodInfo CreateDepthExhausted = Method(typeof(Traps), nameof(Traps.CreateDepthExhausted));
    public static readonly MethodInfo CreateInterrupted = Method(typeof(Traps), nameof(Traps.CreateInterrupted));
    public static readonly MethodInfo CreateOutOfFuel = Method(typeof(Traps), nameof(Traps.CreateOutOfFuel));

    public static readonly MethodInfo HostEnter = Method(typeof(HostEntry), nameof(HostEntry.Enter));
    public static readonly MethodInfo HostEnterFrom = Method(typeof(HostEntry), nameof(HostEntry.EnterFrom));
    public static readonly MethodInfo HostExit = Method(typeof(HostEntry), nameof(HostEntry.Exit));

    public static readonly MethodInfo FunctionForCall = Method(typeof(TableOps), nameof(TableOps.FunctionForCall));

    public static readonly MethodInfo F32FromBits = Method(typeof(FloatOps), nameof(FloatOps.F32FromBits));
    public static readonly MethodInfo F64FromBits = Method(typeof(FloatOps), nameof(FloatOps.F64FromBits));
    public static readonly MethodInfo CanonicalizeF32 = Method(typeof(FloatOps), nameof(FloatOps.Canonicalize), typeof(float));
    public static readonly MethodInfo CanonicalizeF64 = Method(typeof(FloatOps), nameof(FloatOps.Canonicalize), typeof(double));

    public static readonly MethodInfo SingleToInt32Bits = Method(typeof(BitConverter), nameof(BitConverter.SingleToInt32Bits), typeof(float));
    public static readonly MethodInfo Int32BitsToSingle = Method(typeof(BitConverter), nameof(BitConverter.Int32BitsToSingle), typeof(int));
    public static readonly MethodInfo DoubleToInt64Bits = Method(typeof(BitConverter), nameof(BitConverter.DoubleToInt64Bits), typeof(double));
    public static readonly MethodInfo Int64BitsToDouble = Method(typeof(BitConverter), nameof(BitConverter.Int64BitsToDouble), typeof(long));

    /// <summary>A static method found by name and up to two parameter types (or by name alone when unique); looked up once, then cached.</summary>
    public static MethodInfo Method(Type type, string name, Type? first = null, Type? second = null) =>
        s_methods.GetOrAdd((type, name, first, second), static key =>
        {
            var (type, name, first, second) = key;
            var method = first is null ? type.GetMethod(name, Static)
                : second is null ? type.GetMethod(name, Static, [first])
                : type.GetMethod(name, Static, [first, second]);
            return method ?? throw new MissingMethodException(type.Name, name);
        });

    private static FieldInfo Field<T>(string name) => typeof(T).GetField(name, Instance) ?? throw new MissingFieldException(typeof(T).Name, name);
}
