using Interstice.Wasm.Wasi.Abi;

namespace Interstice.Wasm.Wasi.Descriptors;

/// <summary>
/// A standard stream (stdin, stdout, stderr) backed by a .NET stream; with no stream, reads see
/// end of file and writes are discarded. The stream belongs to whoever configured it: it is
/// flushed after each write but never closed here.
/// </summary>
internal sealed class StreamDescriptor(Stream? stream, bool readable) : Descriptor(readable ? Rights.Stream & ~Rights.FdWrite : Rights.Stream & ~Rights.FdRead, Rights.None)
{
    public override FileType Type => FileType.CharacterDevice;

    public override Errno Read(Span<byte> buffer, out int count)
    {
        count = stream is null || buffer.IsEmpty ? 0 : stream.Read(buffer);
        return Errno.Success;
    }

    public override Errno Write(ReadOnlySpan<byte> buffer, out int count)
    {
        if (stream is not null)
        {
            stream.Write(buffer);
            stream.Flush();
        }
        count = buffer.Length;
        return Errno.Success;
    }

    public override Filestat GetFilestat() => Filestat.OfStream;
}
