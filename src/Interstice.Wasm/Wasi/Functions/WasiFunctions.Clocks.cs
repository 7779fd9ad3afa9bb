using Interstice.Wasm.Wasi.Abi;

namespace Interstice.Wasm.Wasi.Functions;

/// <summary><c>clock_res_get</c> and <c>clock_time_get</c>, answered by the configured <see cref="WasiClocks"/>.</summary>
internal sealed partial class WasiFunctions
{
    private void DefineClocks(Linker linker)
    {
        Define(linker, "clock_res_get", (Func<Caller, int, int, int>)ClockResGet);
        Define(linker, "clock_time_get", (Func<Caller, int, long, int, int>)ClockTimeGet);
    }

    private int ClockResGet(Caller caller, int id, int resolutionOut)
    {
        if ((uint)id > (uint)WasiClock.ThreadCpuTime) return (int)Errno.Invalid;
        return MemoryOf(caller).TryWriteUInt64(resolutionOut, (ulong)context.Clocks.Resolution((WasiClock)id)) ? (int)Errno.Success : (int)Errno.Fault;
    }

    private int ClockTimeGet(Caller caller, int id, long precision, int timeOut)
    {
        if ((uint)id > (uint)WasiClock.ThreadCpuTime) return (int)Errno.Invalid;
        return MemoryOf(caller).TryWriteUInt64(timeOut, (ulong)context.Clocks.Now((WasiClock)id)) ? (int)Errno.Success : (int)Errno.Fault;
    }
}
