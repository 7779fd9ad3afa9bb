using System.Buffers.Binary;
using System.Text;
using Interstice.Wasm.Wasi.Abi;

namespace Interstice.Wasm.Wasi.Descriptors;

/// <summary>Reads a directory for <c>fd_readdir</c> and encodes its entries as <c>dirent</c> records.</summary>
internal static class DirectoryListing
{
    /// <summary>One entry: its UTF-8 name and type.</summary>
    public readonly record struct Entry(byte[] Name, FileType Type);

    public static List<Entry> Read(string hostPath)
    {
        var entries = new List<Entry> { new("."u8.ToArray(), FileType.Directory), new(".."u8.ToArray(), FileType.Directory) };
        var names = new List<(string Name, FileType Type)>();
        foreach (var info in new DirectoryInfo(hostPath).EnumerateFileSystemInfos())
        {
            var type = info.LinkTarget is not null ? FileType.SymbolicLink
                : info is DirectoryInfo ? FileType.Directory
                : FileType.RegularFile;
            names.Add((info.Name, type));
        }
        names.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        foreach (var (name, type) in names) entries.Add(new Entry(Encoding.UTF8.GetBytes(name), type));
        return entries;
    }

    /// <summary>
    /// Writes the entries from index <paramref name="cookie"/> on into <paramref name="buffer"/>, as
    /// many as fit; the last may be cut short, which tells the program to call again with a bigger
    /// buffer (the spec's convention). Returns the number of bytes written.
    /// </summary>
    public static int Encode(List<Entry> entries, ulong cookie, Span<byte> buffer)
    {
        int used = 0;
        Span<byte> header = stackalloc byte[Layouts.DirentSize];
        for (ulong index = cookie; index < (ulong)entries.Count && used < buffer.Length; index++)
        {
            var entry = entries[(int)index];
            header.Clear();
            BinaryPrimitives.WriteUInt64LittleEndian(header, index + 1);
            BinaryPrimitives.WriteUInt32LittleEndian(header[16..], (uint)entry.Name.Length);
            header[20] = (byte)entry.Type;
            used += CopyPartial(header, buffer[used..]);
            used += CopyPartial(entry.Name, buffer[used..]);
        }
        return used;
    }

    private static int CopyPartial(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        int count = Math.Min(source.Length, destination.Length);
        source[..count].CopyTo(destination);
        return count;
    }
}
