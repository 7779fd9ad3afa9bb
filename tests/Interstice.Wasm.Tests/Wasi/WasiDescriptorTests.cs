using Interstice.Wasm.Tests.TestSupport;

namespace Interstice.Wasm.Tests.Wasi;

/// <summary>Descriptor operations of real programs: positioned I/O, truncation, flags, renumbering, timestamps, directory listings, limits.</summary>
public sealed class WasiDescriptorTests
{
    [Fact]
    public void DescriptorOperations()
    {
        using var directory = new TemporaryDirectory();
        var result = WasiRun.Run(WasiPrograms.Compile("fd_ops.c"), c => c.PreopenDirectory(directory.Path, "/data"));
        Assert.Equal("", result.Stderr);
        Assert.Equal("""
            write: 10
            pwrite: 2
            pread: 6 23AB67
            position after positioned I/O: 10
            ftruncate: 0
            size after truncate: 5
            fallocate: 0
            size after allocate: 100
            fadvise: 0
            fsync: 0 fdatasync: 0
            set append: 0
            size after append: 103
            futimens: 0
            mtime: 1234567890
            utimensat: 0
            mtime: 1500000000
            renumber: 0
            write to renumbered: 1
            old descriptor: Bad file descriptor
            write to read-only: Bad file descriptor
            opened 1020 more, then: No file descriptors available

            """.ReplaceLineEndings("\n"), result.Stdout);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(104, new FileInfo(Path.Combine(directory.Path, "f.bin")).Length);
    }

    [Fact]
    public void LargeDirectoryIsListedCompletelyAcrossSeveralCalls()
    {
        using var directory = new TemporaryDirectory();
        // 300 entries of ~60 bytes each: far more than wasi-libc's 4 KiB readdir buffer, so listing
        // takes several fd_readdir calls with cookies and cut-off entries.
        var names = Enumerable.Range(0, 300).Select(i => $"entry-{i:D4}-{new string('x', 40)}").ToList();
        foreach (var name in names) File.WriteAllText(Path.Combine(directory.Path, name), "");
        Directory.CreateDirectory(Path.Combine(directory.Path, "zz-directory"));
        var result = WasiRun.Run(WasiPrograms.Compile("list_dir.c"), c => c.PreopenDirectory(directory.Path, "/data").WithArguments("/data"));
        Assert.Equal(0, result.ExitCode);
        var expected = new List<string> { ". 3", ".. 3" };
        expected.AddRange(names.Select(n => n + " 4"));
        expected.Add("zz-directory 3");
        expected.Add("303 entries");
        Assert.Equal(expected, result.Stdout.TrimEnd('\n').Split('\n'));
    }
}
