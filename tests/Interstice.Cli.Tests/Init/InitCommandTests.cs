using Interstice.Cli.Tests.TestSupport;
using Interstice.Core.Modules;
using Interstice.Wasm;

namespace Interstice.Cli.Tests.Init;

public class InitCommandTests : IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("interstice-init-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    [Fact]
    public void The_scaffolded_project_builds_as_it_is_and_declares_its_example()
    {
        string project = Path.Combine(_temp, "guest-book");

        var (exit, output, error) = Repository.Cli("init", "guest-book", "--path", project);
        Assert.True(exit == 0, error);
        Assert.Contains("created module 'guest-book'", output);
        Assert.Contains("target = \"wasm32-unknown-unknown\"", File.ReadAllText(Path.Combine(project, ".cargo", "config.toml")));

        // Built offline with the project's own .cargo/config.toml (cargo reads it from the working directory).
        string target = Path.Combine(_temp, "target");
        var (cargoExit, cargoOutput) = Repository.Cargo(project, "build", "--release", "--target-dir", target);
        Assert.True(cargoExit == 0, cargoOutput);

        var contract = ModuleContract.Read(File.ReadAllBytes(Path.Combine(target, "wasm32-unknown-unknown", "release", "guest_book.wasm")), new Engine());
        Assert.Empty(contract.InterfaceErrors);
        Assert.Equal("guest-book", contract.Schema.Name);
        Assert.Equal("0.1.0", contract.Schema.Version);
        Assert.Equal(["messages"], contract.Schema.Tables.Select(t => t.Name));
        Assert.Equal(["post", "setup"], contract.Schema.Reducers.Select(r => r.Name));
        Assert.Equal(["by_author"], contract.Schema.Queries.Select(q => q.Name));
    }

    [Theory]
    [InlineData("1st")]
    [InlineData("my.module")]
    [InlineData("has space")]
    public void Names_that_are_not_module_names_are_refused(string name)
    {
        var (exit, _, error) = Repository.Cli("init", name, "--path", Path.Combine(_temp, "x"));

        Assert.Equal(2, exit);
        Assert.Contains($"'{name}' is not a module name", error);
        Assert.False(Directory.Exists(Path.Combine(_temp, "x")));
    }

    [Fact]
    public void A_non_empty_directory_is_not_overwritten()
    {
        File.WriteAllText(Path.Combine(_temp, "keep.txt"), "mine");

        var (exit, _, error) = Repository.Cli("init", "app", "--path", _temp);

        Assert.Equal(1, exit);
        Assert.Contains("exists and is not empty", error);
        Assert.Equal(["keep.txt"], Directory.GetFiles(_temp).Select(Path.GetFileName));
    }

    [Fact]
    public void An_sdk_path_without_a_crate_is_refused()
    {
        var (exit, _, error) = Repository.Cli("init", "app", "--path", Path.Combine(_temp, "app"), "--sdk", _temp);

        Assert.Equal(1, exit);
        Assert.Contains("has no Cargo.toml", error);
    }

    [Theory]
    [InlineData("path", "")]
    [InlineData("path", "  ")]
    [InlineData("sdk", "")]
    [InlineData("sdk", "  ")]
    public void A_blank_path_option_is_a_usage_error(string option, string blank)
    {
        CliAssert.UsageError(Repository.Cli("init", "app", $"--{option}", blank), "init", $"option --{option} needs a path, not '{blank}'");
    }
}
