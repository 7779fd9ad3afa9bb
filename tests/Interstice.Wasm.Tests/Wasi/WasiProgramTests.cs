using Interstice.Wasm.Tests.TestSupport;
using Interstice.Wasm.Wasi;

namespace Interstice.Wasm.Tests.Wasi;

/// <summary>C programs built with clang-14 and wasi-libc, run through the WASI host with in-memory streams.</summary>
public sealed class WasiProgramTests
{
    [Fact]
    public void HelloWorldWritesStdoutAndStderr()
    {
        var result = WasiRun.Run(WasiPrograms.Compile("hello.c"));
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("hello, world\n", result.Stdout);
        Assert.Equal("this goes to stderr\n", result.Stderr);
    }

    [Theory]
    [InlineData("0", "return", 0)]
    [InlineData("3", "return", 3)]
    [InlineData("42", "exit", 42)]
    [InlineData("255", "exit", 255)]
    public void ExitCodeComesFromMainOrExit(string code, string how, int expected)
    {
        var result = WasiRun.Run(WasiPrograms.Compile("exit_code.c"), c => c.WithArguments(code, how));
        Assert.Equal(expected, result.ExitCode);
        Assert.Equal($"exiting with {expected}\n", result.Stdout);
    }

    [Fact]
    public void ExitCodeIsRecordedOnTheContext()
    {
        var linker = new Linker();
        using var wasi = linker.DefineWasi(new WasiConfiguration().WithArguments("prog", "7", "exit"));
        using var instance = linker.Instantiate(new Engine().Compile(WasiPrograms.Compile("exit_code.c")));
        Assert.Null(wasi.ExitCode);
        Assert.Equal(7, wasi.RunCommand(instance));
        Assert.Equal(7, wasi.ExitCode);
    }

    [Fact]
    public void ArgumentsAndEnvironmentReachTheProgram()
    {
        var result = WasiRun.Run(WasiPrograms.Compile("args_env.c"), c => c
            .WithArguments("one", "two words", "ünïcödé")
            .WithEnvironmentVariable("GREETING", "bonjour")
            .WithEnvironmentVariable("EMPTY", ""));
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("""
            argc=4
            argv[0]=prog
            argv[1]=one
            argv[2]=two words
            argv[3]=ünïcödé
            GREETING=bonjour
            env GREETING=bonjour
            env EMPTY=

            """.ReplaceLineEndings("\n"), result.Stdout);
    }

    [Fact]
    public void NoEnvironmentUnlessGranted()
    {
        var result = WasiRun.Run(WasiPrograms.Compile("args_env.c"));
        Assert.Equal("argc=1\nargv[0]=prog\nGREETING=(unset)\n", result.Stdout);
    }

    [Fact]
    public void StdinIsReadToTheEnd()
    {
        string input = string.Concat(Enumerable.Repeat("abc xyz\n", 5000));
        var result = WasiRun.Run(WasiPrograms.Compile("stdin_upper.c"), stdin: input);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(input.ToUpperInvariant() + $"\nread {input.Length} bytes\n", result.Stdout);
    }

    [Fact]
    public void WithoutStdinTheProgramSeesEndOfFile()
    {
        var output = new MemoryStream();
        var linker = new Linker();
        using var wasi = linker.DefineWasi(new WasiConfiguration { StandardOutput = output });
        using var instance = linker.Instantiate(new Engine().Compile(WasiPrograms.Compile("stdin_upper.c")));
        Assert.Equal(0, wasi.RunCommand(instance));
        Assert.Equal("\nread 0 bytes\n", System.Text.Encoding.UTF8.GetString(output.ToArray()));
    }

