using Interstice.Wasm.Compilation;

namespace Interstice.Wasm;

/// <summary>
/// A compiled module: what it imports and exports, its custom sections. Instantiate it with a
/// <see cref="Linker"/>; one module can have any number of instances.
/// </summary>
public sealed class Module
{
    internal Module(Engine engine, CompiledModule compiled, string contentHash)
    {
        Engine = engine;
        Compiled = compiled;
        ContentHash = contentHash;
        var definition = compiled.Definition;
        Imports = Array.ConvertAll(definition.Imports, i => new ImportDescriptor(
            i.Module, i.Name, i.Kind,
            i.Kind == ExternalKind.Function ? definition.Types[i.TypeIndex] : null, i.Table, i.Memory, i.Global));
        Exports = Array.ConvertAll(definition.Exports, e => e.Kind switch
        {
            ExternalKind.Function => e with { Function = definition.GetFunctionType(e.Index) },
            ExternalKind.Table => e with { Table = definition.GetTableType(e.Index) },
            ExternalKind.Memory => e with { Memory = definition.GetMemoryType(e.Index) },
            _ => e with { Global = definition.GetGlobalType(e.Index) },
        });
    }

    internal CompiledModule Compiled { get; }

    public Engine Engine { get; }

    /// <summary>SHA-256 of the module's bytes, lowercase hex.</summary>
    public string ContentHash { get; }

    /// <summary>The module's name from its <c>name</c> section, if any.</summary>
    public string? Name => Compiled.Definition.Names.ModuleName;

    /// <summary>The imports, in order, with the types they must be satisfied with.</summary>
    public IReadOnlyList<ImportDescriptor> Imports { get; }

    /// <summary>The exports, in order, with their types.</summary>
    public IReadOnlyList<ExportDescriptor> Exports { get; }

    /// <summary>The payloads of the custom sections named <paramref name="name"/>, in order (often zero or one). No copy is made.</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> GetCustomSections(string name)
    {
        var definition = Compiled.Definition;
        var sections = new List<ReadOnlyMemory<byte>>();
        foreach (var section in definition.CustomSections)
            if (section.Name == name) sections.Add(definition.Bytes.AsMemory(section.PayloadOffset, section.PayloadLength));
        return sections;
    }

    public override string ToString() => $"module {Compiled.DisplayName}";
}
