using Interstice.Wasm.Binary;
using static Interstice.Wasm.Tests.TestSupport.Bytes;

namespace Interstice.Wasm.Tests.Binary;

/// <summary>Binaries the decoder must reject, each with the reason and place it reports.</summary>
public sealed class MalformedModuleTests
{
    private static MalformedModuleException Reject(byte[] bytes) =>
        Assert.Throws<MalformedModuleException>(() => ModuleDecoder.Decode(bytes));

    private static void AssertReason(string expectedStart, byte[] bytes)
    {
        var e = Reject(bytes);
        Assert.StartsWith(expectedStart, e.Reason);
    }

    [Theory]
    [InlineData(new byte[0], "unexpected end")]
    [InlineData(new byte[] { 0x00, 0x61, 0x73 }, "unexpected end")]
    [InlineData(new byte[] { 0x00, 0x61, 0x73, 0x6D, 0x01 }, "unexpected end")]
    [InlineData(new byte[] { 0x00, 0x61, 0x73, 0x6E, 0x01, 0x00, 0x00, 0x00 }, "magic header not detected")]
    [InlineData(new byte[] { 0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x01, 0x00 }, "magic header not detected")]
    [InlineData(new byte[] { 0x00, 0x61, 0x73, 0x6D, 0x02, 0x00, 0x00, 0x00 }, "unknown binary version")]
    [InlineData(new byte[] { 0x00, 0x61, 0x73, 0x6D, 0x00, 0x00, 0x00, 0x01 }, "unknown binary version")]
    public void TheHeaderMustBeMagicAndVersionOne(byte[] bytes, string reason)
    {
        var e = Reject(bytes);
        Assert.StartsWith(reason, e.Reason);
        Assert.Equal("header", e.Section);
    }

    [Theory]
    [InlineData(0x0D)]
    [InlineData(0x7F)]
    [InlineData(0x80)]
    [InlineData(0xFF)]
    public void UnknownSectionIdsAreMalformed(byte id)
    {
        var e = Reject(Module([id, 0x00]));
        Assert.StartsWith("malformed section id", e.Reason);
        Assert.Equal(8, e.Offset);
    }

    [Fact]
    public void SectionsOutOfOrderOrRepeatedAreUnexpected()
    {
        var type = TypeSection(([], []));
        AssertReason("unexpected content after last section", Module(type, type));
        AssertReason("unexpected content after last section", Module(Section(5, Vector([0x00, 0x01])), TypeSection(([], []))));
        // The data count section sits between the element and code sections.
        AssertReason("unexpected content after last section", Module(type, FunctionSection(0), CodeSection([0x00, 0x0B]), Section(12, 0x00)));
        // Custom sections may go anywhere, any number of times.
        ModuleDecoder.Decode(Module(Section(0, Name("a")), type, Section(0, Name("a")), FunctionSection(0), Section(0, Name("b")), CodeSection([0x00, 0x0B]), Section(0, Name("c"))));
    }

    [Fact]
    public void SectionSizesMustMatchTheirContents()
    {
        // Declares one type but carries two.
        AssertReason("section size mismatch", Module(Section(1, 0x01, 0x60, 0x00, 0x00, 0x60, 0x00, 0x00)));
        // Declares two types but the section ends after one.
        AssertReason("unexpected end of section or function", Module(Section(1, 0x02, 0x60, 0x00, 0x00)));
        // A section claiming more bytes than the module has.
        AssertReason("length out of bounds", Module([0x01, 0x10, 0x01, 0x60, 0x00, 0x00]));
    }

    [Fact]
    public void FunctionAndCodeCountsMustAgree()
    {
        var type = TypeSection(([], []));
        AssertReason("function and code section have inconsistent lengths", Module(type, FunctionSection(0, 0), CodeSection([0x00, 0x0B])));
        AssertReason("function and code section have inconsistent lengths", Module(type, FunctionSection(0)));
        AssertReason("function and code section have inconsistent lengths", Module(type, CodeSection([0x00, 0x0B])));
    }

    [Fact]
    public void DataCountMustMatchTheDataSection()
    {
        byte[] memory = Section(5, Vector([0x00, 0x01]));
        byte[] passive = [0x01, 0x00];
        AssertReason("data count and data section have inconsistent lengths", Module(memory, Section(12, 0x02), Section(11, Vector(passive))));
        AssertReason("data count and data section have inconsistent lengths", Module(memory, Section(12, 0x01)));
        ModuleDecoder.Decode(Module(memory, Section(12, 0x00)));
    }

