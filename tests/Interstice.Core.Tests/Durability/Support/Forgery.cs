using System.Buffers.Binary;
using Interstice.Core.Durability;

namespace Interstice.Core.Tests.Durability.Support;

/// <summary>
/// Forges one change in a data directory's log or snapshots, chosen by a <see cref="Random"/>,
/// with every checksum made to hold again (<see cref="FramedFile"/>): in one record body or
/// snapshot block, a byte flipped, moved by one or set to 0x00/0xFF/0x7F/0x80, a 4- or 8-byte
/// little-endian integer overwritten with an extreme value or moved by one, a record's kind, id
/// or timestamp or a time held in it set to an extreme, bytes cut out or put in, the body cut
/// short; two records or blocks swapped, one repeated; a field of a segment's or snapshot's
/// header changed; or a record or snapshot made to say something else in its own format
/// (Forgery.Structured.cs). Says what it did, naming the file and offset, and which files it changed.
/// </summary>
public static partial class Forgery
{
    /// <summary>What a forgery did (file, offset, change), and the files it changed, relative to the data directory.</summary>
    public sealed record Forged(string Description, IReadOnlyList<string> Files);

    private static readonly byte[] ExtremeBytes = [0x00, 0xFF, 0x7F, 0x80];
    private static readonly uint[] Extreme32 = [0, 1, int.MaxValue, uint.MaxValue, 0x8000_0000];
    private static readonly ulong[] Extreme64 = [0, 1, int.MaxValue, uint.MaxValue, long.MaxValue, ulong.MaxValue, 0x8000_0000_0000_0000];

    /// <summary>The fields every record body starts with: kind, transaction id, timestamp.</summary>
    private static readonly (int Offset, int Size, string Name)[] RecordHeaderFields = [(0, 1, "kind"), (1, 8, "transaction id"), (9, 8, "timestamp")];

    private static readonly (int Offset, int Size, string Name)[] BlockKindField = [(0, 1, "kind")];

    /// <summary>Times between 2020 and 2040 in microseconds since the Unix epoch: an 8-byte window holding one is most likely a timestamp (a record's, a row's).</summary>
    private const long EarliestTime = 1_577_836_800_000_000, LatestTime = 2_208_988_800_000_000;

    /// <summary>Header fields of a segment or snapshot: offset and size (the checksum at 36 is recomputed).</summary>
    private static readonly (int Offset, int Size, string Name)[] HeaderFields =
        [(0, 8, "magic"), (8, 4, "version"), (12, 4, "flags"), (16, 8, "first u64"), (24, 8, "second u64"), (32, 4, "reserved")];

    public static Forged Apply(string dataDirectory, Random random)
    {
        var directory = new DataDirectory(dataDirectory);
        var segments = directory.ListSegments(includeArchive: true).Select(s => s.Path).ToList();
        var snapshots = directory.ListSnapshots().Select(s => s.Path).ToList();
        double pick = random.NextDouble();
        if (pick < 0.25) return Restructure(dataDirectory, segments, snapshots, random);
        if (snapshots.Count == 0 || pick < 0.65) return ChangeBody(dataDirectory, segments, random, "record");
        if (pick < 0.80) return ChangeBody(dataDirectory, snapshots, random, "block");
        if (pick < 0.86) return ChangeHeader(dataDirectory, segments[random.Next(segments.Count)], random);
        if (pick < 0.90) return ChangeHeader(dataDirectory, snapshots[random.Next(snapshots.Count)], random);
        if (pick < 0.96) return Reorder(dataDirectory, segments, random, "record");
        return Reorder(dataDirectory, snapshots, random, "block");
    }

    /// <summary>Changes the body of one frame, chosen uniformly among every frame of <paramref name="files"/>.</summary>
    private static Forged ChangeBody(string root, List<string> files, Random random, string noun)
    {
        var (path, file, index) = PickFrame(files, random);
        long offset = file.OffsetOf(index);
        var body = file.Bodies[index];
        string change;
        (file.Bodies[index], change) = Mutate(body, random, noun == "record" ? RecordHeaderFields : BlockKindField);
        file.Write(path);
        return new($"{Name(root, path)} {noun} {index} at byte {offset} ({body.Length} bytes): {change}", [Name(root, path)]);
    }

