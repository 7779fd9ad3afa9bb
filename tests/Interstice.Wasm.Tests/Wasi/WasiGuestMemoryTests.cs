using System.Text;
using Interstice.Wasm.Tests.TestSupport;
using Interstice.Wasm.Wasi;
using Interstice.Wasm.Wasi.Abi;

namespace Interstice.Wasm.Tests.Wasi;

/// <summary>
/// Hostile pointers: every WASI function that reads or writes guest memory answers EFAULT when a
/// pointer or a length reaches past the end of memory (one page here), and never throws.
/// </summary>
public sealed class WasiGuestMemoryTests
{
    private const int Fault = (int)Errno.Fault;
    /// <summary>Two bytes before the end of the one-page memory: too close for any u32 or u64 result.</summary>
    private const int PastEnd = 65536 - 2;

    /// <summary>Calls WASI function <paramref name="name"/> of type <paramref name="signature"/> with constant arguments; returns its errno.</summary>
    private static int Call(string name, string signature, string arguments, WasiConfiguration? configuration = null,
        string memory = "(memory (export \"memory\") 1) (data (i32.const 0) \"hello\")")
    {
        var wasm = Wat.ToWasm($$"""
            (module
              (import "wasi_snapshot_preview1" "{{name}}" (func $f {{signature}}))
              {{memory}}
              (func (export "call") (result i32) {{arguments}} call $f))
            """);
        var linker = new Linker();
        using var wasi = linker.DefineWasi(configuration ?? new WasiConfiguration());
        using var instance = linker.Instantiate(new Engine().Compile(wasm));
        return instance.GetFunction<Func<int>>("call")();
    }

    [Theory]
    [InlineData("args_sizes_get", "(param i32 i32) (result i32)", "i32.const 65534 i32.const 0")]
    [InlineData("args_sizes_get", "(param i32 i32) (result i32)", "i32.const 0 i32.const -1")]
    [InlineData("args_get", "(param i32 i32) (result i32)", "i32.const 65534 i32.const 0")]
    [InlineData("args_get", "(param i32 i32) (result i32)", "i32.const 0 i32.const 65534")]
    [InlineData("environ_get", "(param i32 i32) (result i32)", "i32.const 0 i32.const 65534")]
    [InlineData("environ_sizes_get", "(param i32 i32) (result i32)", "i32.const -4 i32.const 0")]
    [InlineData("clock_time_get", "(param i32 i64 i32) (result i32)", "i32.const 0 i64.const 1 i32.const 65534")]
    [InlineData("clock_res_get", "(param i32 i32) (result i32)", "i32.const 1 i32.const 65536")]
    [InlineData("random_get", "(param i32 i32) (result i32)", "i32.const 65000 i32.const 1000")]
    [InlineData("random_get", "(param i32 i32) (result i32)", "i32.const 0 i32.const -1")]
    [InlineData("fd_fdstat_get", "(param i32 i32) (result i32)", "i32.const 1 i32.const 65534")]
    [InlineData("fd_filestat_get", "(param i32 i32) (result i32)", "i32.const 1 i32.const 65500")]
    [InlineData("fd_prestat_get", "(param i32 i32) (result i32)", "i32.const 3 i32.const 65534")]
    [InlineData("fd_prestat_dir_name", "(param i32 i32 i32) (result i32)", "i32.const 3 i32.const 65535 i32.const 5")]
    [InlineData("fd_seek", "(param i32 i64 i32 i32) (result i32)", "i32.const 1 i64.const 0 i32.const 0 i32.const 65534")]
    [InlineData("fd_readdir", "(param i32 i32 i32 i64 i32) (result i32)", "i32.const 3 i32.const 65000 i32.const 4096 i64.const 0 i32.const 0")]
    [InlineData("fd_readdir", "(param i32 i32 i32 i64 i32) (result i32)", "i32.const 3 i32.const 0 i32.const 64 i64.const 0 i32.const 65534")]
    [InlineData("path_open", "(param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)", "i32.const 3 i32.const 0 i32.const 65534 i32.const 10 i32.const 0 i64.const 2 i64.const 0 i32.const 0 i32.const 100")]
    [InlineData("path_filestat_get", "(param i32 i32 i32 i32 i32) (result i32)", "i32.const 3 i32.const 0 i32.const 0 i32.const -1 i32.const 100")]
    [InlineData("path_create_directory", "(param i32 i32 i32) (result i32)", "i32.const 3 i32.const 65530 i32.const 100")]
    [InlineData("poll_oneoff", "(param i32 i32 i32 i32) (result i32)", "i32.const 65500 i32.const 0 i32.const 2 i32.const 200")]
    [InlineData("poll_oneoff", "(param i32 i32 i32 i32) (result i32)", "i32.const 0 i32.const 0 i32.const 100000000 i32.const 200")]
    public void OutOfBoundsPointersAreEfault(string name, string signature, string arguments)
    {
        using var directory = new TemporaryDirectory();
        var configuration = new WasiConfiguration().WithArguments("prog", "arg").WithEnvironmentVariable("A", "B").PreopenDirectory(directory.Path, "/d");
        Assert.Equal(Fault, Call(name, signature, arguments, configuration));
    }

