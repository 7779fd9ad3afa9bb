namespace Interstice.Cli.Tests.TestSupport;

/// <summary>What the command line prints when it refuses: the shapes of stderr the tests hold it to.</summary>
internal static class CliAssert
{
    /// <summary>The only line on stderr (asserting there is exactly one: no stack trace, no usage).</summary>
    public static string OneErrorLine(string error)
    {
        string[] lines = error.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
        Assert.True(lines.Length == 1, $"expected one line, got:\n{error}");
        return lines[0];
    }

    /// <summary>One line on stderr (no stack trace), containing <paramref name="expected"/>.</summary>
    public static void OneErrorLine(string error, string expected) => Assert.Contains(expected, OneErrorLine(error));

    /// <summary>
    /// A wrong command line: exit code 2, and stderr is the one line
    /// "interstice COMMAND: <paramref name="message"/>" followed by the command's usage, nothing else
    /// (no stack trace).
    /// </summary>
    public static void UsageError((int Exit, string Out, string Err) result, string command, string message)
    {
        Assert.True(result.Exit == 2, $"exit {result.Exit}\n{result.Err}");
        string usage = CommandLine.Commands.Single(c => c.Name == command).Usage;
        Assert.Equal($"interstice {command}: {message}\n{usage}\n", result.Err.ReplaceLineEndings("\n"));
        Assert.Equal("", result.Out);
    }
}
