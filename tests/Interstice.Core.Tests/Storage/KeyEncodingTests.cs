using System.Text;
using Interstice.Core.Storage;

namespace Interstice.Core.Tests.Storage;

public class KeyEncodingTests
{
    private delegate void Write<T>(ref KeyWriter writer, T value);

    /// <summary>Encodes each value and checks that byte order equals value order for every pair.</summary>
    private static void AssertOrderPreserved<T>(IEnumerable<T> values, Write<T> write, Comparison<T> compare)
    {
        var list = values.ToList();
        var keys = list.Select(v => Encode(v, write)).ToList();
        for (int i = 0; i < list.Count; i++)
        {
            for (int j = 0; j < list.Count; j++)
            {
                int expected = Math.Sign(compare(list[i], list[j]));
                int actual = Math.Sign(KeyComparer.Compare(keys[i], keys[j]));
                Assert.True(expected == actual, $"{list[i]} vs {list[j]}: values compare {expected}, keys {actual}");
            }
        }
    }

    private static byte[] Encode<T>(T value, Write<T> write)
    {
        var writer = new KeyWriter(stackalloc byte[8]);
        try
        {
            write(ref writer, value);
            return writer.ToArray();
        }
        finally
        {
            writer.Dispose();
        }
    }

    private static IEnumerable<long> SignedEdges(long min, long max)
    {
        long[] edges = [min, min + 1, -256, -255, -129, -128, -127, -2, -1, 0, 1, 2, 127, 128, 255, 256, max - 1, max];
        var random = new Random((int)(max & 0x7fffffff));
        return edges.Where(e => e >= min && e <= max)
            .Concat(Enumerable.Range(0, 60).Select(_ => min + (long)(random.NextDouble() * ((double)max - min))))
            .Distinct();
    }

    private static IEnumerable<ulong> UnsignedEdges(ulong max)
    {
        ulong[] edges = [0, 1, 2, 127, 128, 255, 256, 65535, 65536, uint.MaxValue, (ulong)uint.MaxValue + 1, max - 1, max];
        var random = new Random(7);
        return edges.Where(e => e <= max)
            .Concat(Enumerable.Range(0, 60).Select(_ => (ulong)(random.NextDouble() * max)))
            .Distinct();
    }

    [Fact]
    public void SignedIntegersKeepTheirOrder()
    {
        AssertOrderPreserved(SignedEdges(sbyte.MinValue, sbyte.MaxValue), (ref KeyWriter w, long v) => w.WriteI8((sbyte)v), (a, b) => a.CompareTo(b));
        AssertOrderPreserved(SignedEdges(short.MinValue, short.MaxValue), (ref KeyWriter w, long v) => w.WriteI16((short)v), (a, b) => a.CompareTo(b));
        AssertOrderPreserved(SignedEdges(int.MinValue, int.MaxValue), (ref KeyWriter w, long v) => w.WriteI32((int)v), (a, b) => a.CompareTo(b));
        AssertOrderPreserved(SignedEdges(long.MinValue, long.MaxValue), (ref KeyWriter w, long v) => w.WriteI64(v), (a, b) => a.CompareTo(b));
    }

    [Fact]
    public void UnsignedIntegersKeepTheirOrder()
    {
        AssertOrderPreserved(UnsignedEdges(byte.MaxValue), (ref KeyWriter w, ulong v) => w.WriteU8((byte)v), (a, b) => a.CompareTo(b));
        AssertOrderPreserved(UnsignedEdges(ushort.MaxValue), (ref KeyWriter w, ulong v) => w.WriteU16((ushort)v), (a, b) => a.CompareTo(b));
        AssertOrderPreserved(UnsignedEdges(uint.MaxValue), (ref KeyWriter w, ulong v) => w.WriteU32((uint)v), (a, b) => a.CompareTo(b));
        AssertOrderPreserved(UnsignedEdges(ulong.MaxValue), (ref KeyWriter w, ulong v) => w.WriteU64(v), (a, b) => a.CompareTo(b));
    }

    [Fact]
    public void EverySmallIntegerKeepsItsOrder()
    {
        AssertOrderPreserved(Enumerable.Range(sbyte.MinValue, 256), (ref KeyWriter w, int v) => w.WriteI8((sbyte)v), (a, b) => a.CompareTo(b));
        AssertOrderPreserved(Enumerable.Range(0, 256), (ref KeyWriter w, int v) => w.WriteU8((byte)v), (a, b) => a.CompareTo(b));
    }

    [Fact]
    public void BoolsKeepTheirOrder()
    {
        AssertOrderPreserved([false, true], (ref KeyWriter w, bool v) => w.WriteBool(v), (a, b) => a.CompareTo(b));
        Assert.Equal([1], Encode(true, (ref KeyWriter w, bool v) => w.WriteBool(v)));
    }

    private static readonly string[] EdgeStrings =
    [
        "", "\0", "\0\0", "\0a", "a", "a\0", "a\0\0", "a\0b", "a\u0001", "ab", "abc", "abd", "b", "ba",
        "\u007f", "\u0080", "é", "z", "\uffff", "\U0001F600", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    ];

