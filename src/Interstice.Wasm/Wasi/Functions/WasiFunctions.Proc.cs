using Interstice.Wasm.Wasi.Abi;

namespace Interstice.Wasm.Wasi.Functions;

/// <summary><c>proc_exit</c> ends the run with a code; <c>proc_raise</c> (signals) is not provided.</summary>
internal sealed partial class WasiFunctions
{
    private void DefineProc(Linker linker)
    {
        Define(linker, "proc_exit", (Action<Caller, int>)ProcExit);
        Define(linker, "proc_raise", (Func<Caller, int, int>)((_, _) => (int)Errno.NotImplemented));
    }

    private void ProcExit(Caller caller, int code)
    {
        context.ExitCode = code;
        throw new WasiExitException(code);
    }
}
