using System.Buffers.Binary;
using Interstice.Wasm.Wasi.Abi;

namespace Interstice.Wasm.Wasi.Descriptors;

/// <summary>
/// WASI <c>filestat</c>. Device and inode numbers are reported as 0: .NET does not expose them,
/// and inventing some would mislead programs that compare them.
/// </summary>
internal readonly record struct Filestat(FileType Type, ulong Size, ulong LinkCount, ulong AccessTime, ulong ModificationTime, ulong ChangeTime)
{
    public static Filestat OfStream => new(FileType.CharacterDevice, 0, 1, 0, 0, 0);

    /// <summary>The filestat of the file or directory at <paramref name="hostPath"/>, not following a final symbolic link.</summary>
    public static Filestat OfPath(string hostPath)
    {
        FileSystemInfo info = new FileInfo(hostPath);
        if (info.LinkTarget is null && Directory.Exists(hostPath)) info = new DirectoryInfo(hostPath);
        if (!info.Exists) throw new FileNotFoundException("no such file or directory", hostPath);
        var type = info.LinkTarget is not null ? FileType.SymbolicLink
            : info is DirectoryInfo ? FileType.Directory
            : FileType.RegularFile;
        ulong size = info is FileInfo file && type == FileType.RegularFile ? (ulong)file.Length : 0;
        return new Filestat(type, size, 1, ToNanoseconds(info.LastAccessTimeUtc), ToNanoseconds(info.LastWriteTimeUtc), ToNanoseconds(info.LastWriteTimeUtc));
    }

    public static ulong ToNanoseconds(DateTime utc) =>
        utc <= DateTime.UnixEpoch ? 0 : (ulong)(utc - DateTime.UnixEpoch).Ticks * 100;

    public static DateTime FromNanoseconds(ulong nanoseconds) =>
        DateTime.UnixEpoch.AddTicks((long)Math.Min(nanoseconds / 100, (ulong)(DateTime.MaxValue - DateTime.UnixEpoch).Ticks));

    /// <summary>Writes the structure in its guest layout (<see cref="Layouts.FilestatSize"/> bytes).</summary>
    public void WriteTo(Span<byte> destination)
    {
        destination[..Layouts.FilestatSize].Clear();
        destination[16] = (byte)Type;
        BinaryPrimitives.WriteUInt64LittleEndian(destination[24..], LinkCount);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[32..], Size);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[40..], AccessTime);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[48..], ModificationTime);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[56..], ChangeTime);
    }
}
