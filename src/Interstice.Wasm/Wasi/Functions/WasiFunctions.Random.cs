using Interstice.Wasm.Wasi.Abi;

namespace Interstice.Wasm.Wasi.Functions;

/// <summary><c>random_get</c>, filled by the configured source.</summary>
internal sealed partial class WasiFunctions
{
    private void DefineRandom(Linker linker) =>
        Define(linker, "random_get", (Func<Caller, int, int, int>)RandomGet);

    private int RandomGet(Caller caller, int buffer, int length)
    {
        if (!MemoryOf(caller).TryGetSpan(buffer, (uint)length, out var destination)) return (int)Errno.Fault;
        context.Random(destination);
        return (int)Errno.Success;
    }
}
