namespace Interstice.Cli.Commands.Wasm.Run;

/// <summary>
/// The exit codes of <c>interstice wasm run</c> other than the program's own (which passes
/// through: 0 when <c>_start</c> returns, the <c>proc_exit</c> code otherwise).
/// </summary>
internal static class RunExitCodes
{
    /// <summary>The module could not be read, compiled, linked or instantiated.</summary>
    public const int LoadFailed = 1;

    /// <summary>The command line is wrong.</summary>
    public const int Usage = 2;

    /// <summary>The <c>--timeout</c> expired (as the <c>timeout</c> command reports it).</summary>
    public const int TimedOut = 124;

    /// <summary>The program trapped, ran out of fuel or exhausted its stack: 128 + SIGABRT, as wasmtime reports a trap.</summary>
    public const int Trapped = 134;
}
