using System.Text;
using Interstice.Wasm.Binary;

namespace Interstice.Wasm.Tests.Binary;

public sealed class WasmReaderTests
{
    private const string Section = "test";

    private static WasmReader Reader(byte[] bytes) => new(bytes, 0, bytes.Length, Section);

    private static MalformedModuleException Malformed(byte[] bytes, Func<byte[], object> read) =>
        Assert.Throws<MalformedModuleException>(() => read(bytes));

    [Theory]
    [InlineData(new byte[] { 0x00 }, 0u)]
    [InlineData(new byte[] { 0x7F }, 127u)]
    [InlineData(new byte[] { 0x80, 0x01 }, 128u)]
    [InlineData(new byte[] { 0xE5, 0x8E, 0x26 }, 624485u)]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x0F }, uint.MaxValue)]
    [InlineData(new byte[] { 0x80, 0x80, 0x80, 0x80, 0x00 }, 0u)] // padded to the maximum length: allowed
    [InlineData(new byte[] { 0x83, 0x80, 0x00 }, 3u)]
    public void UnsignedLeb32DecodesValuesAndPaddedForms(byte[] bytes, uint expected)
    {
        var reader = Reader(bytes);
        Assert.Equal(expected, reader.ReadVarUInt32());
        Assert.True(reader.AtEnd);
    }

    [Theory]
    [InlineData(new byte[] { 0x80, 0x80, 0x80, 0x80, 0x80, 0x00 }, "integer representation too long")]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x1F }, "integer too large")]
    [InlineData(new byte[] { 0x80, 0x80, 0x80, 0x80, 0x10 }, "integer too large")]
    [InlineData(new byte[] { 0x80, 0x80, 0x80, 0x80, 0x40 }, "integer too large")]
    [InlineData(new byte[] { 0x80 }, "unexpected end of section or function")]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF }, "unexpected end of section or function")]
    [InlineData(new byte[0], "unexpected end of section or function")]
    public void UnsignedLeb32RejectsOverlongOversizedAndTruncatedEncodings(byte[] bytes, string reason)
    {
        var e = Malformed(bytes, b => Reader(b).ReadVarUInt32());
        Assert.Equal(reason, e.Reason);
        Assert.Equal(Section, e.Section);
    }

    [Theory]
    [InlineData(new byte[] { 0x00 }, 0)]
    [InlineData(new byte[] { 0x3F }, 63)]
    [InlineData(new byte[] { 0x40 }, -64)]
    [InlineData(new byte[] { 0x7F }, -1)]
    [InlineData(new byte[] { 0xC0, 0x00 }, 64)]
    [InlineData(new byte[] { 0xBF, 0x7F }, -65)]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x07 }, int.MaxValue)]
    [InlineData(new byte[] { 0x80, 0x80, 0x80, 0x80, 0x78 }, int.MinValue)]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x7F }, -1)] // padded -1
    [InlineData(new byte[] { 0x80, 0x80, 0x80, 0x80, 0x00 }, 0)] // padded 0
    public void SignedLeb32DecodesValuesAndPaddedForms(byte[] bytes, int expected)
    {
        var reader = Reader(bytes);
        Assert.Equal(expected, reader.ReadVarInt32());
        Assert.True(reader.AtEnd);
    }

    [Theory]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F }, "integer representation too long")]
    [InlineData(new byte[] { 0x80, 0x80, 0x80, 0x80, 0x80, 0x00 }, "integer representation too long")]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x0F }, "integer too large")] // positive, but the unused bits are not a sign extension
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x4F }, "integer too large")]
    [InlineData(new byte[] { 0x80, 0x80, 0x80, 0x80, 0x70 }, "integer too large")]
    [InlineData(new byte[] { 0x80, 0x80, 0x80, 0x80, 0x1F }, "integer too large")]
    [InlineData(new byte[] { 0xC0 }, "unexpected end of section or function")]
    public void SignedLeb32RejectsOverlongOversizedAndTruncatedEncodings(byte[] bytes, string reason) =>
        Assert.Equal(reason, Malformed(bytes, b => Reader(b).ReadVarInt32()).Reason);

    [Theory]
    [InlineData(new byte[] { 0x7F }, -1L)]
    [InlineData(new byte[] { 0x40 }, -64L)]
    [InlineData(new byte[] { 0x00 }, 0L)]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x0F }, 4294967295L)]
    [InlineData(new byte[] { 0x80, 0x80, 0x80, 0x80, 0x70 }, -4294967296L)]
    public void SignedLeb33CoversTheTypeIndexRange(byte[] bytes, long expected)
    {
        var reader = Reader(bytes);
        Assert.Equal(expected, reader.ReadVarInt33());
        Assert.True(reader.AtEnd);
    }

    [Theory]
    [InlineData(new byte[] { 0x80, 0x80, 0x80, 0x80, 0x10 }, "integer too large")]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x6F }, "integer too large")]
    [InlineData(new byte[] { 0x80, 0x80, 0x80, 0x80, 0x80, 0x00 }, "integer representation too long")]
    public void SignedLeb33RejectsOversizedEncodings(byte[] bytes, string reason) =>
        Assert.Equal(reason, Malformed(bytes, b => Reader(b).ReadVarInt33()).Reason);

    [Theory]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00 }, long.MaxValue)]
    [InlineData(new byte[] { 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7F }, long.MinValue)]
    [InlineData(new byte[] { 0x7F }, -1L)]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F }, -1L)]
    [InlineData(new byte[] { 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00 }, 0L)]
    public void SignedLeb64DecodesExtremes(byte[] bytes, long expected)
    {
        var reader = Reader(bytes);
        Assert.Equal(expected, reader.ReadVarInt64());
        Assert.True(reader.AtEnd);
    }

    [Theory]
    [InlineData(new byte[] { 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00 }, "integer representation too long")]
    [InlineData(new byte[] { 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7E }, "integer too large")]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01 }, "integer too large")]
    [InlineData(new byte[] { 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x02 }, "integer too large")]
    [InlineData(new byte[] { 0x80, 0x80, 0x80 }, "unexpected end of section or function")]
    public void SignedLeb64RejectsOverlongOversizedAndTruncatedEncodings(byte[] bytes, string reason) =>
        Assert.Equal(reason, Malformed(bytes, b => Reader(b).ReadVarInt64()).Reason);

    [Fact]
    public void ErrorsPointAtTheStartOfTheIntegerAndNameTheSection()
    {
        byte[] bytes = [0x01, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00];
        var e = Assert.Throws<MalformedModuleException>(() =>
        {
            var reader = new WasmReader(bytes, 1, bytes.Length, "import");
            reader.ReadVarUInt32();
        });
        Assert.Equal(1, e.Offset);
        Assert.Equal("import", e.Section);
        Assert.Contains("import section", e.Message);
        Assert.Contains("0x1", e.Message);
    }

    [Fact]
    public void ReadsStopAtTheReadersEndEvenWhenTheModuleGoesOn()
    {
        byte[] bytes = [0x80, 0x01, 0x00];
        var e = Assert.Throws<MalformedModuleException>(() => new WasmReader(bytes, 0, 1, Section).ReadVarUInt32());
        Assert.Equal("unexpected end of section or function", e.Reason);
    }

    [Fact]
    public void TheModuleEndReasonCanBeChosen()
    {
        var e = Assert.Throws<MalformedModuleException>(() =>
        {
            var reader = new WasmReader([], 0, 0, "header") { EndReason = WasmReader.ModuleEndReason };
            reader.ReadByte();
        });
        Assert.Equal("unexpected end", e.Reason);
    }

    [Fact]
    public void CountsLargerThanTheBytesLeftFailBeforeAnyoneAllocates()
    {
        byte[] bytes = [0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x00, 0x00];
        var e = Assert.Throws<MalformedModuleException>(() => new WasmReader(bytes, 0, bytes.Length, Section).ReadCount());
        Assert.StartsWith("unexpected end of section or function", e.Reason);
        Assert.Contains("4294967295", e.Reason);

        var reader = new WasmReader([0x02, 0xAA, 0xBB], 0, 3, Section);
        Assert.Equal(2, reader.ReadCount());
    }

    [Fact]
    public void LengthsLargerThanTheBytesLeftAreOutOfBounds()
    {
        byte[] bytes = [0x05, 0x00, 0x00];
        var e = Assert.Throws<MalformedModuleException>(() => new WasmReader(bytes, 0, bytes.Length, Section).ReadLength());
        Assert.Equal("length out of bounds", e.Reason);
    }

    [Fact]
    public void IndicesBeyondInt32KeepTheirBits()
    {
        var reader = Reader([0xFF, 0xFF, 0xFF, 0xFF, 0x0F]);
        Assert.Equal(uint.MaxValue, (uint)reader.ReadIndex());
    }

    [Theory]
    [InlineData("")]
    [InlineData("memory")]
    [InlineData("naïve ✓ 𝄞")]
    public void NamesAreUtf8(string name)
    {
        var utf8 = Encoding.UTF8.GetBytes(name);
        byte[] bytes = [(byte)utf8.Length, .. utf8];
        var reader = Reader(bytes);
        Assert.Equal(name, reader.ReadName());
        Assert.True(reader.AtEnd);
    }

    [Theory]
    [InlineData(new byte[] { 0x01, 0x80 })] // lone continuation byte
    [InlineData(new byte[] { 0x02, 0xC0, 0x80 })] // overlong NUL
    [InlineData(new byte[] { 0x03, 0xED, 0xA0, 0x80 })] // UTF-16 surrogate
    [InlineData(new byte[] { 0x04, 0xF4, 0x90, 0x80, 0x80 })] // above U+10FFFF
    [InlineData(new byte[] { 0x01, 0xFF })]
    [InlineData(new byte[] { 0x02, 0xE2, 0x82 })] // truncated sequence
    public void NamesThatAreNotUtf8AreMalformed(byte[] bytes) =>
        Assert.Equal("malformed UTF-8 encoding", Malformed(bytes, b => Reader(b).ReadName()).Reason);

    [Fact]
    public void NameLongerThanTheInputIsOutOfBounds() =>
        Assert.Equal("length out of bounds", Malformed([0x05, 0x61, 0x62], b => Reader(b).ReadName()).Reason);

    [Theory]
    [InlineData(new byte[] { 0x40 }, "Empty")]
    [InlineData(new byte[] { 0x7F }, "SingleResult")]
    [InlineData(new byte[] { 0x6F }, "SingleResult")]
    [InlineData(new byte[] { 0x03 }, "TypeIndex")]
    [InlineData(new byte[] { 0x80, 0x01 }, "TypeIndex")]
    public void BlockTypesAreEmptyAValueTypeOrATypeIndex(byte[] bytes, string kind)
    {
        var reader = Reader(bytes);
        var blockType = reader.ReadBlockType();
        Assert.Equal(kind, blockType.Kind.ToString());
        Assert.True(reader.AtEnd);
        if (bytes.Length == 2) Assert.Equal(128u, blockType.TypeIndex);
    }

    [Fact]
    public void BlockTypesWithANegativeIndexOrAnUnknownTypeCodeAreMalformed()
    {
        Assert.Equal("malformed value type", Malformed([0x50], b => Reader(b).ReadBlockType()).Reason);
        Assert.Equal("malformed block type", Malformed([0xFF, 0x7F], b => Reader(b).ReadBlockType()).Reason);
    }

    [Fact]
    public void V128IsAValueTypeAndABlockType()
    {
        Assert.Equal(ValueType.V128, new WasmReader([0x00, 0x7B], 1, 2, "type").ReadValueType());
        var reader = new WasmReader([0x7B], 0, 1, "code");
        Assert.Equal(ValueType.V128, reader.ReadBlockType().Result);
    }

    [Fact]
    public void PrefixedOpcodesCombinePrefixAndSubopcode()
    {
        var reader = Reader([0xFC, 0x11, 0x6A, 0xFC, 0x80, 0x01]);
        Assert.Equal(Opcode.TableFill, reader.ReadOpcode());
        Assert.Equal(Opcode.I32Add, reader.ReadOpcode());
        Assert.Equal((Opcode)0xFC080, reader.ReadOpcode());
        Assert.Equal("illegal opcode", Malformed([0xFC, 0x80, 0x80, 0x04], b => Reader(b).ReadOpcode()).Reason);
    }

    [Fact]
    public void ReservedBytesMustBeZero()
    {
        Assert.Equal("zero byte expected", Malformed([0x01], b => { Reader(b).ReadZeroByte(); return 0; }).Reason);
        // A LEB128-padded zero is still not the single zero byte.
        Assert.Equal("zero byte expected", Malformed([0x80, 0x00], b => { Reader(b).ReadZeroByte(); return 0; }).Reason);
    }

    [Fact]
    public void FixedWidthFloatsAreLittleEndian()
    {
        var reader = Reader([0x00, 0x00, 0x80, 0x3F, 0, 0, 0, 0, 0, 0, 0xF0, 0x3F]);
        Assert.Equal(1.0f, BitConverter.UInt32BitsToSingle(reader.ReadUInt32Fixed()));
        Assert.Equal(1.0, BitConverter.UInt64BitsToDouble(reader.ReadUInt64Fixed()));
        Assert.Equal("unexpected end of section or function", Malformed([0x00, 0x00], b => Reader(b).ReadUInt32Fixed()).Reason);
    }
}
