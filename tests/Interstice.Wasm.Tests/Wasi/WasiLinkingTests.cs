using Interstice.Wasm.Tests.TestSupport;
using Interstice.Wasm.Wasi;
using Interstice.Wasm.Wasi.Abi;

namespace Interstice.Wasm.Tests.Wasi;

/// <summary>Every preview1 function links with its spec type; the ones not provided answer ENOSYS; the configuration is checked.</summary>
public sealed class WasiLinkingTests
{
    /// <summary>Every function of wasi_snapshot_preview1 with its type, from the witx definitions.</summary>
    private static readonly (string Name, string Type)[] Preview1 =
    [
        ("args_get", "(param i32 i32) (result i32)"),
        ("args_sizes_get", "(param i32 i32) (result i32)"),
        ("environ_get", "(param i32 i32) (result i32)"),
        ("environ_sizes_get", "(param i32 i32) (result i32)"),
        ("clock_res_get", "(param i32 i32) (result i32)"),
        ("clock_time_get", "(param i32 i64 i32) (result i32)"),
        ("fd_advise", "(param i32 i64 i64 i32) (result i32)"),
        ("fd_allocate", "(param i32 i64 i64) (result i32)"),
        ("fd_close", "(param i32) (result i32)"),
        ("fd_datasync", "(param i32) (result i32)"),
        ("fd_fdstat_get", "(param i32 i32) (result i32)"),
        ("fd_fdstat_set_flags", "(param i32 i32) (result i32)"),
        ("fd_fdstat_set_rights", "(param i32 i64 i64) (result i32)"),
        ("fd_filestat_get", "(param i32 i32) (result i32)"),
        ("fd_filestat_set_size", "(param i32 i64) (result i32)"),
        ("fd_filestat_set_times", "(param i32 i64 i64 i32) (result i32)"),
        ("fd_pread", "(param i32 i32 i32 i64 i32) (result i32)"),
        ("fd_prestat_get", "(param i32 i32) (result i32)"),
        ("fd_prestat_dir_name", "(param i32 i32 i32) (result i32)"),
        ("fd_pwrite", "(param i32 i32 i32 i64 i32) (result i32)"),
        ("fd_read", "(param i32 i32 i32 i32) (result i32)"),
        ("fd_readdir", "(param i32 i32 i32 i64 i32) (result i32)"),
        ("fd_renumber", "(param i32 i32) (result i32)"),
        ("fd_seek", "(param i32 i64 i32 i32) (result i32)"),
        ("fd_sync", "(param i32) (result i32)"),
        ("fd_tell", "(param i32 i32) (result i32)"),
        ("fd_write", "(param i32 i32 i32 i32) (result i32)"),
        ("path_create_directory", "(param i32 i32 i32) (result i32)"),
        ("path_filestat_get", "(param i32 i32 i32 i32 i32) (result i32)"),
        ("path_filestat_set_times", "(param i32 i32 i32 i32 i64 i64 i32) (result i32)"),
        ("path_link", "(param i32 i32 i32 i32 i32 i32 i32) (result i32)"),
        ("path_open", "(param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)"),
        ("path_readlink", "(param i32 i32 i32 i32 i32 i32) (result i32)"),
        ("path_remove_directory", "(param i32 i32 i32) (result i32)"),
        ("path_rename", "(param i32 i32 i32 i32 i32 i32) (result i32)"),
        ("path_symlink", "(param i32 i32 i32 i32 i32) (result i32)"),
        ("path_unlink_file", "(param i32 i32 i32) (result i32)"),
        ("poll_oneoff", "(param i32 i32 i32 i32) (result i32)"),
        ("proc_exit", "(param i32)"),
        ("proc_raise", "(param i32) (result i32)"),
        ("sched_yield", "(result i32)"),
        ("random_get", "(param i32 i32) (result i32)"),
        ("sock_accept", "(param i32 i32 i32) (result i32)"),
        ("sock_recv", "(param i32 i32 i32 i32 i32 i32) (result i32)"),
        ("sock_send", "(param i32 i32 i32 i32 i32) (result i32)"),
        ("sock_shutdown", "(param i32 i32) (result i32)"),
    ];

    [Fact]
    public void EveryPreview1FunctionLinksWithItsSpecType()
    {
        string imports = string.Join("\n", Preview1.Select(f => $"(import \"wasi_snapshot_preview1\" \"{f.Name}\" (func {f.Type}))"));
        var module = new Engine().Compile(Wat.ToWasm($"(module {imports} (memory (export \"memory\") 1))"));
        var linker = new Linker();
        using var wasi = linker.DefineWasi(new WasiConfiguration());
        using var instance = linker.Instantiate(module);
        Assert.Equal(Preview1.Length, module.Imports.Count);
    }

