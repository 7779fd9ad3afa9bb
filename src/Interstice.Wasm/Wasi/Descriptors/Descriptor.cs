using Interstice.Wasm.Wasi.Abi;

namespace Interstice.Wasm.Wasi.Descriptors;

/// <summary>
/// What a WASI file descriptor refers to: a standard stream, an open file or a directory. The
/// default implementations answer as POSIX does for a descriptor that cannot do the operation.
/// </summary>
internal abstract class Descriptor : IDisposable
{
    protected Descriptor(Rights rightsBase, Rights rightsInheriting)
    {
        RightsBase = rightsBase;
        RightsInheriting = rightsInheriting;
    }

    public abstract FileType Type { get; }

    /// <summary>What the descriptor may be used for (<c>fs_rights_base</c>).</summary>
    public Rights RightsBase { get; set; }

    /// <summary>What descriptors opened through this one may be used for (<c>fs_rights_inheriting</c>).</summary>
    public Rights RightsInheriting { get; set; }

    public DescriptorFlags Flags { get; set; }

    public bool Can(Rights rights) => (RightsBase & rights) == rights;

    public virtual Errno Read(Span<byte> buffer, out int count)
    {
        count = 0;
        return Errno.BadDescriptor;
    }

    public virtual Errno Write(ReadOnlySpan<byte> buffer, out int count)
    {
        count = 0;
        return Errno.BadDescriptor;
    }

    public virtual Errno ReadAt(Span<byte> buffer, ulong offset, out int count)
    {
        count = 0;
        return Errno.InvalidSeek;
    }

    public virtual Errno WriteAt(ReadOnlySpan<byte> buffer, ulong offset, out int count)
    {
        count = 0;
        return Errno.InvalidSeek;
    }

    public virtual Errno Seek(long offset, Whence whence, out ulong position)
    {
        position = 0;
        return Errno.InvalidSeek;
    }

    public abstract Filestat GetFilestat();

    public virtual void Dispose() { }
}
