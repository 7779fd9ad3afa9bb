using System.Buffers;
using Interstice.Abi.Encoding;

namespace Interstice.Abi.Tests;

public class ValueReaderWriterTests
{
    [Theory]
    [InlineData(0u, "00")]
    [InlineData(127u, "7f")]
    [InlineData(128u, "8001")]
    [InlineData(16384u, "808001")]
    [InlineData(uint.MaxValue, "ffffffff0f")]
    public void Lengths_are_shortest_form_leb128(uint value, string hex)
    {
        var buffer = new ArrayBufferWriter<byte>();
        new ValueWriter(buffer).WriteLength(value);

        Assert.Equal(hex, Convert.ToHexStringLower(buffer.WrittenSpan));
        var reader = new ValueReader(buffer.WrittenSpan);
        Assert.Equal(value, reader.ReadLength());
        Assert.True(reader.AtEnd);
    }

    [Fact]
    public void Primitives_round_trip_without_allocating()
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        Write(buffer);
        buffer.Clear();
        long before = GC.GetAllocatedBytesForCurrentThread();
        Write(buffer);
        long sum = Read(buffer.WrittenSpan);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(1 + 2 + 3 + 4 + 5 + 6 + 7 + 8 + 9 + 10 + 3, sum);
    }

    private static void Write(ArrayBufferWriter<byte> buffer)
    {
        var w = new ValueWriter(buffer);
        w.WriteBool(true);
        w.WriteU8(2);
        w.WriteU16(3);
        w.WriteU32(4);
        w.WriteU64(5);
        w.WriteI8(6);
        w.WriteI16(7);
        w.WriteI32(8);
        w.WriteI64(9);
        w.WriteF64(10);
        w.WriteUtf8("abc"u8);
    }

    private static long Read(ReadOnlySpan<byte> data)
    {
        var r = new ValueReader(data);
        long sum = r.ReadBool() ? 1 : 0;
        sum += r.ReadU8() + r.ReadU16() + r.ReadU32() + (long)r.ReadU64() + r.ReadI8() + r.ReadI16() + r.ReadI32() + r.ReadI64() + (long)r.ReadF64();
        sum += r.ReadUtf8().Length;
        r.ExpectEnd();
        return sum;
    }

    [Fact]
    public void Strings_with_lone_surrogates_cannot_be_written() =>
        Assert.Throws<ArgumentException>(() => new ValueWriter(new ArrayBufferWriter<byte>()).WriteString("a\udc00"));
}
