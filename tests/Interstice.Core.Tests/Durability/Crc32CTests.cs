using System.Text;
using Interstice.Core.Durability.Format;

namespace Interstice.Core.Tests.Durability;

public class Crc32CTests
{
    [Fact]
    public void Matches_the_standard_check_value() =>
        Assert.Equal(0xE3069283u, Crc32C.Compute(Encoding.ASCII.GetBytes("123456789")));

    [Fact]
    public void Matches_published_vectors()
    {
        // RFC 3720 (iSCSI), appendix B.4.
        Assert.Equal(0x8A9136AAu, Crc32C.Compute(new byte[32]));
        Assert.Equal(0x62A8AB43u, Crc32C.Compute(Enumerable.Repeat((byte)0xFF, 32).ToArray()));
        Assert.Equal(0x46DD794Eu, Crc32C.Compute(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray()));
    }

    [Fact]
    public void Feeding_in_pieces_gives_the_same_checksum()
    {
        var data = new byte[1000];
        new Random(7).NextBytes(data);
        uint whole = Crc32C.Compute(data);
        for (int split = 0; split <= data.Length; split += 37)
        {
            uint state = Crc32C.Update(~0u, data.AsSpan(0, split));
            Assert.Equal(whole, ~Crc32C.Update(state, data.AsSpan(split)));
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(4096)]
    [InlineData(100_003)]
    [InlineData(16_777_259)]
    public void Shift_over_zero_bytes_combines_the_states_of_two_ranges(int length)
    {
        var random = new Random(length);
        var data = new byte[length];
        random.NextBytes(data);
        uint state = (uint)random.Next() ^ 0x5A5A5A5Au;
        Assert.Equal(Crc32C.Update(state, data), Crc32C.Shift(state, (uint)length) ^ Crc32C.Update(0, data));
        Assert.Equal(Crc32C.Update(state, new byte[length]), Crc32C.Shift(state, (uint)length));
        // A range's checksum from the states at its ends.
        int cut = length / 3;
        uint before = Crc32C.Update(0, data.AsSpan(0, cut));
        uint after = Crc32C.Update(0, data);
        Assert.Equal(Crc32C.Update(0, data.AsSpan(cut)), after ^ Crc32C.Shift(before, (uint)(length - cut)));
    }
}
