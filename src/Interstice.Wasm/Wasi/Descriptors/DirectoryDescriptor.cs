using Interstice.Wasm.Wasi.Abi;

namespace Interstice.Wasm.Wasi.Descriptors;

/// <summary>
/// An open directory: a pre-opened one, or one opened through a path inside it. Paths given with
/// this descriptor resolve inside <see cref="HostPath"/> and never above it (see
/// <see cref="Sandbox.PathResolver"/>).
/// </summary>
internal sealed class DirectoryDescriptor(string hostPath, string? preopenName, Rights rightsBase, Rights rightsInheriting)
    : Descriptor(rightsBase, rightsInheriting)
{
    private List<DirectoryListing.Entry>? _listing;

    /// <summary>The directory's absolute host path.</summary>
    public string HostPath { get; } = hostPath;

    /// <summary>For a pre-opened directory, the guest path it is known by (what <c>fd_prestat_dir_name</c> returns); otherwise null.</summary>
    public string? PreopenName { get; } = preopenName;

    public override FileType Type => FileType.Directory;

    public override Errno Read(Span<byte> buffer, out int count)
    {
        count = 0;
        return Errno.IsDirectory;
    }

    public override Errno Write(ReadOnlySpan<byte> buffer, out int count)
    {
        count = 0;
        return Errno.IsDirectory;
    }

    /// <summary>
    /// The entries that <c>fd_readdir</c> enumerates, with <c>.</c> and <c>..</c> first and the
    /// rest sorted by name so that cookies (indexes) stay meaningful between calls. Read afresh
    /// when a listing starts over (cookie 0).
    /// </summary>
    public List<DirectoryListing.Entry> GetListing(ulong cookie)
    {
        if (cookie == 0 || _listing is null) _listing = DirectoryListing.Read(HostPath);
        return _listing;
    }

    public override Filestat GetFilestat() => Filestat.OfPath(HostPath);
}
