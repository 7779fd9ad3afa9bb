namespace Interstice.Core.Modules;

/// <summary>
/// The module binaries a node has loaded, kept in its data directory by content hash
/// (<c>modules/&lt;sha-256&gt;.wasm</c>), so that the node's records name binaries it still has.
/// </summary>
internal sealed class ModuleStore(string directory)
{
    public string Directory { get; } = Path.Combine(directory, "modules");

    /// <summary>The path of the binary with <paramref name="hash"/>.</summary>
    public string PathOf(string hash) => Path.Combine(Directory, hash + ".wasm");

    /// <summary>Stores <paramref name="wasm"/> unless it is there already (written to a temporary file, then renamed).</summary>
    public void Save(string hash, ReadOnlySpan<byte> wasm)
    {
        string path = PathOf(hash);
        if (File.Exists(path)) return;
        System.IO.Directory.CreateDirectory(Directory);
        string temporary = path + "." + Environment.ProcessId + ".tmp";
        File.WriteAllBytes(temporary, wasm.ToArray());
        File.Move(temporary, path, overwrite: true);
    }
}
