using Interstice.Core.Durability.IO;

namespace Interstice.Core.Modules;

/// <summary>
/// The module binaries a durable node has loaded, kept in its data directory by content hash
/// (<c>modules/&lt;sha-256&gt;.wasm</c>), so that a restart reloads exactly the code that wrote
/// the logged state. A binary is made durable (written to a temporary file, fsynced, renamed,
/// directory fsynced) before the log mentions its hash.
/// </summary>
internal sealed class ModuleStore(string dataDirectory)
{
    public string Directory { get; } = Path.Combine(dataDirectory, "modules");

    /// <summary>The path of the binary with <paramref name="hash"/>.</summary>
    public string PathOf(string hash) => Path.Combine(Directory, hash + ".wasm");

    /// <summary>Stores <paramref name="wasm"/> durably unless it is there already.</summary>
    public void Save(string hash, ReadOnlySpan<byte> wasm)
    {
        string path = PathOf(hash);
        if (File.Exists(path)) return;
        System.IO.Directory.CreateDirectory(Directory);
        string temporary = path + "." + Environment.ProcessId + ".tmp";
        using (var handle = File.OpenHandle(temporary, FileMode.Create, FileAccess.Write))
        {
            RandomAccess.Write(handle, wasm, 0);
            FileSync.File(handle);
        }
        File.Move(temporary, path, overwrite: true);
        FileSync.Directory(Directory);
    }

    /// <summary>The binary with <paramref name="hash"/>; throws <see cref="FileNotFoundException"/> when it is not there.</summary>
    public byte[] Load(string hash)
    {
        string path = PathOf(hash);
        if (!File.Exists(path)) throw new FileNotFoundException($"{path} is missing", path);
        return File.ReadAllBytes(path);
    }
}
