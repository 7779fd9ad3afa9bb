using System.Buffers.Binary;
using Interstice.Core.Durability.Format;

namespace Interstice.Core.Tests.Durability.Support;

/// <summary>
/// A log segment or snapshot taken apart into its 40-byte header and its frames' bodies, to be
/// changed and written back as a hostile or buggy writer would: every frame sealed again
/// (<see cref="RecordFrame.Seal"/>) and the header's checksum recomputed, so that the checksums
/// hold and only the checks after them can catch what was changed.
/// </summary>
public sealed class FramedFile
{
    private FramedFile(byte[] header, List<byte[]> bodies)
    {
        Header = header;
        Bodies = bodies;
    }

    /// <summary>The file's header (<see cref="FileHeader"/>); its checksum is recomputed on <see cref="Write"/>.</summary>
    public byte[] Header { get; }

    /// <summary>The bodies of the frames, in file order.</summary>
    public List<byte[]> Bodies { get; }

    /// <summary>Reads a valid segment or snapshot (a frame that does not fit in the file throws).</summary>
    public static FramedFile Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var bodies = new List<byte[]>();
        int offset = FileHeader.Size;
        while (offset < bytes.Length)
        {
            int length = checked((int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(offset)));
            bodies.Add(bytes.AsSpan(offset + LogFormat.FrameHeaderSize, length).ToArray());
            offset += LogFormat.FrameHeaderSize + length;
        }
        return new FramedFile(bytes[..FileHeader.Size], bodies);
    }

    /// <summary>Writes the header, with its checksum recomputed, and every body in a sealed frame.</summary>
    public void Write(string path)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(Header.AsSpan(36), Crc32C.Compute(Header.AsSpan(0, 36)));
        int size = Header.Length;
        foreach (var body in Bodies) size += LogFormat.FrameHeaderSize + body.Length;
        var bytes = new byte[size];
        Header.CopyTo(bytes, 0);
        int offset = Header.Length;
        foreach (var body in Bodies)
        {
            var frame = bytes.AsSpan(offset, LogFormat.FrameHeaderSize + body.Length);
            body.CopyTo(frame[LogFormat.FrameHeaderSize..]);
            RecordFrame.Seal(frame);
            offset += frame.Length;
        }
        File.WriteAllBytes(path, bytes);
    }

    /// <summary>The file offset of frame <paramref name="index"/>.</summary>
    public long OffsetOf(int index)
    {
        long offset = Header.Length;
        for (int i = 0; i < index; i++) offset += LogFormat.FrameHeaderSize + Bodies[i].Length;
        return offset;
    }
}