    [Fact]
    public void StringsKeepOrdinalCodePointOrderIncludingPrefixesAndZeros()
    {
        AssertOrderPreserved(EdgeStrings, (ref KeyWriter w, string v) => w.WriteString(v), CompareUtf8);
        // The UTF-8 path (how rows hold text) encodes identically to the UTF-16 one.
        foreach (var s in EdgeStrings)
        {
            Assert.Equal(Encode(s, (ref KeyWriter w, string v) => w.WriteString(v)),
                Encode(Encoding.UTF8.GetBytes(s), (ref KeyWriter w, byte[] v) => w.WriteUtf8(v)));
        }
    }

    [Fact]
    public void BytesKeepTheirOrderAndTheEncodingIsAsSpecified()
    {
        byte[][] values = [[], [0], [0, 0], [0, 0xFF], [0, 1], [1], [1, 0], [0xFF], [0xFF, 0], [0xFF, 0xFF]];
        AssertOrderPreserved(values, (ref KeyWriter w, byte[] v) => w.WriteBytes(v), (a, b) => a.AsSpan().SequenceCompareTo(b));
        Assert.Equal([0x61, 0x00, 0xFF, 0x62, 0x00, 0x00], Encode([0x61, 0x00, 0x62], (ref KeyWriter w, byte[] v) => w.WriteBytes(v)));
        Assert.Equal([0x00, 0x00], Encode([], (ref KeyWriter w, byte[] v) => w.WriteBytes(v)));
    }

    [Fact]
    public void RandomStringsKeepTheirOrder()
    {
        var random = new Random(42);
        var alphabet = new[] { '\0', '\u0001', 'a', 'b', '\u00ff', '\uffff' };
        var values = Enumerable.Range(0, 300)
            .Select(_ => new string(Enumerable.Range(0, random.Next(6)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray()))
            .Distinct().ToList();
        AssertOrderPreserved(values, (ref KeyWriter w, string v) => w.WriteString(v), CompareUtf8);
    }

    [Fact]
    public void CompositeKeysCompareFieldByField()
    {
        var values = new List<(string, int)>();
        foreach (var s in new[] { "", "a", "a\0", "ab", "b" })
        {
            foreach (int i in new[] { int.MinValue, -1, 0, 1, int.MaxValue }) values.Add((s, i));
        }
        AssertOrderPreserved(values, (ref KeyWriter w, (string S, int I) v) =>
        {
            w.WriteString(v.S);
            w.WriteI32(v.I);
        }, (a, b) => CompareUtf8(a.Item1, b.Item1) is var c && c != 0 ? c : a.Item2.CompareTo(b.Item2));
    }

    [Fact]
    public void TheWriterGrowsPastItsBufferAndStaysExact()
    {
        var value = new byte[5000];
        new Random(1).NextBytes(value);
        var key = Encode(value, (ref KeyWriter w, byte[] v) =>
        {
            w.WriteU8(7);
            w.WriteBytes(v);
            w.WriteI64(-1);
        });
        Assert.Equal(1 + KeyEncoding.GetEscapedLength(value) + 8, key.Length);
        Assert.True(KeyEncoding.TryReadEscaped(key.AsSpan(1), out var decoded, out int consumed));
        Assert.Equal(value, decoded);
        Assert.Equal(KeyEncoding.GetEscapedLength(value), consumed);
    }

    [Fact]
    public void InvalidUtf16IsRejected()
    {
        var ex = Assert.Throws<ArgumentException>(() => Encode("a\ud800b", (ref KeyWriter w, string v) => w.WriteString(v)));
        Assert.Contains("surrogate", ex.Message);
    }

    [Fact]
    public void FormatterRendersEachTypeReadably()
    {
        Assert.Equal("-1", KeyFormatter.Format(KeyType.I32, Encode(-1, (ref KeyWriter w, int v) => w.WriteI32(v))));
        Assert.Equal("-128", KeyFormatter.Format(KeyType.I8, Encode((sbyte)-128, (ref KeyWriter w, sbyte v) => w.WriteI8(v))));
        Assert.Equal("18446744073709551615", KeyFormatter.Format(KeyType.U64, Encode(ulong.MaxValue, (ref KeyWriter w, ulong v) => w.WriteU64(v))));
        Assert.Equal("true", KeyFormatter.Format(KeyType.Bool, [1]));
        Assert.Equal("\"a\\\"b\\u0000\"", KeyFormatter.Format(KeyType.String, Encode("a\"b\0", (ref KeyWriter w, string v) => w.WriteString(v))));
        Assert.Equal("0x00ff", KeyFormatter.Format(KeyType.Bytes, Encode(new byte[] { 0, 0xFF }, (ref KeyWriter w, byte[] v) => w.WriteBytes(v))));
        Assert.Equal("<malformed key 0x0102>", KeyFormatter.Format(KeyType.U32, [1, 2]));
        Assert.Equal("<malformed key 0x6100>", KeyFormatter.Format(KeyType.String, [0x61, 0]));
        Assert.Equal("<malformed key 0x02>", KeyFormatter.Format(KeyType.Bool, [2]));
    }

    private static int CompareUtf8(string a, string b) => Encoding.UTF8.GetBytes(a).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(b));
}
