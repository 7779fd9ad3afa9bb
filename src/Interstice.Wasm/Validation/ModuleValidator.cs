using Interstice.Wasm.Structure;

namespace Interstice.Wasm.Validation;

/// <summary>
/// Validates a decoded module (spec chapter 3): limits, imports and exports, globals and segments
/// with their constant expressions, the start function, then every function body with
/// <see cref="FunctionValidator"/>. Throws <see cref="InvalidModuleException"/> naming the item,
/// the byte offset and the reason in the spec test suite's words. Records in each
/// <see cref="FunctionBody"/> what validation learns about it (stack height, nesting depth).
/// </summary>
internal static class ModuleValidator
{
    public static void Validate(ModuleDefinition module)
    {
        ArgumentNullException.ThrowIfNull(module);
        var offsets = module.Offsets;

        for (int i = 0; i < module.Imports.Length; i++) ValidateImport(module, i, EntryOffsets.At(offsets.Imports, i));
        for (int i = 0; i < module.FunctionTypeIndices.Length; i++)
        {
            int typeIndex = module.FunctionTypeIndices[i];
            if ((uint)typeIndex >= (uint)module.Types.Length)
                throw new InvalidModuleException(Describe.Function(module, module.ImportedFunctionCount + i), EntryOffsets.At(offsets.Functions, i),
                    $"unknown type {(uint)typeIndex}");
        }
        for (int i = 0; i < module.Tables.Length; i++)
            ValidateTableType(module.Tables[i], $"table {module.ImportedTableCount + i}", EntryOffsets.At(offsets.Tables, i));
        for (int i = 0; i < module.Memories.Length; i++)
            ValidateMemoryType(module.Memories[i], $"memory {module.ImportedMemoryCount + i}", EntryOffsets.At(offsets.Memories, i));
        if (module.MemoryCount > 1)
        {
            int offset = module.Memories.Length > 0 ? EntryOffsets.At(offsets.Memories, module.Memories.Length - 1) : 0;
            throw new InvalidModuleException("memory 1", offset, $"multiple memories ({module.MemoryCount} declared, at most one allowed)");
        }

        // Constant expressions may only read imported globals (WebAssembly 2.0; later versions relax this).
        // Functions referenced outside function bodies (globals, elements, exports) are "declared" (spec C.refs) and may be used by ref.func.
        var declaredFunctions = new bool[module.FunctionCount];
        for (int i = 0; i < module.Globals.Length; i++)
        {
            var global = module.Globals[i];
            ConstantExpressionValidator.Validate(module, global.Initializer, global.Type.ValueType,
                module.ImportedGlobalCount, declaredFunctions, $"global {module.ImportedGlobalCount + i}");
        }
        for (int i = 0; i < module.Elements.Length; i++) ValidateElementSegment(module, i, declaredFunctions);
        for (int i = 0; i < module.Data.Length; i++) ValidateDataSegment(module, i, declaredFunctions);
        ValidateStart(module);
        ValidateExports(module, declaredFunctions);

        var functionValidator = new FunctionValidator(module, declaredFunctions);
        for (int i = 0; i < module.Bodies.Length; i++) functionValidator.Validate(i);
    }

    private static void ValidateImport(ModuleDefinition module, int index, int offset)
    {
        var import = module.Imports[index];
        string location = $"import {index} \"{import.Module}\".\"{import.Name}\"";
        switch (import.Kind)
        {
            case ExternalKind.Function:
                if ((uint)import.TypeIndex >= (uint)module.Types.Length)
                    throw new InvalidModuleException(location, offset, $"unknown type {(uint)import.TypeIndex}");
                break;
            case ExternalKind.Table:
                ValidateTableType(import.Table!, location, offset);
                break;
            case ExternalKind.Memory:
                ValidateMemoryType(import.Memory!, location, offset);
                break;
        }
    }

    private static void ValidateTableType(TableType table, string location, int offset)
    {
        if (table.Limits.Maximum is { } maximum && table.Limits.Minimum > maximum)
            throw new InvalidModuleException(location, offset, "size minimum must not be greater than maximum");
    }

