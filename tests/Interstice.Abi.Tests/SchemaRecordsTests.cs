using Interstice.Abi.Encoding;
using Interstice.Abi.Schema;

namespace Interstice.Abi.Tests;

/// <summary>Malformed custom-section payloads fail with the record's offset and the reason.</summary>
public class SchemaRecordsTests
{
    private static readonly byte[] Records = RepositoryFiles.ReadHex(RepositoryFiles.Vectors("schema-records.hex"));

    private static byte[] Header(uint abiVersion = 1, string name = "m") =>
        [1, .. Body(w =>
        {
            w.WriteU32(abiVersion);
            w.WriteString(name);
            w.WriteString("1.0.0");
            w.WriteVariant(0);
            w.WriteLength(0);
        })];

    private static byte[] Body(Action<ValueWriterBox> write)
    {
        var body = new System.Buffers.ArrayBufferWriter<byte>();
        write(new ValueWriterBox(body));
        var framed = new System.Buffers.ArrayBufferWriter<byte>();
        new ValueWriter(framed).WriteBytes(body.WrittenSpan);
        return framed.WrittenSpan.ToArray();
    }

    /// <summary>ValueWriter is a ref struct; lambdas get this small wrapper instead.</summary>
    private sealed class ValueWriterBox(System.Buffers.IBufferWriter<byte> output)
    {
        public void WriteU32(uint v) => new ValueWriter(output).WriteU32(v);
        public void WriteString(string v) => new ValueWriter(output).WriteString(v);
        public void WriteVariant(uint v) => new ValueWriter(output).WriteVariant(v);
        public void WriteLength(uint v) => new ValueWriter(output).WriteLength(v);
        public void WriteU8(byte v) => new ValueWriter(output).WriteU8(v);
    }

    [Fact]
    public void A_minimal_module_has_only_its_header()
    {
        var schema = SchemaRecords.Assemble(Header());

        Assert.Equal("m", schema.Name);
        Assert.Empty(schema.Tables);
    }

    [Fact]
    public void An_empty_section_has_no_header() =>
        Assert.Contains("no module header record", Assert.Throws<SchemaException>(() => SchemaRecords.Assemble([])).Message);

    [Fact]
    public void Two_different_headers_are_an_error()
    {
        byte[] payload = [.. Header(name: "a"), .. Header(name: "b")];

        Assert.Contains("two module header records", Assert.Throws<SchemaException>(() => SchemaRecords.Assemble(payload)).Message);
    }

    [Fact]
    public void An_unsupported_abi_version_is_reported_as_such() =>
        Assert.Contains("abi_version 2 is not supported", Assert.Throws<SchemaException>(() => SchemaRecords.Assemble(Header(abiVersion: 2))).Message);

    [Fact]
    public void An_unknown_record_kind_names_its_offset()
    {
        byte[] payload = [.. Header(), 9, 0];

        var error = Assert.Throws<AbiDecodeException>(() => SchemaRecords.Assemble(payload));

        Assert.Equal(Header().Length, error.Offset);
        Assert.Contains("unknown schema record kind 9", error.Message);
    }

    [Fact]
    public void A_record_running_past_the_end_is_an_error()
    {
        byte[] payload = [.. Header(), 2, 10, 1, 2];

        Assert.Contains("exceeds the 2 remaining byte(s)", Assert.Throws<AbiDecodeException>(() => SchemaRecords.Assemble(payload)).Message);
    }

    [Fact]
    public void A_body_longer_than_its_content_is_an_error()
    {
        // A dependency record: module "x", version "1.0.0", no node; plus one stray byte.
        byte[] dependency = [7, .. Body(w => { w.WriteString("x"); w.WriteString("1.0.0"); w.WriteU8(0); w.WriteU8(0xAA); })];
        byte[] payload = [.. Header(), .. dependency];

        var error = Assert.Throws<AbiDecodeException>(() => SchemaRecords.Assemble(payload));

        Assert.Contains("Dependency record starting at byte", error.Message);
        Assert.Contains("unexpected byte(s) after the value", error.Message);
    }

    [Fact]
    public void A_truncated_section_is_an_error_at_the_cut()
    {
        var error = Assert.Throws<AbiDecodeException>(() => SchemaRecords.Assemble(Records.AsSpan(0, Records.Length - 3)));

        Assert.True(error.Offset < Records.Length);
    }

    [Fact]
    public void Records_that_differ_under_the_same_name_are_reported_as_duplicates()
    {
        var schema = SchemaJson.Parse(File.ReadAllText(RepositoryFiles.Vectors("schema.json")));
        var changed = schema with { Reducers = [.. schema.Reducers, new ReducerSchema("hello", [])] };

        var error = Assert.Throws<SchemaException>(() => SchemaRecords.Assemble(SchemaRecords.Encode(changed)));

        Assert.Contains("reducer 'hello' is declared twice", error.Message);
    }
}
