using System.Text.Json;
using Interstice.Abi.Schema;
using Interstice.Abi.Types;

namespace Interstice.Abi.Tests;

/// <summary>The golden vectors of abi/vectors, loaded once.</summary>
internal static class GoldenVectors
{
    public sealed record ValueVector(string Name, string Type, JsonElement Value, byte[] Bytes);

    public sealed record InvalidVector(string Name, string Type, byte[] Bytes, string Reason);

    public static TypeTable Types { get; } = LoadTypes();

    public static IReadOnlyDictionary<string, ValueVector> Values { get; } = Load("values.json", e => new ValueVector(
        e.GetProperty("name").GetString()!,
        e.GetProperty("type").GetString()!,
        e.GetProperty("value").Clone(),
        Convert.FromHexString(e.GetProperty("hex").GetString()!)));

    public static IReadOnlyDictionary<string, InvalidVector> Invalid { get; } = Load("invalid.json", e => new InvalidVector(
        e.GetProperty("name").GetString()!,
        e.GetProperty("type").GetString()!,
        Convert.FromHexString(e.GetProperty("hex").GetString()!),
        e.GetProperty("reason").GetString()!));

    public static TheoryData<string> ValueNames => new(Values.Keys);

    public static TheoryData<string> InvalidNames => new(Invalid.Keys);

    private static Dictionary<string, T> Load<T>(string file, Func<JsonElement, T> read)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(RepositoryFiles.Vectors(file)));
        var result = new Dictionary<string, T>(StringComparer.Ordinal);
        foreach (var element in document.RootElement.EnumerateArray())
        {
            string name = element.GetProperty("name").GetString()!;
            if (!result.TryAdd(name, read(element))) throw new InvalidOperationException($"{file}: vector '{name}' appears twice");
        }
        return result;
    }

    /// <summary>types.json holds a "types" array in the schema's JSON form; it is read by wrapping it in a minimal schema.</summary>
    private static TypeTable LoadTypes()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(RepositoryFiles.Vectors("types.json")));
        string typesJson = document.RootElement.GetProperty("types").GetRawText();
        string schemaJson = $$"""
            {"abi_version": 1, "name": "vectors", "version": "1.0.0", "visibility": "private", "authorities": [],
             "types": {{typesJson}}, "tables": [], "reducers": [], "queries": [], "subscriptions": [],
             "dependencies": [{"module": "hello", "version": "^1.0.0", "node": null}]}
            """;
        return SchemaJson.Parse(schemaJson).TypeTable;
    }
}
