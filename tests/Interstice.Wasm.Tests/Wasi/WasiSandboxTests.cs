using Interstice.Wasm.Tests.TestSupport;
using Interstice.Wasm.Wasi.Abi;
using Interstice.Wasm.Wasi.Sandbox;

namespace Interstice.Wasm.Tests.Wasi;

/// <summary>
/// Adversarial path tests: a program given one pre-opened directory tries to reach the files
/// beside it through <c>..</c>, absolute paths and symbolic links planted on the host.
/// The calls go straight to WASI (path_probe.c), so wasi-libc's own path handling is out of the way.
/// </summary>
public sealed class WasiSandboxTests : IDisposable
{
    private const int NotCapable = (int)Errno.NotCapable;

    private readonly TemporaryDirectory _root = new();
    private readonly string _sandbox;
    private readonly string _secret;

    public WasiSandboxTests()
    {
        _sandbox = Path.Combine(_root.Path, "sandbox");
        _secret = Path.Combine(_root.Path, "secret.txt");
        Directory.CreateDirectory(Path.Combine(_sandbox, "sub"));
        File.WriteAllText(_secret, "SECRET");
        File.WriteAllText(Path.Combine(_sandbox, "file.txt"), "inside");
        File.WriteAllText(Path.Combine(_sandbox, "sub", "inner.txt"), "inner");
        Link("link_in", "sub/inner.txt");
        Link("link_dir", "sub");
        Link("link_out", "../secret.txt");
        Link("link_abs", _secret);
        Link("link_dir_out", "..");
        Link("link_create_out", "../created-outside.txt");
        Link("loop1", "loop2");
        Link("loop2", "loop1");
        Link("sub/link_parent", "../file.txt");
        Link("sub/link_parent_out", "../../secret.txt");
    }

    public void Dispose() => _root.Dispose();

    private void Link(string name, string target) => File.CreateSymbolicLink(Path.Combine(_sandbox, name), target);

    /// <summary>Runs path_probe with (operation, path) pairs; returns the errno of each in order.</summary>
    private (int[] Errnos, string Output) Probe(params string[] operations)
    {
        var result = WasiRun.Run(WasiPrograms.Compile("path_probe.c"), c => c.PreopenDirectory(_sandbox, "/sandbox").WithArguments(operations));
        Assert.Equal(0, result.ExitCode);
        var errnos = result.Stdout.Split('\n')
            .Where(line => line.Contains(" -> errno "))
            .Select(line => int.Parse(line[(line.LastIndexOf(' ') + 1)..]))
            .ToArray();
        Assert.Equal(operations.Length / 2, errnos.Length);
        return (errnos, result.Stdout);
    }

    [Theory]
    [InlineData("file.txt", 0)]
    [InlineData("./file.txt", 0)]
    [InlineData("sub/../file.txt", 0)]
    [InlineData("sub/./../sub/inner.txt", 0)]
    [InlineData("link_in", 0)]
    [InlineData("link_dir/inner.txt", 0)]
    [InlineData("sub/link_parent", 0)]
    [InlineData("../secret.txt", NotCapable)]
    [InlineData("../sandbox/file.txt", NotCapable)]
    [InlineData("sub/../../secret.txt", NotCapable)]
    [InlineData("/etc/passwd", NotCapable)]
    [InlineData("/sandbox/file.txt", NotCapable)]
    [InlineData("link_out", NotCapable)]
    [InlineData("link_abs", NotCapable)]
    [InlineData("link_dir_out/secret.txt", NotCapable)]
    [InlineData("link_dir/../../secret.txt", NotCapable)]
    [InlineData("sub/link_parent_out", NotCapable)]
    [InlineData("loop1", (int)Errno.Loop)]
    [InlineData("missing.txt", (int)Errno.NoEntry)]
    [InlineData("file.txt/", (int)Errno.NotDirectory)]
    [InlineData("file.txt/inner", (int)Errno.NotDirectory)]
    [InlineData("", (int)Errno.NoEntry)]
    public void OpeningFollowsTheSandboxRules(string path, int expected)
    {
        var (errnos, output) = Probe("open", path);
        Assert.Equal(expected, errnos[0]);
        Assert.DoesNotContain("SECRET", output);
    }

    [Fact]
    public void ContentReadThroughInnerLinksIsTheLinkedFile()
    {
        var (_, output) = Probe("open", "link_in", "open", "sub/link_parent");
        Assert.Contains("  content: inner\n", output);
        Assert.Contains("  content: inside\n", output);
    }

