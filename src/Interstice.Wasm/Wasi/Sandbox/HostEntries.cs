namespace Interstice.Wasm.Wasi.Sandbox;

/// <summary>Looks at host paths the way <c>lstat</c> does.</summary>
internal static class HostEntries
{
    public static HostEntryKind KindOf(string hostPath)
    {
        var info = new FileInfo(hostPath);
        if (info.LinkTarget is not null) return HostEntryKind.SymbolicLink;
        if (Directory.Exists(hostPath)) return HostEntryKind.Directory;
        return info.Exists ? HostEntryKind.File : HostEntryKind.None;
    }
}
