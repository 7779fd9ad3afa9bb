using Interstice.Wasm.Wasi.Abi;

namespace Interstice.Wasm.Wasi.Descriptors;

/// <summary>
/// A program's file descriptors. New descriptors take the lowest free number, as POSIX
/// requires; at most <see cref="MaxDescriptors"/> are open at once, so that a program cannot
/// exhaust the host's handles.
/// </summary>
internal sealed class DescriptorTable : IDisposable
{
    public const int MaxDescriptors = 1024;

    private readonly List<Descriptor?> _entries = [];

    public Descriptor? Get(int fd) => fd >= 0 && fd < _entries.Count ? _entries[fd] : null;

    /// <summary>Adds <paramref name="descriptor"/> under the lowest free number; <see cref="Errno.TooManyFiles"/> when the table is full.</summary>
    public Errno Add(Descriptor descriptor, out int fd)
    {
        fd = _entries.IndexOf(null);
        if (fd < 0)
        {
            if (_entries.Count >= MaxDescriptors)
            {
                descriptor.Dispose();
                return Errno.TooManyFiles;
            }
            fd = _entries.Count;
            _entries.Add(descriptor);
        }
        else
        {
            _entries[fd] = descriptor;
        }
        return Errno.Success;
    }

    public Errno Close(int fd)
    {
        var descriptor = Get(fd);
        if (descriptor is null) return Errno.BadDescriptor;
        _entries[fd] = null;
        TrimEnd();
        descriptor.Dispose();
        return Errno.Success;
    }

    /// <summary><c>fd_renumber</c>: moves <paramref name="from"/> to <paramref name="to"/>, closing what <paramref name="to"/> referred to.</summary>
    public Errno Renumber(int from, int to)
    {
        var source = Get(from);
        var target = Get(to);
        if (source is null || target is null) return Errno.BadDescriptor;
        if (from == to) return Errno.Success;
        _entries[to] = source;
        _entries[from] = null;
        TrimEnd();
        target.Dispose();
        return Errno.Success;
    }

    private void TrimEnd()
    {
        while (_entries.Count > 0 && _entries[^1] is null) _entries.RemoveAt(_entries.Count - 1);
    }

    public void Dispose()
    {
        foreach (var descriptor in _entries) descriptor?.Dispose();
        _entries.Clear();
    }
}