    [Theory]
    [InlineData("sock_accept", "(param i32 i32 i32) (result i32)", "i32.const 3 i32.const 0 i32.const 0")]
    [InlineData("sock_recv", "(param i32 i32 i32 i32 i32 i32) (result i32)", "i32.const 3 i32.const 0 i32.const 0 i32.const 0 i32.const 0 i32.const 0")]
    [InlineData("sock_send", "(param i32 i32 i32 i32 i32) (result i32)", "i32.const 3 i32.const 0 i32.const 0 i32.const 0 i32.const 0")]
    [InlineData("sock_shutdown", "(param i32 i32) (result i32)", "i32.const 3 i32.const 0")]
    [InlineData("proc_raise", "(param i32) (result i32)", "i32.const 6")]
    [InlineData("path_symlink", "(param i32 i32 i32 i32 i32) (result i32)", "i32.const 0 i32.const 1 i32.const 3 i32.const 0 i32.const 1")]
    [InlineData("path_link", "(param i32 i32 i32 i32 i32 i32 i32) (result i32)", "i32.const 3 i32.const 0 i32.const 0 i32.const 1 i32.const 3 i32.const 0 i32.const 1")]
    public void UnprovidedFunctionsAnswerEnosys(string name, string type, string arguments)
    {
        var wasm = Wat.ToWasm($$"""
            (module
              (import "wasi_snapshot_preview1" "{{name}}" (func $f {{type}}))
              (memory (export "memory") 1)
              (func (export "call") (result i32) {{arguments}} call $f))
            """);
        var linker = new Linker();
        using var wasi = linker.DefineWasi(new WasiConfiguration());
        using var instance = linker.Instantiate(new Engine().Compile(wasm));
        Assert.Equal((int)Errno.NotImplemented, instance.GetFunction<Func<int>>("call")());
    }

    [Fact]
    public void MissingPreopenedDirectoryIsReportedWhenLinking()
    {
        string missing = Path.Combine(Path.GetTempPath(), "interstice-missing-" + Guid.NewGuid().ToString("N"));
        var error = Assert.Throws<DirectoryNotFoundException>(() => new Linker().DefineWasi(new WasiConfiguration().PreopenDirectory(missing, "/x")));
        Assert.Contains(missing, error.Message);
    }

    [Fact]
    public void NulInArgumentsIsRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => new Linker().DefineWasi(new WasiConfiguration().WithArguments("a\0b")));
        Assert.Contains("NUL", error.Message);
    }

    [Fact]
    public void EqualsSignInAVariableNameIsRefused()
    {
        Assert.Throws<ArgumentException>(() => new WasiConfiguration().WithEnvironmentVariable("A=B", "c"));
    }

    [Fact]
    public void PreopenNameIsWhatPrestatReports()
    {
        using var directory = new TemporaryDirectory();
        var wasm = Wat.ToWasm("""
            (module
              (import "wasi_snapshot_preview1" "fd_prestat_get" (func $get (param i32 i32) (result i32)))
              (import "wasi_snapshot_preview1" "fd_prestat_dir_name" (func $name (param i32 i32 i32) (result i32)))
              (memory (export "memory") 1)
              (func (export "length") (param i32) (result i32 i32)
                (call $get (local.get 0) (i32.const 0))
                (i32.load (i32.const 4)))
              (func (export "name") (param i32 i32) (result i32)
                (call $name (local.get 0) (i32.const 100) (local.get 1))))
            """);
        var linker = new Linker();
        using var wasi = linker.DefineWasi(new WasiConfiguration().PreopenDirectory(directory.Path, "/données"));
        using var instance = linker.Instantiate(new Engine().Compile(wasm));
        var length = instance.GetFunction("length")!.Invoke(Value.FromI32(3));
        Assert.Equal(0, length[0].AsI32());
        Assert.Equal(9, length[1].AsI32());
        Assert.Equal((int)Errno.BadDescriptor, instance.GetFunction("length")!.Invoke(Value.FromI32(4))[0].AsI32());
        Assert.Equal((int)Errno.BadDescriptor, instance.GetFunction("length")!.Invoke(Value.FromI32(1))[0].AsI32());
        var name = instance.GetFunction<Func<int, int, int>>("name");
        Assert.Equal((int)Errno.NameTooLong, name(3, 8));
        Assert.Equal(0, name(3, 9));
        Assert.Equal("/données", System.Text.Encoding.UTF8.GetString(instance.GetMemory("memory")!.GetSpan(100, 9)));
    }
}
