using System.Security.Cryptography;
using Interstice.Wasm;

namespace Interstice.Core.Modules;

/// <summary>
/// A module binary kept in the data directory's <c>modules/</c>, read back by hash: its bytes
/// are checked against the hash they are stored under before anything else reads them (a
/// damaged or swapped file is "another one", not a module to compile). The node's start,
/// <c>log verify</c>'s rehearsal and <c>log inspect</c> read it the same way, so they name each
/// problem alike.
/// </summary>
internal static class StoredBinary
{
    /// <summary>
    /// The bytes stored under <paramref name="hash"/> (a sha-256), or, when they cannot be had,
    /// why: a phrase that follows the words "the stored binary" (<c>is missing</c>,
    /// <c>cannot be read (...)</c>, <c>is another one (its sha-256 is ...)</c>).
    /// </summary>
    public static (byte[]? Wasm, string? Problem) Load(ModuleStore store, string hash)
    {
        byte[] wasm;
        try
        {
            wasm = store.Load(hash);
        }
        catch (FileNotFoundException)
        {
            return (null, "is missing");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, $"cannot be read ({e.Message})");
        }
        string actual = Convert.ToHexStringLower(SHA256.HashData(wasm));
        return actual == hash ? (wasm, null) : (null, $"is another one (its sha-256 is {actual})");
    }

    /// <summary>
    /// The contract of the binary stored under <paramref name="hash"/>, compiled (none of its
    /// code runs), or, when a start cannot use it, why: a <see cref="Load"/> problem, followed by
    /// where to put the binary back, or <c>is not a module: ...</c>.
    /// </summary>
    public static (ModuleContract? Contract, string? Problem) Read(ModuleStore store, string hash, Engine engine)
    {
        var (wasm, problem) = Load(store, hash);
        if (wasm is null) return (null, $"{problem}: put the module's binary back at {store.PathOf(hash)}");
        try
        {
            return (ModuleContract.Read(wasm, engine), null);
        }
        catch (ModuleContractException e)
        {
            return (null, $"is not a module: {e.Message}");
        }
    }
}
