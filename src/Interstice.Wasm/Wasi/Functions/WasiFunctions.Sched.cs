using Interstice.Wasm.Wasi.Abi;

namespace Interstice.Wasm.Wasi.Functions;

/// <summary><c>sched_yield</c>: gives the rest of the thread's time slice away.</summary>
internal sealed partial class WasiFunctions
{
    private static void DefineSched(Linker linker) =>
        Define(linker, "sched_yield", (Func<Caller, int>)(_ =>
        {
            Thread.Yield();
            return (int)Errno.Success;
        }));
}