    [Fact]
    public void MemoryInitAndDataDropNeedADataCountSectionWhenThereAreSegments()
    {
        byte[] memory = Section(5, Vector([0x00, 0x01]));
        byte[] dataDrop = [0x00, 0xFC, 0x09, 0x00, 0x0B];
        byte[] data = Section(11, Vector([0x01, 0x00]));
        var type = TypeSection(([], []));
        var e = Reject(Module(type, FunctionSection(0), memory, CodeSection(dataDrop), data));
        Assert.StartsWith("data count section required", e.Reason);
        Assert.Equal("code", e.Section);
        // With the data count section it decodes.
        ModuleDecoder.Decode(Module(type, FunctionSection(0), memory, Section(12, 0x01), CodeSection(dataDrop), data));
        // Without any data segment the index is simply unknown, which validation reports.
        ModuleDecoder.Decode(Module(type, FunctionSection(0), memory, CodeSection(dataDrop)));
    }

    [Theory]
    [InlineData(new byte[] { 0x02, 0x00 }, "integer too large")] // limits flag 2
    [InlineData(new byte[] { 0x81, 0x00, 0x00 }, "integer representation too long")]
    public void LimitsFlagsAreZeroOrOne(byte[] limits, string reason) =>
        AssertReason(reason, Module(Section(5, [0x01, .. limits])));

    [Fact]
    public void ImportExportKindsMutabilitiesAndTypeFormsAreChecked()
    {
        AssertReason("malformed import kind", Module(Section(2, Vector([.. Name("m"), .. Name("n"), 0x04, 0x00]))));
        AssertReason("malformed export kind", Module(Section(7, Vector([.. Name("e"), 0x04, 0x00]))));
        AssertReason("malformed mutability", Module(Section(6, Vector([0x7F, 0x02, 0x41, 0x00, 0x0B]))));
        AssertReason("malformed function type", Module(Section(1, Vector([0x61, 0x00, 0x00]))));
        AssertReason("integer representation too long", Module(Section(1, Vector([0xE0, 0x7F, 0x00, 0x00]))));
        AssertReason("malformed value type", Module(Section(1, Vector([0x60, 0x01, 0x40, 0x00]))));
        AssertReason("malformed reference type", Module(Section(4, Vector([0x7F, 0x00, 0x01]))));
        AssertReason("malformed elements segment kind", Module(Section(9, Vector([0x08]))));
        AssertReason("malformed element kind", Module(Section(9, Vector([0x01, 0x01, 0x00]))));
        AssertReason("malformed data segment kind", Module(Section(11, Vector([0x03]))));
    }

    [Fact]
    public void TooManyLocalsAreRefusedBeforeAnyAllocation()
    {
        var type = TypeSection(([], []));
        byte[] Body(params (uint Count, byte Type)[] locals) =>
            [.. Vector(locals.Select(l => (byte[])[.. Leb(l.Count), l.Type]).ToArray()), 0x0B];

        ModuleDecoder.Decode(Module(type, FunctionSection(0), CodeSection(Body((ModuleDecoder.MaxLocals, 0x7F)))));
        AssertReason("too many locals", Module(type, FunctionSection(0), CodeSection(Body((ModuleDecoder.MaxLocals + 1, 0x7F)))));
        AssertReason("too many locals", Module(type, FunctionSection(0), CodeSection(Body((30_000, 0x7F), (30_000, 0x7E)))));
        AssertReason("too many locals", Module(type, FunctionSection(0), CodeSection(Body((uint.MaxValue, 0x7F), (uint.MaxValue, 0x7E)))));
    }

