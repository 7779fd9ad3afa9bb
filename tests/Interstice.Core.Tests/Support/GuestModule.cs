using Interstice.Abi.Schema;
using Interstice.Wasm.Tests.TestSupport;

namespace Interstice.Core.Tests.Support;

/// <summary>
/// Hand-written modules for what the Rust SDK never does (hostile or broken guests): WebAssembly
/// text assembled with wat2wasm, plus a schema (in its JSON form) appended as the
/// <c>interstice.schema</c> custom section.
/// </summary>
public static class GuestModule
{
    /// <summary>
    /// The memory and allocator exports every module has: a bump allocator from address 1024;
    /// place it after the module's imports.
    /// </summary>
    public const string Runtime = """
        (memory (export "memory") 1)
        (global $heap (mut i32) (i32.const 1024))
        (func (export "interstice_alloc") (param $size i32) (param $align i32) (result i32)
          (local $at i32)
          (local.set $at (global.get $heap))
          (global.set $heap (i32.add (global.get $heap) (local.get $size)))
          (local.get $at))
        (func (export "interstice_free") (param i32 i32 i32))
        """;

    /// <summary>A module named <paramref name="name"/> (public) with the given schema parts (JSON arrays) and WebAssembly text.</summary>
    public static byte[] Build(string name, string wat, string types = "[]", string tables = "[]", string reducers = "[]", string queries = "[]",
        string subscriptions = "[]", string dependencies = "[]", string visibility = "public", string authorities = "[]")
    {
        string json = $$"""
            { "abi_version": 1, "name": "{{name}}", "version": "0.1.0", "visibility": "{{visibility}}", "authorities": {{authorities}},
              "types": {{types}}, "tables": {{tables}}, "reducers": {{reducers}}, "queries": {{queries}},
              "subscriptions": {{subscriptions}}, "dependencies": {{dependencies}} }
            """;
        return WithSchema(Wat.ToWasm(wat), SchemaRecords.Encode(SchemaJson.Parse(json)));
    }

    /// <summary>Appends a custom section <c>interstice.schema</c> holding <paramref name="payload"/>.</summary>
    public static byte[] WithSchema(byte[] wasm, byte[] payload) => [.. wasm, .. Bytes.CustomSection(SchemaRecords.SectionName, payload)];
}
