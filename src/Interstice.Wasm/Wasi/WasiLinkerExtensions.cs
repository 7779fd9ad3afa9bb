using Interstice.Wasm.Wasi.Functions;

namespace Interstice.Wasm.Wasi;

/// <summary>Links WASI preview1 into a <see cref="Linker"/>.</summary>
public static class WasiLinkerExtensions
{
    /// <summary>The import module name of WASI preview1.</summary>
    public const string ModuleName = "wasi_snapshot_preview1";

    /// <summary>
    /// Defines every function of <c>wasi_snapshot_preview1</c> on <paramref name="linker"/>, bound to a
    /// new <see cref="WasiContext"/> built from <paramref name="configuration"/> (its pre-opened
    /// directories are checked now: a missing one throws <see cref="DirectoryNotFoundException"/>).
    /// Functions WASI defines but this host does not provide (sockets, links, signals) are present
    /// and answer <c>ENOSYS</c>, so that any program links. Dispose the context to close the files
    /// the program left open.
    /// </summary>
    public static WasiContext DefineWasi(this Linker linker, WasiConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(linker);
        ArgumentNullException.ThrowIfNull(configuration);
        var context = new WasiContext(configuration);
        try
        {
            new WasiFunctions(context).DefineAll(linker);
        }
        catch
        {
            context.Dispose();
            throw;
        }
        return context;
    }
}
