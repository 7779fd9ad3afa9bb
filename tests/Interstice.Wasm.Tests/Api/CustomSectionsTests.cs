namespace Interstice.Wasm.Tests.Api;

/// <summary><see cref="CustomSections.Read"/>: a binary's custom sections, found without decoding the rest, and broken framing named by offset.</summary>
public sealed class CustomSectionsTests
{
    private static byte[] WithCustomSections(byte[] module, params (string Name, byte[] Payload)[] sections)
    {
        byte[] bytes = module;
        foreach (var (name, payload) in sections) bytes = [.. bytes, .. TestSupport.Bytes.CustomSection(name, payload)];
        return bytes;
    }

    [Fact]
    public void It_returns_the_payloads_of_the_sections_with_the_name_in_order()
    {
        byte[] wasm = WithCustomSections(TestSupport.Wat.ToWasm("(module (func (export \"f\") (result i32) (i32.const 1)))"),
            ("interstice.schema", [1, 2, 3]), ("other", [9]), ("interstice.schema", [4]));
        var sections = CustomSections.Read(wasm, "interstice.schema");
        Assert.Equal([[1, 2, 3], [4]], sections.Select(s => s.ToArray()));
        Assert.Empty(CustomSections.Read(wasm, "missing"));
    }

    [Fact]
    public void Code_that_would_not_validate_is_not_looked_at()
    {
        // A function whose empty body returns nothing though it declares an i32: invalid, but well framed.
        byte[] invalid = TestSupport.Bytes.Module(
            TestSupport.Bytes.TypeSection(([], [0x7f])),
            TestSupport.Bytes.FunctionSection(0),
            TestSupport.Bytes.CodeSection([0x00, 0x0b]));
        byte[] wasm = WithCustomSections(invalid, ("interstice.schema", [7]));
        Assert.Throws<InvalidModuleException>(() => new Engine().Compile(wasm));
        Assert.Equal([7], Assert.Single(CustomSections.Read(wasm, "interstice.schema")).ToArray());
    }

    [Theory]
    [InlineData(new byte[] { 0x00, 0x61, 0x73 }, "unexpected end", 0)]
    [InlineData(new byte[] { 0x01, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00 }, "magic header not detected", 0)]
    [InlineData(new byte[] { 0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x0E, 0x00 }, "malformed section id 14", 8)]
    [InlineData(new byte[] { 0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x00, 0x05, 0x01, 0x61 }, "length out of bounds", 9)]
    [InlineData(new byte[] { 0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x00, 0x02, 0x03, 0x61 }, "length out of bounds", 10)]
    [InlineData(new byte[] { 0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x00, 0x02, 0x01, 0xFF }, "malformed UTF-8 encoding", 10)]
    public void Broken_framing_is_named_with_its_offset(byte[] wasm, string reason, long offset)
    {
        var error = Assert.Throws<MalformedModuleException>(() => CustomSections.Read(wasm, "interstice.schema"));
        Assert.Equal((reason, offset), (error.Reason, error.Offset));
    }
}
