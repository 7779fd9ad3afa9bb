using Interstice.Wasm;

namespace Interstice.Core.Modules;

/// <summary>
/// A module binary kept in the data directory's <c>modules/</c>, read back as a start restores
/// it: read, compiled (none of its code runs) and checked against the hash it is stored under.
/// The node's start and <c>log verify</c>'s rehearsal read it the same way, so verify names each
/// problem as the start does.
/// </summary>
internal static class StoredBinary
{
    /// <summary>
    /// The contract of the binary stored under <paramref name="hash"/>, or, when a start cannot
    /// use it, why: a phrase that follows the words "the stored binary" (<c>cannot be read
    /// (...)</c> or <c>is another one (its sha-256 is ...)</c>, each saying where to put it back;
    /// <c>is not a module: ...</c>).
    /// </summary>
    public static (ModuleContract? Contract, string? Problem) Read(ModuleStore store, string hash, Engine engine)
    {
        byte[] wasm;
        try
        {
            wasm = store.Load(hash);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, $"cannot be read ({e.Message}): {PutBack(store, hash)}");
        }
        ModuleContract contract;
        try
        {
            contract = ModuleContract.Read(wasm, engine);
        }
        catch (ModuleContractException e)
        {
            return (null, $"is not a module: {e.Message}");
        }
        if (contract.Module.ContentHash != hash) return (null, $"is another one (its sha-256 is {contract.Module.ContentHash}): {PutBack(store, hash)}");
        return (contract, null);
    }

    private static string PutBack(ModuleStore store, string hash) => $"put the module's binary back at {store.PathOf(hash)}";
}