    [Fact]
    public void FilesInsideAPreopenedDirectory()
    {
        using var directory = new TemporaryDirectory();
        File.WriteAllText(Path.Combine(directory.Path, "keep.txt"), "kept");
        var result = WasiRun.Run(WasiPrograms.Compile("files.c"), c => c.PreopenDirectory(directory.Path, "/data"));
        Assert.Equal("", result.Stderr);
        Assert.Equal("""
            read: first line
            read: second line
            after seek: line
            tell: 11
            size: 32 regular: 1
            end: 32 tail(9): appended
            mkdir: 0
            mkdir again: File exists
            rename: 0
            open old name: No such file or directory
            list /data: keep.txt sub
            list /data/sub: inner.txt renamed.txt
            rmdir non-empty: Directory not empty
            unlink: 0 0
            unlink missing: No such file or directory
            rmdir: 0
            exclusive create of existing: File exists
            list /data: keep.txt

            """.ReplaceLineEndings("\n"), result.Stdout);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["keep.txt"], Directory.GetFileSystemEntries(directory.Path).Select(Path.GetFileName));
        Assert.Equal("kept", File.ReadAllText(Path.Combine(directory.Path, "keep.txt")));
    }

    [Fact]
    public void FilesWrittenByTheProgramAreOnTheHost()
    {
        using var directory = new TemporaryDirectory();
        var result = WasiRun.Run(WasiPrograms.Compile("path_probe.c"), c => c
            .PreopenDirectory(directory.Path, "/data")
            .WithArguments("openw", "created.txt", "mkdir", "made", "open", "created.txt"));
        // path_probe prints what it read before the line that reports the call.
        Assert.Equal("openw created.txt -> errno 0\nmkdir made -> errno 0\n  content: \nopen created.txt -> errno 0\n", result.Stdout);
        Assert.True(File.Exists(Path.Combine(directory.Path, "created.txt")));
        Assert.True(Directory.Exists(Path.Combine(directory.Path, "made")));
    }

    [Fact]
    public void ClocksSleepAndRandomComeFromTheConfiguration()
    {
        var clocks = new ManualClocks();
        var result = WasiRun.Run(WasiPrograms.Compile("clock_random.c"), c =>
        {
            c.Clocks = clocks;
            c.Random = buffer =>
            {
                for (int i = 0; i < buffer.Length; i++) buffer[i] = (byte)(0xA0 + i);
            };
        });
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("""
            realtime: 1700000000.123456789
            monotonic resolution: 1000
            process cputime: 0
            thread cputime: 0
            bad clock: 28
            nanosleep: 0
            slept: 1500000000 ns
            random: a0 a1 a2 a3 a4 a5 a6 a7

            """.ReplaceLineEndings("\n"), result.Stdout);
        Assert.Equal([1_500_000_000L], clocks.Sleeps);
    }

    [Fact]
    public void SystemClocksAndRandomWork()
    {
        var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var result = WasiRun.Run(WasiPrograms.Compile("clock_random.c"));
        Assert.Equal(0, result.ExitCode);
        var lines = result.Stdout.Split('\n');
        long seconds = long.Parse(lines[0]["realtime: ".Length..].Split('.')[0]);
        Assert.InRange(seconds, before - 1, before + 60);
        long slept = long.Parse(lines[6]["slept: ".Length..].Split(' ')[0]);
        Assert.True(slept >= 1_500_000_000, $"slept only {slept} ns");
        Assert.Matches("^random:( [0-9a-f]{2}){8}$", lines[7]);
    }

    [Fact]
    public void CancellationEndsASleepEarly()
    {
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();
        var result = WasiRun.Run(WasiPrograms.Compile("clock_random.c"), c => c.Cancellation = cancellation.Token);
        Assert.Contains("nanosleep: -1\n", result.Stdout);
    }

    [Fact]
    public void TrapPropagatesWithItsBacktraceAfterOutput()
    {
        var output = new MemoryStream();
        var linker = new Linker();
        using var wasi = linker.DefineWasi(new WasiConfiguration { StandardOutput = output });
        using var instance = linker.Instantiate(new Engine().Compile(WasiPrograms.Compile("trap.c")));
        var trap = Assert.Throws<TrapException>(() => wasi.RunCommand(instance));
        Assert.Equal(TrapKind.Unreachable, trap.Kind);
        Assert.NotEmpty(trap.Backtrace);
        Assert.Equal("about to trap\n", System.Text.Encoding.UTF8.GetString(output.ToArray()));
    }

    [Fact]
    public void RustStandardLibraryWorks()
    {
        using var directory = new TemporaryDirectory();
        var result = WasiRun.Run(WasiPrograms.Compile("std_tour.rs"), c => c
            .WithArguments("one", "two")
            .WithEnvironmentVariable("GREETING", "hi")
            .PreopenDirectory(directory.Path, "/data"), stdin: "piped in");
        Assert.Equal("to stderr\n", result.Stderr);
        Assert.Equal("""
            args: ["prog", "one", "two"]
            env GREETING: Ok("hi")
            map: {"key": 1}
            read: hello from rust
            dir: ["f.txt"]
            len: 15 file: true dir: false
            kept: Ok("hello from rust")
            escape: Err(Some(76))
            slept at least 20 ms: true
            after 2020: true
            stdin: "piped in"

            """.ReplaceLineEndings("\n"), result.Stdout);
        Assert.Equal(3, result.ExitCode);
        Assert.Equal("hello from rust", File.ReadAllText(Path.Combine(directory.Path, "tour", "g.txt")));
    }

    [Fact]
    public void RunCommandRequiresStart()
    {
        var linker = new Linker();
        using var wasi = linker.DefineWasi(new WasiConfiguration());
        using var instance = linker.Instantiate(new Engine().Compile(Wat.ToWasm("(module (func (export \"main\")))")));
        var error = Assert.Throws<ArgumentException>(() => wasi.RunCommand(instance));
        Assert.Contains("_start", error.Message);
    }
}
