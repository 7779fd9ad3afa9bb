namespace Interstice.Wasm.Tests.TestSupport;

/// <summary>Helpers to write module binaries by hand, for inputs that no assembler would produce.</summary>
internal static class Bytes
{
    public static readonly byte[] Header = [0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00];

    /// <summary>The header followed by the given sections.</summary>
    public static byte[] Module(params byte[][] sections) => [.. Header, .. sections.SelectMany(s => s)];

    /// <summary>A section: its id, its size as a LEB128 and its content.</summary>
    public static byte[] Section(byte id, params byte[] content) => [id, .. Leb(checked((uint)content.Length)), .. content];

    /// <summary>A custom section (id 0): its name, then its payload.</summary>
    public static byte[] CustomSection(string name, params byte[] payload)
    {
        byte[] nameBytes = System.Text.Encoding.UTF8.GetBytes(name);
        return Section(0, [.. Leb(checked((uint)nameBytes.Length)), .. nameBytes, .. payload]);
    }

    /// <summary>A vector: its length as a LEB128, then the items.</summary>
    public static byte[] Vector(params byte[][] items) => [.. Leb(checked((uint)items.Length)), .. items.SelectMany(i => i)];

    /// <summary>The shortest unsigned LEB128 encoding of <paramref name="value"/>.</summary>
    public static byte[] Leb(uint value)
    {
        var bytes = new List<byte>();
        do
        {
            byte b = (byte)(value & 0x7F);
            value >>= 7;
            if (value != 0) b |= 0x80;
            bytes.Add(b);
        }
        while (value != 0);
        return bytes.ToArray();
    }

    /// <summary>A name: its UTF-8 length and bytes.</summary>
    public static byte[] Name(string name)
    {
        var utf8 = System.Text.Encoding.UTF8.GetBytes(name);
        return [.. Leb((uint)utf8.Length), .. utf8];
    }

    /// <summary>A type section with one type per signature, given as (parameters, results) of value type codes.</summary>
    public static byte[] TypeSection(params (byte[] Parameters, byte[] Results)[] types) =>
        Section(1, Vector(types.Select(t => (byte[])[0x60, .. Vector(t.Parameters.Select(p => new[] { p }).ToArray()), .. Vector(t.Results.Select(r => new[] { r }).ToArray())]).ToArray()));

    /// <summary>A function section giving each function's type index.</summary>
    public static byte[] FunctionSection(params uint[] typeIndices) => Section(3, Vector(typeIndices.Select(Leb).ToArray()));

    /// <summary>A code section; each body is its local declarations (already encoded, with their count) and instructions.</summary>
    public static byte[] CodeSection(params byte[][] bodies) => Section(10, Vector(bodies.Select(b => (byte[])[.. Leb((uint)b.Length), .. b]).ToArray()));

    /// <summary>A module with one function of type [] -> [] whose body (no locals) is <paramref name="code"/>, which must end with 0x0B.</summary>
    public static byte[] SingleFunction(params byte[] code) =>
        Module(TypeSection(([], [])), FunctionSection(0), CodeSection([0x00, .. code]));
}
