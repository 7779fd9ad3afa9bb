using System.Globalization;
using System.Text;

namespace Interstice.Cli.Tests;

/// <summary>
/// <see cref="ControlEscapingWriter"/>: control characters in the text are written as <c>\uXXXX</c>,
/// through every overload; the line breaks of its own WriteLine pass raw; other text is unchanged.
/// </summary>
public class ControlEscapingWriterTests
{
    /// <summary>A tab, a carriage return, a newline, ESC, NUL, DEL and the C1 controls NEL and CSI.</summary>
    private const string Hostile = "a\tb\rc\nd\u001b[31me\0f\u007fg\u0085h\u009bi";

    private const string HostileEscaped = "a\\u0009b\\u000dc\\u000ad\\u001b[31me\\u0000f\\u007fg\\u0085h\\u009bi";

    private static string Written(Action<TextWriter> write, string newLine = "\n")
    {
        var inner = new StringWriter { NewLine = newLine };
        write(new ControlEscapingWriter(inner));
        return inner.ToString();
    }

    /// <summary>Each way of writing text, given the text.</summary>
    public static TheoryData<string> Writes() =>
    [
        "Write(char)", "Write(string)", "Write(char[])", "Write(char[], int, int)", "Write(ReadOnlySpan<char>)",
        "Write(StringBuilder)", "Write(object)", "Write(format, arg)",
    ];

    /// <summary>Each way of writing a line, given its text.</summary>
    public static TheoryData<string> WriteLines() =>
    [
        "WriteLine(string)", "WriteLine(char[])", "WriteLine(char[], int, int)", "WriteLine(ReadOnlySpan<char>)",
        "WriteLine(StringBuilder)", "WriteLine(object)", "WriteLine(format, arg)",
        "WriteLineAsync(string)", "WriteLineAsync(char[], int, int)", "WriteLineAsync(ReadOnlyMemory<char>)", "WriteLineAsync(StringBuilder)",
    ];

    private static void Write(TextWriter writer, string overload, string text)
    {
        char[] padded = ['<', .. text, '>'];
        switch (overload)
        {
            case "Write(char)": foreach (char c in text) writer.Write(c); break;
            case "Write(string)": writer.Write(text); break;
            case "Write(char[])": writer.Write(text.ToCharArray()); break;
            case "Write(char[], int, int)": writer.Write(padded, 1, text.Length); break;
            case "Write(ReadOnlySpan<char>)": writer.Write(text.AsSpan()); break;
            case "Write(StringBuilder)": writer.Write(new StringBuilder(text)); break;
            case "Write(object)": writer.Write((object)new Text(text)); break;
            case "Write(format, arg)": writer.Write("{0}", text); break;
            case "WriteLine(string)": writer.WriteLine(text); break;
            case "WriteLine(char[])": writer.WriteLine(text.ToCharArray()); break;
            case "WriteLine(char[], int, int)": writer.WriteLine(padded, 1, text.Length); break;
            case "WriteLine(ReadOnlySpan<char>)": writer.WriteLine(text.AsSpan()); break;
            case "WriteLine(StringBuilder)": writer.WriteLine(new StringBuilder(text)); break;
            case "WriteLine(object)": writer.WriteLine((object)new Text(text)); break;
            case "WriteLine(format, arg)": writer.WriteLine("{0}", text); break;
            case "WriteLineAsync(string)": writer.WriteLineAsync(text).GetAwaiter().GetResult(); break;
            case "WriteLineAsync(char[], int, int)": writer.WriteLineAsync(padded, 1, text.Length).GetAwaiter().GetResult(); break;
            case "WriteLineAsync(ReadOnlyMemory<char>)": writer.WriteLineAsync(text.AsMemory()).GetAwaiter().GetResult(); break;
            case "WriteLineAsync(StringBuilder)": writer.WriteLineAsync(new StringBuilder(text)).GetAwaiter().GetResult(); break;
            default: throw new ArgumentOutOfRangeException(nameof(overload), overload, null);
        }
    }

    [Theory]
    [MemberData(nameof(Writes))]
    public void Control_characters_written_are_escaped(string overload) =>
        Assert.Equal(HostileEscaped, Written(w => Write(w, overload, Hostile)));