    [Fact]
    public void HugeDeclaredCountsFailFastWithoutAllocating()
    {
        // 2^32 - 1 of each kind of entry, backed by a handful of bytes.
        byte[] huge = [0xFF, 0xFF, 0xFF, 0xFF, 0x0F];
        foreach (byte id in new byte[] { 1, 2, 3, 4, 5, 6, 7, 9, 10, 11 })
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            var e = Reject(Module(Section(id, [.. huge, 0x00, 0x00])));
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.StartsWith("unexpected end of section or function", e.Reason);
            Assert.Contains("4294967295", e.Reason);
            Assert.True(allocated < 64 * 1024, $"section {id}: {allocated} bytes allocated for a rejected count");
        }
        // The same inside a function body: a br_table with 2^32 - 1 labels.
        var bytes = SingleFunction([0x41, 0x00, 0x0E, .. huge, 0x00, 0x0B]);
        AssertReason("unexpected end of section or function", bytes);
    }

    [Fact]
    public void FunctionBodiesMustBeWellFormed()
    {
        AssertReason("illegal opcode", SingleFunction(0x06, 0x0B));
        AssertReason("illegal opcode", SingleFunction(0xFF, 0x0B));
        AssertReason("illegal opcode", SingleFunction(0xFC, 0x12, 0x0B));
        AssertReason("zero byte expected", SingleFunction(0x3F, 0x01, 0x1A, 0x0B));
        AssertReason("zero byte expected", SingleFunction(0x41, 0x00, 0x40, 0x80, 0x00, 0x1A, 0x0B));
        AssertReason("zero byte expected", SingleFunction(0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0xFC, 0x0A, 0x00, 0x01, 0x0B));
        AssertReason("malformed reference type", SingleFunction(0xD0, 0x7F, 0x1A, 0x0B));
        AssertReason("integer representation too long", SingleFunction(0x41, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00, 0x1A, 0x0B));
        AssertReason("integer too large", SingleFunction(0x41, 0x80, 0x80, 0x80, 0x80, 0x70, 0x1A, 0x0B));
    }

    [Fact]
    public void ElseMustFollowAnIfAndBlocksMustClose()
    {
        AssertReason("END opcode expected", SingleFunction(0x05, 0x0B));
        AssertReason("END opcode expected", SingleFunction(0x02, 0x40, 0x05, 0x0B, 0x0B));
        AssertReason("END opcode expected", SingleFunction(0x41, 0x00, 0x04, 0x40, 0x05, 0x05, 0x0B, 0x0B));
        // The body ends before its last block closes.
        var e = Reject(SingleFunction(0x02, 0x40, 0x0B));
        Assert.StartsWith("unexpected end of section or function", e.Reason);
        Assert.Equal("code", e.Section);
        // Code after the function's final end.
        AssertReason("section size mismatch", SingleFunction(0x0B, 0x01));
        ModuleDecoder.Decode(SingleFunction(0x41, 0x00, 0x04, 0x40, 0x01, 0x05, 0x01, 0x0B, 0x0B));
    }

    [Fact]
    public void ConstantExpressionsAreScannedToo()
    {
        AssertReason("illegal opcode", Module(Section(6, Vector([0x7F, 0x00, 0x41, 0x00, 0xF3, 0x0B]))));
        AssertReason("unexpected end of section or function", Module(Section(6, Vector([0x7F, 0x00, 0x41, 0x00]))));
    }

    [Fact]
    public void SimdInstructionsAreScannedWithTheirImmediates()
    {
        ModuleDecoder.Decode(Module(TypeSection(([0x7B], [0x7B]))));
        // v128.const with its 16 bytes, i8x16.shuffle with its 16 lane indices, a lane index, a memory argument and a lane.
        byte[] sixteen = [.. Enumerable.Range(0, 16).Select(i => (byte)i)];
        ModuleDecoder.Decode(SingleFunction([0xFD, 0x0C, .. sixteen, 0x1A, 0x0B]));
        ModuleDecoder.Decode(SingleFunction([0xFD, 0x0D, .. sixteen, 0x1A, 0x0B]));
        ModuleDecoder.Decode(SingleFunction(0xFD, 0x15, 0x03, 0x1A, 0x0B));
        ModuleDecoder.Decode(SingleFunction(0xFD, 0x54, 0x00, 0x08, 0x0F, 0x1A, 0x0B));
        // Subopcodes above 0x7F take two LEB128 bytes: 0xFD 0x80 0x01 is i16x8.abs.
        ModuleDecoder.Decode(SingleFunction(0xFD, 0x80, 0x01, 0x1A, 0x0B));

        AssertReason("unexpected end of section or function", SingleFunction([0xFD, 0x0C, .. sixteen[..15]]));
        AssertReason("unexpected end of section or function", SingleFunction(0xFD, 0x15));
    }

    [Theory]
    [InlineData(0x9A, 0x01)] // reserved between i16x8.max_u and i16x8.avgr_u
    [InlineData(0xA2, 0x01)] // reserved between i32x4.neg and i32x4.all_true
    [InlineData(0x80, 0x02)] // 0x100: past the last SIMD instruction
    public void ReservedSimdSubopcodesAreIllegal(byte low, byte high)
    {
        AssertReason("illegal opcode", SingleFunction(0xFD, low, high, 0x1A, 0x0B));
    }

    [Fact]
    public void ErrorsNameTheSectionAndTheOffset()
    {
        var bytes = Module(TypeSection(([], [])), FunctionSection(0), CodeSection([0x00, 0x41, 0x00, 0xF3, 0x0B]));
        var e = Reject(bytes);
        Assert.Equal("code", e.Section);
        Assert.Equal(bytes.Length - 2, e.Offset);
        Assert.Contains($"0x{bytes.Length - 2:x}", e.Message);
        Assert.Contains("code section", e.Message);
    }
}
