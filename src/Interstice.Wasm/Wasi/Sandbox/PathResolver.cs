using Interstice.Wasm.Wasi.Abi;

namespace Interstice.Wasm.Wasi.Sandbox;

/// <summary>
/// Resolves a guest path relative to a directory descriptor without ever leaving that directory,
/// one component at a time, as the kernel would but with the directory as the root that
/// nothing can climb above:
/// <list type="bullet">
/// <item>absolute paths are refused (wasi-libc turns a program's absolute paths into paths relative to a pre-open before calling the host);</item>
/// <item><c>..</c> pops a component and is refused when there is none left to pop;</item>
/// <item>every symbolic link met on the way (and the last component, when it is to be followed) is read and its target
/// spliced into the path, resolved by the same rules: a target that is absolute, or climbs out, is refused;</item>
/// <item>more than <see cref="MaxSymlinkExpansions"/> expansions is a loop.</item>
/// </list>
/// Refusals are <see cref="Errno.NotCapable"/>. The host's own files may change between resolution and
/// use; programs cannot exploit that from inside, since WASI gives them no way to create links.
/// </summary>
internal static class PathResolver
{
    public const int MaxSymlinkExpansions = 32;

    /// <param name="root">The directory's absolute host path.</param>
    /// <param name="guestPath">The path the program gave, relative to that directory.</param>
    /// <param name="followFinal">Whether a symbolic link as the last component is followed (lookupflags <c>symlink_follow</c>).</param>
    /// <param name="resolved">The host path, when the result is <see cref="Errno.Success"/>.</param>
    public static Errno Resolve(string root, string guestPath, bool followFinal, out ResolvedPath resolved)
    {
        resolved = default;
        if (guestPath.Length == 0) return Errno.NoEntry;
        if (guestPath.Contains('\0')) return Errno.IllegalSequence;
        if (guestPath[0] == '/') return Errno.NotCapable;
        if (OperatingSystem.IsWindows() && (guestPath.Contains('\\') || guestPath.Contains(':'))) return Errno.NotCapable;

        bool trailingSlash = guestPath[^1] == '/';
        var pending = new List<string>();
        PushComponents(pending, guestPath);
        var components = new List<string>();
        int expansions = 0;
        while (pending.Count > 0)
        {
            string component = pending[^1];
            pending.RemoveAt(pending.Count - 1);
            if (component is "" or ".") continue;
            if (component == "..")
            {
                if (components.Count == 0) return Errno.NotCapable;
                components.RemoveAt(components.Count - 1);
                continue;
            }
            bool isLast = pending.Count == 0;
            string? target;
            try
            {
                // One lstat per component: a link is read and spliced in (unless it is the last
                // component and not to be followed); a file in the middle of a path is ENOTDIR.
                var info = new FileInfo(Join(root, components, component));
                var attributes = info.Attributes;
                bool exists = (int)attributes != -1;
                if (exists && (attributes & FileAttributes.ReparsePoint) != 0 && (!isLast || followFinal || trailingSlash))
                    target = info.LinkTarget;
                else if (exists && !isLast && (attributes & FileAttributes.Directory) == 0)
                    return Errno.NotDirectory;
                else
                    target = null;
            }
            catch (Exception e) when (HostErrors.IsFileSystemError(e))
            {
                // e.g. a name longer than the host allows, or a directory the host may not search.
                return HostErrors.ToErrno(e);
            }
            if (target is not null)
            {
                if (++expansions > MaxSymlinkExpansions) return Errno.Loop;
                if (target.Length == 0) return Errno.NoEntry;
                if (Path.IsPathRooted(target) || target.Contains('\0')) return Errno.NotCapable;
                PushComponents(pending, target);
                continue;
            }
            components.Add(component);
        }
        resolved = new ResolvedPath(Join(root, components, null), components.Count == 0, trailingSlash);
        return Errno.Success;
    }

    /// <summary>Pushes the components of <paramref name="path"/> so that the first one is popped first.</summary>
    private static void PushComponents(List<string> pending, string path)
    {
        var parts = path.Split('/');
        for (int i = parts.Length - 1; i >= 0; i--) pending.Add(parts[i]);
    }

    private static string Join(string root, List<string> components, string? last)
    {
        string path = root;
        foreach (string component in components) path = Path.Join(path, component);
        return last is null ? path : Path.Join(path, last);
    }
}
