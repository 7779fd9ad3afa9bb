namespace Interstice.Abi.Schema;

/// <summary>The kind byte of a record in the <c>interstice.schema</c> custom section (docs/abi.md section 5).</summary>
public enum SchemaRecordKind : byte
{
    /// <summary>The module header: abi_version, name, version, visibility, authorities.</summary>
    Module = 1,
    Type = 2,
    Table = 3,
    Reducer = 4,
    Query = 5,
    Subscription = 6,
    Dependency = 7,
}
