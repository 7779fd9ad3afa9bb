using Interstice.Wasm.Compilation;
using Interstice.Wasm.Structure;

namespace Interstice.Wasm.Runtime;

/// <summary>
/// Instantiation (spec 4.5.4): resolve and check imports, create the instance's tables, memories,
/// globals and funcrefs, apply active element and data segments in order (a segment out of
/// bounds traps, and what earlier segments wrote stays), then run the start function.
/// </summary>
internal static class Instantiation
{
    /// <param name="module">The module to instantiate.</param>
    /// <param name="resolve">Finds what satisfies an import (a <see cref="Function"/>, <see cref="Table"/>, <see cref="Memory"/> or <see cref="Global"/>), or null.</param>
    /// <param name="options">The instance's limits.</param>
    public static Instance Instantiate(Module module, Func<string, string, object?> resolve, InstanceOptions options)
    {
        var compiled = module.Compiled;
        var definition = compiled.Definition;
        var context = compiled.CreateContext();
        context.Module = compiled;
        context.MaxCallDepth = Math.Max(1, options.MaxCallDepth);
        context.DepthLeft = context.MaxCallDepth;
        context.Fuel = options.Fuel;
        context.Caller = new Caller(context);
        context.Functions = new Function?[definition.FunctionCount];
        context.Globals = new Global?[definition.GlobalCount];
        var tables = new Table[definition.TableCount];
        var memories = new Memory[definition.MemoryCount];
        var globalValues = new Value[definition.GlobalCount];

        ResolveImports(compiled, resolve, context, tables, memories, globalValues);
        var instance = new Instance(module, context, memories);
        try
        {
            for (int i = definition.ImportedMemoryCount; i < memories.Length; i++)
                memories[i] = new Memory(definition.Memories[i - definition.ImportedMemoryCount], options.MaxMemoryPages, createdByHost: false);
            for (int i = definition.ImportedTableCount; i < tables.Length; i++)
                tables[i] = new Table(definition.Tables[i - definition.ImportedTableCount], maxElementsLimit: options.MaxTableElements);
            context.Tables = tables;
            context.Table0 = tables.Length > 0 ? tables[0] : null;
            context.Memory = memories.Length > 0 ? memories[0] : null;

            for (int i = definition.ImportedFunctionCount; i < context.Functions.Length; i++)
            {
                if (compiled.Thunks[i] is not { } thunk) continue;
                var signature = compiled.GetFunctionSignature(i);
                context.Functions[i] = new Function(signature, thunk.CreateDelegate(signature.DelegateType, context), context, i);
            }

            for (int i = definition.ImportedGlobalCount; i < globalValues.Length; i++)
            {
                var global = definition.Globals[i - definition.ImportedGlobalCount];
                globalValues[i] = ConstantExpressions.Evaluate(definition, global.Initializer, globalValues, context.Functions);
                if (compiled.GlobalIsCell[i]) context.Globals[i] = new Global(global.Type, globalValues[i]);
            }
            compiled.Bind(context, globalValues);

            context.DataSegments = new ReadOnlyMemory<byte>[definition.Data.Length];
            for (int i = 0; i < definition.Data.Length; i++)
                context.DataSegments[i] = definition.Bytes.AsMemory(definition.Data[i].DataOffset, definition.Data[i].DataLength);
            context.ElementSegments = new object?[definition.Elements.Length][];
            for (int i = 0; i < definition.Elements.Length; i++)
                context.ElementSegments[i] = EvaluateElements(definition, definition.Elements[i], globalValues, context.Functions);

            instance.BuildExports(tables, memories);
        }
        catch
        {
            instance.Dispose();
            throw;
        }

        // From here on the instance's functions may escape into imported tables (or through the
        // start function) even if instantiation fails, and must stay callable: a failed instance
        // is left to the garbage collector instead of being disposed.
        ApplyElementSegments(definition, context, globalValues, tables);
        ApplyDataSegments(definition, context, globalValues, memories);
        RunStart(compiled, context);
        return instance;
    }

