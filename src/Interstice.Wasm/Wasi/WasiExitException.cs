namespace Interstice.Wasm.Wasi;

/// <summary>
/// The program called <c>proc_exit</c>: it unwinds the call into WebAssembly and carries the exit
/// code. Not an error: <see cref="WasiContext.RunCommand"/> turns it into its return value.
/// </summary>
public sealed class WasiExitException(int exitCode) : Exception($"the WASI program exited with code {exitCode}")
{
    /// <summary>The code the program passed to <c>proc_exit</c>.</summary>
    public int ExitCode { get; } = exitCode;
}
