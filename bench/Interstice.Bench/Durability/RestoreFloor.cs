using System.Buffers;
using System.Buffers.Binary;
using Interstice.Abi.Encoding;
using Interstice.Bench.Support;

namespace Interstice.Bench.Durability;

/// <summary>
/// A yardstick for the replay goal: the least that any in-memory store keeping one object per
/// row does to restore the bench rows. The rows are already decoded and lie back to back in
/// memory, as in the log; the floor copies each into its own array and files it in a presized
/// <see cref="Dictionary{TKey, TValue}"/> by id. Nothing else: no reading, no frame or row
/// checks, no ordered primary-key structure, no index (a node's start does all of those).
/// </summary>
internal sealed class RestoreFloor
{
    private readonly byte[] _rows;
    private readonly int[] _ends;

    /// <param name="count">How many rows (ids 1 to <paramref name="count"/>, as the bench module's <c>bulk_insert</c> writes them).</param>
    public RestoreFloor(int count)
    {
        var buffer = new ArrayBufferWriter<byte>(count * 48);
        var payload = new byte[BenchRows.PayloadLength];
        _ends = new int[count];
        var writer = new ValueWriter(buffer);
        for (int i = 0; i < count; i++)
        {
            BenchRows.WriteRow(ref writer, i + 1, payload);
            _ends[i] = buffer.WrittenCount;
        }
        _rows = buffer.WrittenSpan.ToArray();
    }

    /// <summary>Copies every row into its own array and files it by id; returns the filled dictionary.</summary>
    public Dictionary<ulong, byte[]> Restore()
    {
        var byId = new Dictionary<ulong, byte[]>(_ends.Length);
        int start = 0;
        foreach (int end in _ends)
        {
            var row = _rows.AsSpan(start, end - start).ToArray();
            byId.Add(BinaryPrimitives.ReadUInt64LittleEndian(row), row);
            start = end;
        }
        return byId;
    }
}
