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
    public string Directory { get; } = new Durability.DataDirectory(dataDirectory).ModulesDirectory;

    /// <summary>
    /// The path of the binary with <paramref name="hash"/>; throws <see cref="ArgumentException"/>
    /// when it is not a sha-256 (<see cref="RecordedHash.IsSha256"/>): a hash read from the data
    /// directory is checked before it comes here, so that it never names a file out of <c>modules/</c>.
    /// </summary>
    public string PathOf(string hash)
    {
        if (!RecordedHash.IsSha256(hash)) throw new ArgumentException($"the binary hash {RecordedHash.Describe(hash)} is not a sha-256", nameof(hash));
        return Path.Combine(Directory, hash + ".wasm");
    }

    /// <summary>
    /// Stores <paramref name="wasm"/> durably. A binary already stored under the hash is kept
    /// when it holds these bytes (the directory is fsynced again: the process that renamed it
    /// there may have died before doing so) and replaced when it does not (it was damaged).
    /// </summary>
    public void Save(string hash, ReadOnlySpan<byte> wasm)
    {
        string path = PathOf(hash);
        if (File.Exists(path) && HoldsExactly(path, wasm))
        {
            FileSync.Directory(Directory);
            return;
        }
        System.IO.Directory.CreateDirectory(Directory);
        string temporary = path + "." + Environment.ProcessId + ".tmp";
        try
        {
            using (var handle = File.OpenHandle(temporary, FileMode.Create, FileAccess.Write))
            {
                RandomAccess.Write(handle, wasm, 0);
                FileSync.File(handle);
            }
            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
        FileSync.Directory(Directory);
    }

    private static bool HoldsExactly(string path, ReadOnlySpan<byte> wasm)
    {
        using var handle = File.OpenHandle(path);
        if (RandomAccess.GetLength(handle) != wasm.Length) return false;
        var stored = new byte[wasm.Length];
        return RandomAccess.Read(handle, stored, 0) == wasm.Length && wasm.SequenceEqual(stored);
    }

    /// <summary>The binary with <paramref name="hash"/>; throws <see cref="FileNotFoundException"/> when it is not there.</summary>
    public byte[] Load(string hash)
    {
        string path = PathOf(hash);
        if (!File.Exists(path)) throw new FileNotFoundException($"{path} is missing", path);
        return File.ReadAllBytes(path);
    }
}