    [Fact]
    public void CreatingThroughAnEscapingLinkIsRefusedAndCreatesNothing()
    {
        var (errnos, _) = Probe("openw", "link_create_out", "openw", "../created-outside.txt", "openw", "link_dir_out/x.txt");
        Assert.Equal([NotCapable, NotCapable, NotCapable], errnos);
        Assert.Equal(["sandbox", "secret.txt"], Directory.GetFileSystemEntries(_root.Path).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void StatFollowsOnlyWhenAsked()
    {
        var (errnos, _) = Probe("lstat", "link_out", "stat", "link_out", "stat", "link_in", "lstat", "loop1", "stat", "loop1");
        Assert.Equal([0, NotCapable, 0, 0, (int)Errno.Loop], errnos);
    }

    [Fact]
    public void ModifyingOutsideIsRefused()
    {
        var (errnos, _) = Probe(
            "mkdir", "../made-outside",
            "mkdir", "link_dir_out/made-outside",
            "rmdir", "..",
            "unlink", "../secret.txt",
            "unlink", "link_dir_out/secret.txt",
            "rename", "file.txt:../stolen.txt",
            "rename", "../secret.txt:stolen.txt",
            "rename", "link_dir_out/secret.txt:stolen.txt");
        Assert.All(errnos, e => Assert.Equal(NotCapable, e));
        Assert.Equal("SECRET", File.ReadAllText(_secret));
        Assert.Equal(["sandbox", "secret.txt"], Directory.GetFileSystemEntries(_root.Path).Select(Path.GetFileName).Order());
        Assert.True(File.Exists(Path.Combine(_sandbox, "file.txt")));
    }

    [Fact]
    public void UnlinkingAnEscapingLinkRemovesOnlyTheLink()
    {
        var (errnos, output) = Probe("readlink", "link_out", "unlink", "link_out");
        Assert.Equal([0, 0], errnos);
        Assert.Contains("  target: ../secret.txt\n", output);
        Assert.False(File.Exists(Path.Combine(_sandbox, "link_out")));
        Assert.Equal("SECRET", File.ReadAllText(_secret));
    }

    [Fact]
    public void TheSandboxRootCannotBeRemovedOrRenamed()
    {
        var (errnos, _) = Probe("rmdir", ".", "unlink", ".", "rename", ".:elsewhere", "rmdir", "sub/..");
        Assert.Equal([(int)Errno.Invalid, (int)Errno.IsDirectory, (int)Errno.Busy, (int)Errno.Invalid], errnos);
        Assert.True(Directory.Exists(_sandbox));
    }

    [Theory]
    [InlineData("a/../../b")]
    [InlineData("..")]
    [InlineData("/")]
    [InlineData("/tmp")]
    [InlineData("./../x")]
    [InlineData("a/b/c/../../../../x")]
    public void ResolverRefusesEscapes(string path)
    {
        Assert.Equal(Errno.NotCapable, PathResolver.Resolve(_sandbox, path, followFinal: true, out _));
    }

    [Theory]
    [InlineData(".", "", true)]
    [InlineData("a/..", "", true)]
    [InlineData("a/./b//c", "a/b/c", false)]
    [InlineData("a/b/../c", "a/c", false)]
    [InlineData("link_dir/inner.txt", "sub/inner.txt", false)]
    [InlineData("sub/link_parent", "file.txt", false)]
    public void ResolverNormalisesInsideTheRoot(string path, string expected, bool isRoot)
    {
        Assert.Equal(Errno.Success, PathResolver.Resolve(_sandbox, path, followFinal: true, out var resolved));
        Assert.Equal(Path.Join(_sandbox, expected).TrimEnd('/'), resolved.HostPath.TrimEnd('/'));
        Assert.Equal(isRoot, resolved.IsRoot);
    }

    [Fact]
    public void OverlongNamesAreErrorsNotExceptions()
    {
        var (errnos, _) = Probe("open", new string('a', 300), "stat", new string('b', 300), "mkdir", new string('c', 300),
            "open", string.Concat(Enumerable.Repeat("sub/", 2000)) + "x");
        Assert.All(errnos, e => Assert.Equal((int)Errno.NameTooLong, e));
    }

    [Fact]
    public void ResolverRejectsMalformedPaths()
    {
        Assert.Equal(Errno.NoEntry, PathResolver.Resolve(_sandbox, "", followFinal: true, out _));
        Assert.Equal(Errno.IllegalSequence, PathResolver.Resolve(_sandbox, "a\0b", followFinal: true, out _));
    }

    [Fact]
    public void ResolverDoesNotFollowAFinalLinkUnlessAsked()
    {
        Assert.Equal(Errno.Success, PathResolver.Resolve(_sandbox, "link_out", followFinal: false, out var resolved));
        Assert.Equal(Path.Join(_sandbox, "link_out"), resolved.HostPath);
        Assert.Equal(Errno.NotCapable, PathResolver.Resolve(_sandbox, "link_out/", followFinal: false, out _));
    }
}
