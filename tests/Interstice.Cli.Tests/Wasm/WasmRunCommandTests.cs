using System.Text;
using Interstice.Cli.Commands.Wasm;
using Interstice.Cli.Tests.TestSupport;

namespace Interstice.Cli.Tests.Wasm;

/// <summary><c>interstice wasm run</c>, in-process (and once as a process): output, exit codes, limits, errors.</summary>
public sealed class WasmRunCommandTests
{
    private const string Echo = """
        #include <stdio.h>
        #include <stdlib.h>
        int main(int argc, char **argv) {
          for (int i = 0; i < argc; i++) printf("arg %s\n", argv[i]);
          const char *v = getenv("COLOUR");
          printf("COLOUR=%s\n", v ? v : "(unset)");
          fprintf(stderr, "to stderr\n");
          return argc > 1 && argv[1][0] == 'x' ? 9 : 0;
        }
        """;

    private const string Functions = """
        (module
          (memory (export "memory") 1 100)
          (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
          (func (export "wide") (param i64 f32 f64) (result i64 f32 f64) (local.get 0) (local.get 1) (local.get 2))
          (func (export "div") (param f64 f64) (result f64) (f64.div (local.get 0) (local.get 1)))
          (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
          (func $spin (export "spin") (loop $l (br $l)))
          (func $recurse (export "recurse") (param i32) (result i32) (call $recurse (i32.add (local.get 0) (i32.const 1))))
          (func $crash (export "crash") (unreachable))
          (func (export "vadd") (param v128 v128) (result v128) (i32x4.add (local.get 0) (local.get 1))))
        """;

    private static (int ExitCode, string Stdout, string Stderr) Run(params string[] args) => RunWithInput("", args);