    private static void ValidateMemoryType(MemoryType memory, string location, int offset)
    {
        var limits = memory.Limits;
        if (limits.Minimum > MemoryType.MaxPages || limits.Maximum > MemoryType.MaxPages)
            throw new InvalidModuleException(location, offset, $"memory size must be at most {MemoryType.MaxPages} pages (4GiB)");
        if (limits.Maximum is { } maximum && limits.Minimum > maximum)
            throw new InvalidModuleException(location, offset, "size minimum must not be greater than maximum");
    }

    private static void ValidateElementSegment(ModuleDefinition module, int index, bool[] declaredFunctions)
    {
        var segment = module.Elements[index];
        string location = $"element segment {index}";
        if (segment.Mode == SegmentMode.Active)
        {
            if ((uint)segment.TableIndex >= (uint)module.TableCount)
                throw new InvalidModuleException(location, segment.ByteOffset, $"unknown table {(uint)segment.TableIndex}");
            var tableType = module.GetTableType(segment.TableIndex).ElementType;
            if (tableType != segment.ElementType)
                throw new InvalidModuleException(location, segment.ByteOffset,
                    $"type mismatch: a {segment.ElementType.ToWatName()} segment cannot initialize a {tableType.ToWatName()} table");
            ConstantExpressionValidator.Validate(module, segment.Offset!.Value, ValueType.I32, module.ImportedGlobalCount, declaredFunctions, location);
        }
        if (segment.FunctionIndices is { } functions)
        {
            foreach (int function in functions)
            {
                if ((uint)function >= (uint)module.FunctionCount)
                    throw new InvalidModuleException(location, segment.ByteOffset, $"unknown function {(uint)function}");
                declaredFunctions[function] = true;
            }
        }
        else
        {
            foreach (var item in segment.Expressions!)
                ConstantExpressionValidator.Validate(module, item, segment.ElementType, module.ImportedGlobalCount, declaredFunctions, location);
        }
    }

    private static void ValidateDataSegment(ModuleDefinition module, int index, bool[] declaredFunctions)
    {
        var segment = module.Data[index];
        if (segment.Mode != SegmentMode.Active) return;
        string location = $"data segment {index}";
        if ((uint)segment.MemoryIndex >= (uint)module.MemoryCount)
            throw new InvalidModuleException(location, segment.ByteOffset, $"unknown memory {(uint)segment.MemoryIndex}");
        ConstantExpressionValidator.Validate(module, segment.Offset!.Value, ValueType.I32, module.ImportedGlobalCount, declaredFunctions, location);
    }

    private static void ValidateStart(ModuleDefinition module)
    {
        if (module.StartFunction is not { } start) return;
        int offset = module.Offsets.Start;
        if ((uint)start >= (uint)module.FunctionCount)
            throw new InvalidModuleException("start function", offset, $"unknown function {(uint)start}");
        var type = module.GetFunctionType(start);
        if (type.Parameters.Length != 0 || type.Results.Length != 0)
            throw new InvalidModuleException("start function", offset, $"start function must have type [] -> [], not {type}");
    }

    private static void ValidateExports(ModuleDefinition module, bool[] declaredFunctions)
    {
        var names = new HashSet<string>(module.Exports.Length, StringComparer.Ordinal);
        for (int i = 0; i < module.Exports.Length; i++)
        {
            var export = module.Exports[i];
            string location = $"export \"{export.Name}\"";
            int offset = EntryOffsets.At(module.Offsets.Exports, i);
            (int count, string kind) = export.Kind switch
            {
                ExternalKind.Function => (module.FunctionCount, "function"),
                ExternalKind.Table => (module.TableCount, "table"),
                ExternalKind.Memory => (module.MemoryCount, "memory"),
                _ => (module.GlobalCount, "global"),
            };
            if ((uint)export.Index >= (uint)count)
                throw new InvalidModuleException(location, offset, $"unknown {kind} {(uint)export.Index}");
            if (!names.Add(export.Name)) throw new InvalidModuleException(location, offset, "duplicate export name");
            if (export.Kind == ExternalKind.Function) declaredFunctions[export.Index] = true;
        }
    }
}