    [Fact]
    public void WriteWithIovecArrayPastTheEnd()
    {
        // Two iovecs starting 8 bytes before the end: the second one is outside.
        Assert.Equal(Fault, Call("fd_write", "(param i32 i32 i32 i32) (result i32)", "i32.const 1 i32.const 65528 i32.const 2 i32.const 100"));
        // An iovec count so large that count * 8 overflows 32 bits.
        Assert.Equal(Fault, Call("fd_write", "(param i32 i32 i32 i32) (result i32)", "i32.const 1 i32.const 0 i32.const 0x20000001 i32.const 100"));
        Assert.Equal(Fault, Call("fd_read", "(param i32 i32 i32 i32) (result i32)", "i32.const 0 i32.const 65532 i32.const 1 i32.const 100"));
    }

    /// <summary>
    /// Writes "hello" (at address 0) to stdout through one iovec at 16 of <paramref name="length"/>
    /// bytes, storing the count at <paramref name="writtenOut"/>; returns the errno, the count
    /// found there when it is inside memory, and what reached stdout.
    /// </summary>
    private static (int Errno, int? Written, string Output) WriteHello(int length, int writtenOut)
    {
        var output = new MemoryStream();
        var wasm = Wat.ToWasm($$"""
            (module
              (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
              (memory (export "memory") 1)
              (data (i32.const 0) "hello")
              (func (export "call") (result i32)
                (i32.store (i32.const 16) (i32.const 0))
                (i32.store (i32.const 20) (i32.const {{length}}))
                (call $write (i32.const 1) (i32.const 16) (i32.const 1) (i32.const {{writtenOut}}))))
            """);
        var linker = new Linker();
        using var wasi = linker.DefineWasi(new WasiConfiguration { StandardOutput = output });
        using var instance = linker.Instantiate(new Engine().Compile(wasm));
        int errno = instance.GetFunction<Func<int>>("call")();
        var memory = instance.GetMemory("memory")!;
        int? written = (ulong)writtenOut + 4 <= memory.Length ? memory.ReadInt32((ulong)writtenOut) : null;
        return (errno, written, Encoding.UTF8.GetString(output.ToArray()));
    }

    [Fact]
    public void WriteWithBufferPastTheEndWritesNothing()
    {
        // buf = 0, len = 0x10000 + 1 (one byte too many).
        var (errno, written, output) = WriteHello(0x10001, writtenOut: 100);
        Assert.Equal(Fault, errno);
        Assert.Equal(0, written);
        Assert.Equal("", output);
    }

    [Fact]
    public void WriteWithResultPointerPastTheEndWritesNothing()
    {
        var (errno, _, output) = WriteHello(5, PastEnd);
        Assert.Equal(Fault, errno);
        Assert.Equal("", output);
    }

    [Fact]
    public void ValidWriteSucceeds()
    {
        var (errno, written, output) = WriteHello(5, writtenOut: 65532);
        Assert.Equal(0, errno);
        Assert.Equal(5, written);
        Assert.Equal("hello", output);
    }

    [Fact]
    public void ModuleWithoutMemoryGetsEfault()
    {
        Assert.Equal(Fault, Call("fd_write", "(param i32 i32 i32 i32) (result i32)", "i32.const 1 i32.const 0 i32.const 0 i32.const 0", memory: ""));
        Assert.Equal(Fault, Call("random_get", "(param i32 i32) (result i32)", "i32.const 0 i32.const 1", memory: ""));
    }

    [Fact]
    public void InvalidUtf8PathIsIllegalSequence()
    {
        using var directory = new TemporaryDirectory();
        var configuration = new WasiConfiguration().PreopenDirectory(directory.Path, "/d");
        // Bytes 0..4 are "hello"; byte 5 is 0xFF after the store.
        Assert.Equal((int)Errno.IllegalSequence, Call("path_create_directory", "(param i32 i32 i32) (result i32)",
            "i32.const 5 i32.const 255 i32.store8 i32.const 3 i32.const 0 i32.const 6", configuration));
        Assert.Empty(Directory.GetFileSystemEntries(directory.Path));
    }
}
