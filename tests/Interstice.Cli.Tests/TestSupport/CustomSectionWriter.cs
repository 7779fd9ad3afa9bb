namespace Interstice.Cli.Tests.TestSupport;

/// <summary>Appends WebAssembly custom sections to a module's bytes (a schema section, for tests that build modules by hand).</summary>
internal static class CustomSectionWriter
{
    /// <summary><paramref name="wasm"/> followed by a custom section named <paramref name="name"/> holding <paramref name="payload"/>.</summary>
    public static byte[] Append(byte[] wasm, string name, byte[] payload)
    {
        byte[] nameBytes = System.Text.Encoding.UTF8.GetBytes(name);
        byte[] content = [.. Leb128((uint)nameBytes.Length), .. nameBytes, .. payload];
        return [.. wasm, 0, .. Leb128((uint)content.Length), .. content];
    }

    private static List<byte> Leb128(uint value)
    {
        var bytes = new List<byte>();
        do
        {
            byte b = (byte)(value & 0x7F);
            value >>= 7;
            bytes.Add(value != 0 ? (byte)(b | 0x80) : b);
        }
        while (value != 0);
        return bytes;
    }
}