    private static (int ExitCode, string Stdout, string Stderr) RunWithInput(string stdin, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var command = new WasmRunCommand(new MemoryStream(Encoding.UTF8.GetBytes(stdin)));
        int code;
        try
        {
            code = command.Run(args, stdout, stderr);
        }
        catch (UsageException e)
        {
            // What CommandLine does with it: the message, then exit code 2.
            stderr.WriteLine(e.Message);
            code = 2;
        }
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void CommandOutputArgumentsAndExitCodePassThrough()
    {
        string program = WasmBuilds.FromC(Echo);
        var (code, stdout, stderr) = Run(program, "first", "second arg");
        Assert.Equal(0, code);
        Assert.Equal($"arg {program}\narg first\narg second arg\nCOLOUR=(unset)\n", stdout);
        Assert.Equal("to stderr\n", stderr);
        Assert.Equal(9, Run(program, "x").ExitCode);
    }

    [Fact]
    public void EnvironmentVariablesAreGivenOrInherited()
    {
        string program = WasmBuilds.FromC(Echo);
        Assert.Contains("COLOUR=blue\n", Run("--env", "COLOUR=blue", program).Stdout);
        Environment.SetEnvironmentVariable("COLOUR", "from host");
        try
        {
            Assert.Contains("COLOUR=from host\n", Run("--env", "COLOUR", program).Stdout);
        }
        finally
        {
            Environment.SetEnvironmentVariable("COLOUR", null);
        }
    }

    [Fact]
    public void StdinReachesTheProgram()
    {
        string program = WasmBuilds.FromC("""
            #include <stdio.h>
            int main(void) { char line[64]; while (fgets(line, sizeof line, stdin)) printf("got %s", line); return 0; }
            """);
        Assert.Equal("got one\ngot two\n", RunWithInput("one\ntwo\n", program).Stdout);
    }

    [Fact]
    public void PreopenedDirectoriesAreMappedToGuestPaths()
    {
        string host = Path.Combine(Path.GetTempPath(), "interstice-cli-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(host);
        try
        {
            File.WriteAllText(Path.Combine(host, "in.txt"), "contents");
            string program = WasmBuilds.FromC("""
                #include <stdio.h>
                int main(void) {
                  char text[32] = {0};
                  FILE *in = fopen("/work/in.txt", "r");
                  if (!in) { perror("open"); return 1; }
                  fread(text, 1, sizeof text - 1, in);
                  FILE *out = fopen("/work/out.txt", "w");
                  fprintf(out, "copied %s", text);
                  fclose(out);
                  printf("outside: %s\n", fopen("/etc/hostname", "r") ? "reachable" : "unreachable");
                  return 0;
                }
                """);
            var (code, stdout, stderr) = Run("--dir", host + "::/work", program);
            Assert.Equal("", stderr);
            Assert.Equal(0, code);
            Assert.Equal("outside: unreachable\n", stdout);
            Assert.Equal("copied contents", File.ReadAllText(Path.Combine(host, "out.txt")));
        }
        finally
        {
            Directory.Delete(host, recursive: true);
        }
    }

    [Fact]
    public void TrapPrintsItsKindAndBacktraceAndExits134()
    {
        var (code, stdout, stderr) = Run("--invoke", "crash", WasmBuilds.FromWat(Functions));
        Assert.Equal(134, code);
        Assert.Equal("", stdout);
        Assert.Contains("wasm trap: unreachable", stderr);
        Assert.Contains("wasm backtrace:\n  0: <module>!crash", stderr.ReplaceLineEndings("\n"));
        Assert.DoesNotContain("   at ", stderr);
    }

    [Fact]
    public void CTrapAfterOutputKeepsTheOutput()
    {
        string program = WasmBuilds.FromC("""
            #include <stdio.h>
            __attribute__((noinline)) void fail(int *p) { *p = 1; __builtin_trap(); }
            int main(void) { int x; printf("before\n"); fflush(stdout); fail(&x); return 0; }
            """);
        var (code, stdout, stderr) = Run(program);
        Assert.Equal(134, code);
        Assert.Equal("before\n", stdout);
        Assert.Contains("!fail", stderr);
    }

    [Fact]
    public void RunawayRecursionIsATrapNotACrash()
    {
        var (code, _, stderr) = Run("--invoke", "recurse", WasmBuilds.FromWat(Functions), "0");
        Assert.Equal(134, code);
        Assert.Contains("call stack exhausted", stderr);
    }

    [Fact]
    public void FuelRunsOut()
    {
        var (code, _, stderr) = Run("--fuel", "100000", "--invoke", "spin", WasmBuilds.FromWat(Functions));
        Assert.Equal(134, code);
        Assert.Contains("out of fuel", stderr);
        Assert.Equal(["3"], Run("--fuel", "100", "--invoke", "add", WasmBuilds.FromWat(Functions), "1", "2").Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void TimeoutStopsAnInfiniteLoop()
    {
        var (code, _, stderr) = Run("--timeout", "0.2", "--invoke", "spin", WasmBuilds.FromWat(Functions));
        Assert.Equal(124, code);
        Assert.Contains("timed out after 0.2 s", stderr);
        Assert.Contains("wasm trap: interrupted", stderr);
    }

    [Fact]
    public void TimeoutEndsASleep()
    {
        string program = WasmBuilds.FromC("""
            #include <stdio.h>
            #include <unistd.h>
            int main(void) { sleep(600); printf("woke up\n"); return 0; }
            """);
        var (code, stdout, stderr) = Run("--timeout", "0.2", program);
        Assert.Equal(124, code);
        Assert.Contains("timed out", stderr);
        Assert.DoesNotContain("woke up", stdout);
    }

    [Fact]
    public void MaxMemoryCapsGrowth()
    {
        string module = WasmBuilds.FromWat(Functions);
        Assert.Equal("1\n", Run("--max-memory", "196608", "--invoke", "grow", module, "2").Stdout);
        Assert.Equal("-1\n", Run("--max-memory", "196608", "--invoke", "grow", module, "3").Stdout);
        Assert.Equal("1\n", Run("--invoke", "grow", module, "3").Stdout);
        var (code, _, stderr) = Run("--max-memory", "1000", "--invoke", "grow", module, "1");
        Assert.Equal(1, code);
        Assert.Contains("exceeds the limit of 0 pages", stderr);
    }

    [Fact]
    public void InvokeParsesArgumentsAndPrintsResultsByType()
    {
        string module = WasmBuilds.FromWat(Functions);
        Assert.Equal("5\n", Run("--invoke", "add", module, "2", "3").Stdout);
        Assert.Equal("-1\n", Run("--invoke", "add", module, "0xffffffff", "0").Stdout);
        Assert.Equal("-9223372036854775808\n1.5\n-0.25\n", Run("--invoke", "wide", module, "-9223372036854775808", "1.5", "-0.25").Stdout);
        Assert.Equal("inf\n", Run("--invoke", "div", module, "1", "0").Stdout);
        Assert.Equal("nan\n", Run("--invoke", "div", module, "0", "0").Stdout);
        Assert.Equal("-inf\n", Run("--invoke", "div", module, "-inf", "1").Stdout);
        Assert.Equal("i32x4:2,4,6,-8\n", Run("--invoke", "vadd", module, "i32x4:1,2,3,-4", "i32x4:1,2,3,-4").Stdout);
        Assert.Equal("i32x4:-1,65535,0,1065353216\n", Run("--invoke", "vadd", module, "i16x8:-1,-1,-1,0,0,0,0,0", "f32x4:0,0,0,1").Stdout);
        Assert.Equal("i32x4:255,0,0,0\n", Run("--invoke", "vadd", module, "i8x16:255,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0", "i64x2:0,0").Stdout);
    }

    [Theory]
    [InlineData("argument 1 of add must be an i32", "--invoke", "add", "MODULE", "abc", "1")]
    [InlineData("argument 2 of add must be an i32", "--invoke", "add", "MODULE", "1", "4294967296")]
    [InlineData("add takes 2 argument(s)", "--invoke", "add", "MODULE", "1")]
    [InlineData("argument 1 of vadd must be a v128 (a lane shape and its lanes", "--invoke", "vadd", "MODULE", "i32x4:1,2,3", "i32x4:1,2,3,4")]
    [InlineData("argument 2 of vadd must be a v128", "--invoke", "vadd", "MODULE", "i32x4:1,2,3,4", "i8x16:256,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0")]
    [InlineData("argument 1 of vadd must be a v128", "--invoke", "vadd", "MODULE", "1", "i32x4:1,2,3,4")]
    [InlineData("exports no function named 'nope' (it exports add, wide, div, grow, spin, recurse, crash, vadd)", "--invoke", "nope", "MODULE")]
    [InlineData("option --fuel needs a whole number", "--fuel", "lots", "MODULE")]
    [InlineData("option --timeout needs a number", "--timeout", "-1", "MODULE")]
    [InlineData("--dir needs HOST or HOST::GUEST", "--dir", "::/x", "MODULE")]
    [InlineData("--env needs NAME=VALUE or NAME", "--env", "=v", "MODULE")]
    [InlineData("unknown option --frobnicate", "--frobnicate", "MODULE")]
    [InlineData("name the .wasm file to run")]
    public void WrongCommandLinesExit2(string message, params string[] args)
    {
        string module = WasmBuilds.FromWat(Functions);
        var (code, stdout, stderr) = Run(args.Select(a => a == "MODULE" ? module : a).ToArray());
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Contains(message, stderr);
    }

    [Fact]
    public void UnloadableModulesExit1WithOneLineNamingTheFile()
    {
        string directory = Path.Combine(AppContext.BaseDirectory, "test-modules");
        Directory.CreateDirectory(directory);
        string garbage = Path.Combine(directory, "garbage.wasm");
        File.WriteAllBytes(garbage, [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x05]);
        string missing = Path.Combine(directory, "missing.wasm");
        string needsImport = WasmBuilds.FromWat("(module (import \"env\" \"host_thing\" (func)) (func (export \"_start\")))");
        string noStart = WasmBuilds.FromWat("(module (func (export \"main\")))");

        foreach (var (path, expected) in new[]
        {
            (missing, $"cannot read {missing}: no such file"),
            (directory, $"cannot read {directory}: it is a directory"),
            (garbage, $"{garbage}: malformed module: "),
            (needsImport, $"{needsImport}: cannot link import env.host_thing"),
            (noStart, $"{noStart} is not a WASI command: it exports no function _start"),
        })
        {
            var (code, stdout, stderr) = Run(path);
            Assert.Equal(1, code);
            Assert.Equal("", stdout);
            Assert.StartsWith($"interstice wasm run: {expected}", stderr);
            Assert.Single(stderr.TrimEnd('\n').Split('\n'));
        }
    }

    [Fact]
    public void InvalidModuleExits1()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "test-modules", "invalid.wasm");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        // (module (func (result i32) f32.const 0)): a function returning f32 where i32 is declared.
        File.WriteAllBytes(path, [
            0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
            0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7f,
            0x03, 0x02, 0x01, 0x00,
            0x0a, 0x09, 0x01, 0x07, 0x00, 0x43, 0x00, 0x00, 0x00, 0x00, 0x0b,
        ]);
        var (code, _, stderr) = Run(path);
        Assert.Equal(1, code);
        Assert.StartsWith($"interstice wasm run: {path}: invalid module: ", stderr);
    }

    [Fact]
    public async Task RunsAsAProcessWithRealStreams()
    {
        string program = WasmBuilds.FromC(Echo);
        var (exit, stdout, stderr) = await Repository.CliProcess(new Dictionary<string, string>(), "wasm", "run", "--env", "COLOUR=red", program, "x");
        Assert.Equal($"arg {program}\narg x\nCOLOUR=red\n", stdout);
        Assert.Equal("to stderr\n", stderr);
        Assert.Equal(9, exit);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void A_blank_program_path_or_directory_is_a_usage_error(string blank)
    {
        CliAssert.UsageError(Repository.Cli("wasm", "run", blank), "wasm run", $"<program.wasm> needs a path, not '{blank}'");
        string program = WasmBuilds.FromWat(Functions);
        CliAssert.UsageError(Repository.Cli("wasm", "run", "--dir", blank, program), "wasm run", $"--dir needs HOST or HOST::GUEST, not '{blank}'");
        CliAssert.UsageError(Repository.Cli("wasm", "run", "--dir", $"{blank}::/x", program), "wasm run", $"--dir needs HOST or HOST::GUEST, not '{blank}::/x'");
    }
}
