using System.Text;
using Interstice.Wasm.Wasi.Abi;
using Interstice.Wasm.Wasi.Descriptors;

namespace Interstice.Wasm.Wasi;

/// <summary>
/// The state of one WASI program: its descriptor table (standard streams, pre-opened directories,
/// open files), arguments, environment, clocks and randomness. Created by
/// <see cref="WasiLinkerExtensions.DefineWasi"/>; every instance created from that linker shares
/// it (normally there is one: the program). Not thread-safe, like an instance.
/// </summary>
public sealed class WasiContext : IDisposable
{
    internal WasiContext(WasiConfiguration configuration)
    {
        Arguments = Encode(configuration.Arguments);
        EnvironmentVariables = Encode(configuration.EnvironmentVariables.Select(v => v.Key + "=" + v.Value));
        Clocks = configuration.Clocks ?? throw new ArgumentException("Clocks is null", nameof(configuration));
        Random = configuration.Random ?? throw new ArgumentException("Random is null", nameof(configuration));
        Cancellation = configuration.Cancellation;

        Descriptors.Add(new StreamDescriptor(configuration.StandardInput, readable: true), out _);
        Descriptors.Add(new StreamDescriptor(configuration.StandardOutput, readable: false), out _);
        Descriptors.Add(new StreamDescriptor(configuration.StandardError, readable: false), out _);
        foreach (var preopen in configuration.PreopenedDirectories)
        {
            string hostPath = Path.GetFullPath(preopen.HostPath);
            if (!Directory.Exists(hostPath))
                throw new DirectoryNotFoundException($"the directory to pre-open for WASI does not exist: {hostPath}");
            if (Descriptors.Add(new DirectoryDescriptor(hostPath, preopen.GuestPath, Rights.Directory, Rights.Directory | Rights.RegularFile), out _) != Errno.Success)
                throw new ArgumentException($"too many pre-opened directories (at most {DescriptorTable.MaxDescriptors - 3})", nameof(configuration));
        }
    }

    internal DescriptorTable Descriptors { get; } = new();

    /// <summary>Each argument as UTF-8 followed by a NUL, as <c>args_get</c> writes them.</summary>
    internal byte[][] Arguments { get; }

    /// <summary>Each <c>NAME=value</c> as UTF-8 followed by a NUL.</summary>
    internal byte[][] EnvironmentVariables { get; }

    internal WasiClocks Clocks { get; }

    internal Action<Span<byte>> Random { get; }

    internal CancellationToken Cancellation { get; }

    /// <summary>The code the program passed to <c>proc_exit</c>, once it has; null before.</summary>
    public int? ExitCode { get; internal set; }

    /// <summary>
    /// Runs a WASI command: calls its <c>_start</c> export and returns its exit code, 0 when
    /// <c>_start</c> returns, the code given to <c>proc_exit</c> otherwise. A trap propagates as
    /// <see cref="TrapException"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The instance exports no <c>_start</c> function taking and returning nothing.</exception>
    public int RunCommand(Instance instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        var start = instance.GetFunction("_start");
        if (start is null || start.Type.Parameters.Length != 0 || start.Type.Results.Length != 0)
            throw new ArgumentException($"{instance.Module} is not a WASI command: it exports no function _start of type [] -> []", nameof(instance));
        try
        {
            start.Invoke(ReadOnlySpan<Value>.Empty, Span<Value>.Empty);
            return 0;
        }
        catch (WasiExitException exit)
        {
            return exit.ExitCode;
        }
    }

    /// <summary>Closes every file and directory the program has open (not the standard streams, which belong to the configuration's owner).</summary>
    public void Dispose() => Descriptors.Dispose();

    private static byte[][] Encode(IEnumerable<string> strings)
    {
        var encoded = new List<byte[]>();
        foreach (string s in strings)
        {
            if (s.Contains('\0')) throw new ArgumentException($"WASI arguments and environment variables cannot contain NUL: \"{s.Replace("\0", "\\0")}\"");
            var bytes = new byte[Encoding.UTF8.GetByteCount(s) + 1];
            Encoding.UTF8.GetBytes(s, bytes);
            encoded.Add(bytes);
        }
        return [.. encoded];
    }
}