    private static void ResolveImports(CompiledModule compiled, Func<string, string, object?> resolve, InstanceContext context, Table[] tables, Memory[] memories, Value[] globalValues)
    {
        var definition = compiled.Definition;
        int function = 0, table = 0, memory = 0, global = 0;
        var acquired = new List<Memory>();
        try
        {
            foreach (var import in definition.Imports)
            {
                object item = resolve(import.Module, import.Name)
                    ?? throw new LinkException(import.Module, import.Name, $"unknown import: nothing named {import.Module}.{import.Name} is defined");
                switch (import.Kind)
                {
                    case ExternalKind.Function:
                        {
                            var expected = definition.Types[import.TypeIndex];
                            if (item is not Function f) throw Incompatible(import, $"expected a function {expected}, found {Describe(item)}");
                            if (!f.Type.Equals(expected)) throw Incompatible(import, $"expected a function {expected}, found a function {f.Type}");
                            context.Functions[function++] = f;
                            break;
                        }
                    case ExternalKind.Table:
                        {
                            var expected = import.Table!;
                            if (item is not Table t) throw Incompatible(import, $"expected a table, found {Describe(item)}");
                            if (t.ElementType != expected.ElementType)
                                throw Incompatible(import, $"expected a table of {expected.ElementType.ToWatName()}, found a table of {t.ElementType.ToWatName()}");
                            if (!LimitsMatch(t.Length, t.Type.Limits.Maximum, expected.Limits))
                                throw Incompatible(import, $"expected a table with limits {expected.Limits}, found one of {t.Length} elements with limits {t.Type.Limits}");
                            tables[table++] = t;
                            break;
                        }
                    case ExternalKind.Memory:
                        {
                            var expected = import.Memory!;
                            if (item is not Memory m) throw Incompatible(import, $"expected a memory, found {Describe(item)}");
                            if (!LimitsMatch(m.Pages, m.Type.Limits.Maximum, expected.Limits))
                                throw Incompatible(import, $"expected a memory with limits {expected.Limits}, found one of {m.Pages} pages with limits {m.Type.Limits}");
                            m.AddReference();
                            acquired.Add(m);
                            memories[memory++] = m;
                            break;
                        }
                    default:
                        {
                            var expected = import.Global!.Value;
                            if (item is not Global g) throw Incompatible(import, $"expected a global, found {Describe(item)}");
                            if (g.Type != expected)
                                throw Incompatible(import, $"expected a {Describe(expected)} global, found a {Describe(g.Type)} global");
                            context.Globals[global] = g;
                            globalValues[global++] = g.Value;
                            break;
                        }
                }
            }
        }
        catch
        {
            foreach (var m in acquired) m.Release();
            throw;
        }
    }

    /// <summary>Import subtyping of limits (spec 4.5.2.1): at least the minimum, and a maximum within the expected one if that has one.</summary>
    private static bool LimitsMatch(uint actualSize, uint? actualMaximum, Limits expected) =>
        actualSize >= expected.Minimum
        && (expected.Maximum is not { } max || (actualMaximum is { } actualMax && actualMax <= max));

    private static LinkException Incompatible(ModuleImport import, string reason) =>
        new(import.Module, import.Name, "incompatible import type: " + reason);

    private static string Describe(object item) => item switch
    {
        Function => "a function",
        Table => "a table",
        Memory => "a memory",
        Global => "a global",
        _ => item.GetType().Name,
    };

    private static string Describe(GlobalType type) => (type.Mutable ? "mutable " : "immutable ") + type.ValueType.ToWatName();

    private static object?[] EvaluateElements(ModuleDefinition definition, ElementSegment segment, Value[] globals, Function?[] functions)
    {
        var items = new object?[segment.Count];
        if (segment.FunctionIndices is { } indices)
        {
            for (int i = 0; i < items.Length; i++) items[i] = functions[indices[i]];
        }
        else
        {
            for (int i = 0; i < items.Length; i++) items[i] = ConstantExpressions.Evaluate(definition, segment.Expressions![i], globals, functions).Reference;
        }
        return items;
    }

    private static void ApplyElementSegments(ModuleDefinition definition, InstanceContext context, Value[] globals, Table[] tables)
    {
        for (int i = 0; i < definition.Elements.Length; i++)
        {
            var segment = definition.Elements[i];
            if (segment.Mode == SegmentMode.Active)
            {
                uint offset = (uint)ConstantExpressions.Evaluate(definition, segment.Offset!.Value, globals, context.Functions).AsI32();
                TableOps.Init((int)offset, 0, context.ElementSegments[i].Length, i, tables[segment.TableIndex], context);
            }
            if (segment.Mode != SegmentMode.Passive) context.ElementSegments[i] = [];
        }
    }

    private static void ApplyDataSegments(ModuleDefinition definition, InstanceContext context, Value[] globals, Memory[] memories)
    {
        for (int i = 0; i < definition.Data.Length; i++)
        {
            var segment = definition.Data[i];
            if (segment.Mode != SegmentMode.Active) continue;
            uint offset = (uint)ConstantExpressions.Evaluate(definition, segment.Offset!.Value, globals, context.Functions).AsI32();
            MemoryOps.Init((int)offset, 0, segment.DataLength, i, context);
            context.DataSegments[i] = default;
        }
    }

    private static void RunStart(CompiledModule compiled, InstanceContext context)
    {
        if (compiled.Definition.StartFunction is not { } start) return;
        if (compiled.GetEntryMethod(start) is { } entry)
        {
            var run = entry.CreateDelegate<Action>(context);
            run();
        }
        else
        {
            context.Functions[start]!.Invoke([], []);
        }
    }
}