    /// <summary>One change to <paramref name="body"/>, whose first bytes are <paramref name="fields"/>: a copy and what was done.</summary>
    private static (byte[] Body, string Change) Mutate(byte[] body, Random random, (int Offset, int Size, string Name)[] fields)
    {
        // A third of the changes go to the start of the body (kind, id, timestamp; a block's kind and first field).
        int position = random.Next(3) == 0 ? random.Next(Math.Min(body.Length, 26)) : random.Next(body.Length);
        var copy = body.ToArray();
        switch (random.Next(11))
        {
            case 9:
            {
                var (offset, size, name) = fields[random.Next(fields.Length)];
                if (offset + size > body.Length) return Flip(copy, position, random);
                ulong value = size == 1 ? (ulong)random.Next(6) : Extreme64[random.Next(Extreme64.Length)];
                if (size == 1) copy[offset] = (byte)value;
                else BinaryPrimitives.WriteUInt64LittleEndian(copy.AsSpan(offset), value);
                return (copy, $"{name} set to {value}");
            }
            case 10:
            {
                var times = new List<int>();
                for (int at = 0; at + 8 <= body.Length; at++)
                {
                    long time = BinaryPrimitives.ReadInt64LittleEndian(body.AsSpan(at));
                    if (time is >= EarliestTime and <= LatestTime) times.Add(at);
                }
                if (times.Count == 0) return Flip(copy, position, random);
                int field = times[random.Next(times.Count)];
                ulong value = Extreme64[random.Next(Extreme64.Length)];
                BinaryPrimitives.WriteUInt64LittleEndian(copy.AsSpan(field), value);
                return (copy, $"the time at byte {field} set to {value}");
            }
            case 0:
                return Flip(copy, position, random);
            case 1:
            {
                byte value = ExtremeBytes[random.Next(ExtremeBytes.Length)];
                copy[position] = value;
                return (copy, $"byte {position} set to 0x{value:x2}");
            }
            case 2 when body.Length >= 4:
            {
                position = Math.Min(position, body.Length - 4);
                uint value = Extreme32[random.Next(Extreme32.Length)];
                BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(position), value);
                return (copy, $"u32 at byte {position} set to {value}");
            }
            case 3 when body.Length >= 8:
            {
                position = Math.Min(position, body.Length - 8);
                ulong value = Extreme64[random.Next(Extreme64.Length)];
                BinaryPrimitives.WriteUInt64LittleEndian(copy.AsSpan(position), value);
                return (copy, $"u64 at byte {position} set to {value}");
            }
            case 4 when body.Length >= 8:
            {
                position = Math.Min(position, body.Length - 8);
                int delta = random.Next(2) == 0 ? 1 : -1;
                ulong value = BinaryPrimitives.ReadUInt64LittleEndian(copy.AsSpan(position)) + (ulong)(long)delta;
                BinaryPrimitives.WriteUInt64LittleEndian(copy.AsSpan(position), value);
                return (copy, $"u64 at byte {position} moved by {delta:+0;-0}");
            }
            case 5:
            {
                int count = random.Next(1, Math.Min(16, body.Length - position) + 1);
                return ([.. body.AsSpan(0, position), .. body.AsSpan(position + count)], $"{count} bytes cut out at byte {position}");
            }
            case 6:
            {
                var inserted = new byte[random.Next(1, 9)];
                if (random.Next(2) == 0) random.NextBytes(inserted);
                else Array.Fill(inserted, ExtremeBytes[random.Next(ExtremeBytes.Length)]);
                return ([.. body.AsSpan(0, position), .. inserted, .. body.AsSpan(position)],
                    $"bytes {Convert.ToHexStringLower(inserted)} put in at byte {position}");
            }
            case 7:
                return (body[..position], $"cut short to {position} bytes");
            default:
            {
                // A byte one more or one less: lengths and counts off by one.
                int delta = random.Next(2) == 0 ? 1 : -1;
                copy[position] = (byte)(copy[position] + delta);
                return (copy, $"byte {position} moved by {delta:+0;-0}");
            }
        }
    }

    private static (byte[] Body, string Change) Flip(byte[] body, int position, Random random)
    {
        byte mask = (byte)(1 << random.Next(8));
        body[position] ^= mask;
        return (body, $"byte {position} xor 0x{mask:x2}");
    }

    /// <summary>Changes one field of a segment's or snapshot's header and recomputes its checksum.</summary>
    private static Forged ChangeHeader(string root, string path, Random random)
    {
        var file = FramedFile.Read(path);
        var (offset, size, name) = HeaderFields[random.Next(HeaderFields.Length)];
        var field = file.Header.AsSpan(offset, size);
        string change;
        switch (random.Next(3))
        {
            case 0:
            {
                int at = random.Next(size);
                byte mask = (byte)(1 << random.Next(8));
                field[at] ^= mask;
                change = $"byte {at} xor 0x{mask:x2}";
                break;
            }
            case 1 when size == 8:
            {
                int delta = random.Next(2) == 0 ? 1 : -1;
                BinaryPrimitives.WriteUInt64LittleEndian(field, BinaryPrimitives.ReadUInt64LittleEndian(field) + (ulong)(long)delta);
                change = $"moved by {delta:+0;-0}";
                break;
            }
            default:
                if (size == 8)
                {
                    ulong value = Extreme64[random.Next(Extreme64.Length)];
                    BinaryPrimitives.WriteUInt64LittleEndian(field, value);
                    change = $"set to {value}";
                }
                else
                {
                    uint value = Extreme32[random.Next(Extreme32.Length)];
                    BinaryPrimitives.WriteUInt32LittleEndian(field, value);
                    change = $"set to {value}";
                }
                break;
        }
        file.Write(path);
        return new($"{Name(root, path)} header {name} (byte {offset}): {change}", [Name(root, path)]);
    }

    /// <summary>Swaps two frames (of one file or of two), or repeats one after itself.</summary>
    private static Forged Reorder(string root, List<string> files, Random random, string noun)
    {
        var (firstPath, first, i) = PickFrame(files, random);
        if (random.Next(4) == 0)
        {
            first.Bodies.Insert(i + 1, first.Bodies[i]);
            first.Write(firstPath);
            return new($"{Name(root, firstPath)} {noun} {i} at byte {first.OffsetOf(i)} repeated after itself", [Name(root, firstPath)]);
        }
        var (secondPath, second, j) = random.Next(2) == 0 ? (firstPath, first, random.Next(first.Bodies.Count)) : PickFrame(files, random);
        if (secondPath == firstPath) second = first;
        (first.Bodies[i], second.Bodies[j]) = (second.Bodies[j], first.Bodies[i]);
        first.Write(firstPath);
        if (second != first) second.Write(secondPath);
        return new($"{Name(root, firstPath)} {noun} {i} swapped with {Name(root, secondPath)} {noun} {j}", [Name(root, firstPath), Name(root, secondPath)]);
    }

    /// <summary>A frame chosen uniformly among every frame of <paramref name="files"/>.</summary>
    private static (string Path, FramedFile File, int Index) PickFrame(List<string> files, Random random)
    {
        var read = files.Select(FramedFile.Read).ToList();
        int total = read.Sum(f => f.Bodies.Count);
        int pick = random.Next(total);
        for (int f = 0; ; f++)
        {
            if (pick < read[f].Bodies.Count) return (files[f], read[f], pick);
            pick -= read[f].Bodies.Count;
        }
    }

    private static string Name(string root, string path) => Path.GetRelativePath(root, path);
}
