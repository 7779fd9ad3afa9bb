using Interstice.Wasm.Structure;

namespace Interstice.Wasm.Binary;

/// <summary>
/// Decodes the custom <c>name</c> section (spec 7.4.1): module name, function names, local names.
/// Other subsections are skipped. A malformed name section is ignored as a whole (custom sections
/// never make a module malformed), so <see cref="TryDecode"/> returns null instead of throwing.
/// </summary>
internal static class NameSectionDecoder
{
    public const string SectionName = "name";

    private const byte ModuleNameId = 0, FunctionNamesId = 1, LocalNamesId = 2;

    /// <summary>The names in <c>bytes[start..end]</c>, or null when the payload is malformed.</summary>
    public static ModuleNames? TryDecode(byte[] bytes, int start, int end)
    {
        try
        {
            return Decode(bytes, start, end);
        }
        catch (MalformedModuleException)
        {
            return null;
        }
    }

    private static ModuleNames Decode(byte[] bytes, int start, int end)
    {
        var reader = new WasmReader(bytes, start, end, "custom \"name\"");
        string? moduleName = null;
        Dictionary<int, string>? functionNames = null;
        Dictionary<int, IReadOnlyDictionary<int, string>>? localNames = null;
        int lastId = -1;
        while (!reader.AtEnd)
        {
            byte id = reader.ReadByte();
            if (id <= lastId) throw reader.Error("name subsections out of order or repeated");
            lastId = id;
            int size = reader.ReadLength();
            var subsection = new WasmReader(bytes, reader.Position, reader.Position + size, reader.Section);
            switch (id)
            {
                case ModuleNameId:
                    moduleName = subsection.ReadName();
                    break;
                case FunctionNamesId:
                    functionNames = ReadNameMap(ref subsection);
                    break;
                case LocalNamesId:
                    int count = subsection.ReadCount();
                    localNames = new Dictionary<int, IReadOnlyDictionary<int, string>>();
                    for (int i = 0; i < count; i++)
                    {
                        int functionIndex = subsection.ReadIndex();
                        if (!localNames.TryAdd(functionIndex, ReadNameMap(ref subsection)))
                            throw subsection.Error("duplicate function in the local names");
                    }
                    break;
                default:
                    subsection.Position = subsection.End;
                    break;
            }
            if (!subsection.AtEnd) throw subsection.Error("section size mismatch");
            reader.Position = subsection.End;
        }
        return new ModuleNames
        {
            ModuleName = moduleName,
            FunctionNames = functionNames ?? new Dictionary<int, string>(),
            LocalNames = localNames ?? new Dictionary<int, IReadOnlyDictionary<int, string>>(),
        };
    }

    /// <summary>A name map: a vector of (index, name) pairs with distinct indices.</summary>
    private static Dictionary<int, string> ReadNameMap(ref WasmReader reader)
    {
        int count = reader.ReadCount();
        // Not sized from the count: a count is only checked against the bytes left, and an entry costs far more than a byte.
        var map = new Dictionary<int, string>();
        for (int i = 0; i < count; i++)
        {
            int index = reader.ReadIndex();
            if (!map.TryAdd(index, reader.ReadName())) throw reader.Error("duplicate index in a name map");
        }
        return map;
    }
}
