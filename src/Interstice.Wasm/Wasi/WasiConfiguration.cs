using System.Collections;
using System.Security.Cryptography;

namespace Interstice.Wasm.Wasi;

/// <summary>
/// What a WASI program sees of the world: its arguments and environment, the directories it may
/// use, its standard streams, and where its time and randomness come from. Nothing is granted by
/// default: no environment, no directories, no standard streams (reads see end of file, writes
/// are discarded). Link it with <see cref="WasiLinkerExtensions.DefineWasi"/>.
/// </summary>
/// <example>
/// <code>
/// var config = new WasiConfiguration()
///     .WithArguments("prog", "--verbose")
///     .WithEnvironmentVariable("HOME", "/data")
///     .PreopenDirectory("/srv/app-data", "/data")
///     .InheritStandardStreams();
/// var linker = new Linker();
/// using var wasi = linker.DefineWasi(config);
/// using var instance = linker.Instantiate(engine.Compile(wasm));
/// int exitCode = wasi.RunCommand(instance);
/// </code>
/// </example>
public sealed class WasiConfiguration
{
    /// <summary>The program's arguments, <c>argv[0]</c> (the program's name) first.</summary>
    public List<string> Arguments { get; } = [];

    /// <summary>The program's environment variables, in order.</summary>
    public List<KeyValuePair<string, string>> EnvironmentVariables { get; } = [];

    /// <summary>The directories the program may use. Descriptors 3, 4... in this order.</summary>
    public List<WasiPreopenedDirectory> PreopenedDirectories { get; } = [];

    /// <summary>Descriptor 0; null: reads see end of file.</summary>
    public Stream? StandardInput { get; set; }

    /// <summary>Descriptor 1; null: writes are discarded. Flushed after each write, never closed by WASI.</summary>
    public Stream? StandardOutput { get; set; }

    /// <summary>Descriptor 2; null: writes are discarded. Flushed after each write, never closed by WASI.</summary>
    public Stream? StandardError { get; set; }

    /// <summary>The clocks of <c>clock_time_get</c> and the sleeps of <c>poll_oneoff</c>.</summary>
    public WasiClocks Clocks { get; set; } = WasiClocks.System;

    /// <summary>Fills the buffers of <c>random_get</c>; a cryptographic generator unless replaced (e.g. by a seeded one for reproducible runs).</summary>
    public Action<Span<byte>> Random { get; set; } = RandomNumberGenerator.Fill;

    /// <summary>Cancelling it ends blocking calls early: a sleeping <c>poll_oneoff</c> returns at once.</summary>
    public CancellationToken Cancellation { get; set; }

    /// <summary>Appends <paramref name="arguments"/> to <see cref="Arguments"/>.</summary>
    public WasiConfiguration WithArguments(params IEnumerable<string> arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        Arguments.AddRange(arguments);
        return this;
    }

    /// <summary>Adds one environment variable.</summary>
    public WasiConfiguration WithEnvironmentVariable(string name, string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(value);
        if (name.Contains('=')) throw new ArgumentException($"an environment variable's name cannot contain '=': {name}", nameof(name));
        EnvironmentVariables.Add(new(name, value));
        return this;
    }

    /// <summary>Adds every environment variable of this process.</summary>
    public WasiConfiguration InheritEnvironment()
    {
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
            EnvironmentVariables.Add(new((string)entry.Key, (string?)entry.Value ?? ""));
        return this;
    }

    /// <summary>Lets the program use the host directory <paramref name="hostPath"/> under the guest path <paramref name="guestPath"/>.</summary>
    public WasiConfiguration PreopenDirectory(string hostPath, string guestPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(hostPath);
        ArgumentException.ThrowIfNullOrEmpty(guestPath);
        PreopenedDirectories.Add(new WasiPreopenedDirectory(hostPath, guestPath));
        return this;
    }

    /// <summary>Connects the program's standard streams to this process's.</summary>
    public WasiConfiguration InheritStandardStreams()
    {
        StandardInput = Console.OpenStandardInput();
        StandardOutput = Console.OpenStandardOutput();
        StandardError = Console.OpenStandardError();
        return this;
    }
}
