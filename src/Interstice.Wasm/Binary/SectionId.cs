namespace Interstice.Wasm.Binary;

/// <summary>Section identifiers of the binary format (spec 5.5.2).</summary>
internal enum SectionId : byte
{
    Custom = 0,
    Type = 1,
    Import = 2,
    Function = 3,
    Table = 4,
    Memory = 5,
    Global = 6,
    Export = 7,
    Start = 8,
    Element = 9,
    Code = 10,
    Data = 11,
    DataCount = 12,
}

/// <summary>Helpers for <see cref="SectionId"/>.</summary>
internal static class SectionIdExtensions
{
    /// <summary>The highest section id this decoder knows.</summary>
    public const SectionId Last = SectionId.DataCount;

    /// <summary>
    /// The position a non-custom section must take in a module: sections appear at most once, in
    /// this order (the data count section sits between the element and code sections).
    /// </summary>
    public static int OrderRank(this SectionId id) => id switch
    {
        SectionId.DataCount => 10,
        SectionId.Code => 11,
        SectionId.Data => 12,
        _ => (int)id,
    };

    /// <summary>The name used in error messages: <c>type</c>, <c>data count</c>...</summary>
    public static string DisplayName(this SectionId id) => id switch
    {
        SectionId.Custom => "custom",
        SectionId.Type => "type",
        SectionId.Import => "import",
        SectionId.Function => "function",
        SectionId.Table => "table",
        SectionId.Memory => "memory",
        SectionId.Global => "global",
        SectionId.Export => "export",
        SectionId.Start => "start",
        SectionId.Element => "element",
        SectionId.Code => "code",
        SectionId.Data => "data",
        SectionId.DataCount => "data count",
        _ => $"0x{(byte)id:x2}",
    };
}