    [Theory]
    [MemberData(nameof(WriteLines))]
    public void Control_characters_in_a_line_are_escaped_and_its_own_line_break_is_raw(string overload) =>
        Assert.Equal(HostileEscaped + "\n", Written(w => Write(w, overload, Hostile)));

    [Theory]
    [MemberData(nameof(Writes))]
    [MemberData(nameof(WriteLines))]
    public void Text_without_control_characters_is_written_unchanged(string overload)
    {
        // Backslashes, quotes, non-ASCII letters, a no-break space and a surrogate pair are not controls.
        const string plain = "module `hello` \\u001b \"é\" \u00a0 \U0001F600 done";
        var expected = new StringWriter { NewLine = "\n" };
        Write(expected, overload, plain);
        Assert.Equal(expected.ToString(), Written(w => Write(w, overload, plain)));
    }

    [Fact]
    public void Every_control_character_is_escaped_and_no_other_character_is()
    {
        for (int c = 0; c <= 0xffff; c++)
        {
            string written = Written(w => w.Write((char)c));
            if (char.IsControl((char)c)) Assert.Equal($"\\u{c:x4}", written);
            else Assert.Equal(((char)c).ToString(), written);
        }
    }

    [Fact]
    public void The_line_break_of_each_WriteLine_without_text_is_the_inner_writers_and_raw()
    {
        Assert.Equal("\r\n", Written(w => w.WriteLine(), newLine: "\r\n"));
        Assert.Equal("\r\n", Written(w => w.WriteLineAsync().GetAwaiter().GetResult(), newLine: "\r\n"));
        Assert.Equal("\\u001b\r\n", Written(w => w.WriteLine('\u001b'), newLine: "\r\n"));
        Assert.Equal("x\\u000a\r\n", Written(w => w.WriteLine("x\n"), newLine: "\r\n"));
        Assert.Equal("12\r\n", Written(w => w.WriteLine(12), newLine: "\r\n"));
        Assert.Equal("True\r\n", Written(w => w.WriteLine(true), newLine: "\r\n"));
        Assert.Equal("\r\n", Written(w => w.WriteLine((string?)null), newLine: "\r\n"));
        Assert.Equal("\r\n", Written(w => w.WriteLine((object?)null), newLine: "\r\n"));
        Assert.Equal("\r\n", Written(w => w.WriteLineAsync((StringBuilder?)null).GetAwaiter().GetResult(), newLine: "\r\n"));
    }

    [Fact]
    public void Its_NewLine_is_the_inner_writers_and_escaped_when_written_as_text()
    {
        var inner = new StringWriter { NewLine = "\r\n" };
        var writer = new ControlEscapingWriter(inner);
        Assert.Equal("\r\n", writer.NewLine);
        writer.Write("a" + writer.NewLine);
        Assert.Equal("a\\u000d\\u000a", inner.ToString());
    }

    [Fact]
    public void Encoding_format_provider_and_flush_are_the_inner_writers()
    {
        var bytes = new MemoryStream();
        var inner = new StreamWriter(bytes, new UTF8Encoding(false)) { AutoFlush = false };
        var writer = new ControlEscapingWriter(inner);
        Assert.Same(inner.Encoding, writer.Encoding);
        writer.Write("é\u001b");
        Assert.Equal(0, bytes.Length);
        writer.Flush();
        Assert.Equal("é\\u001b", Encoding.UTF8.GetString(bytes.ToArray()));

        var comma = new StringWriter(new NumberFormatInfo { NumberDecimalSeparator = "," });
        var commaWriter = new ControlEscapingWriter(comma);
        Assert.Same(comma.FormatProvider, commaWriter.FormatProvider);
        commaWriter.Write(1.5);
        Assert.Equal("1,5", comma.ToString());
    }

    [Fact]
    public void Disposing_it_leaves_the_inner_writer_open()
    {
        var inner = new StringWriter();
        new ControlEscapingWriter(inner).Dispose();
        inner.Write("still open");
        Assert.Equal("still open", inner.ToString());
    }

    /// <summary>An object whose text is given (not <see cref="IFormattable"/>).</summary>
    private sealed class Text(string text)
    {
        public override string ToString() => text;
    }
}
