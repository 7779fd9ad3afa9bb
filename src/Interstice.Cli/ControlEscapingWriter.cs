using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace Interstice.Cli;

/// <summary>
/// A writer for text read from a data directory: a damaged or hostile log, snapshot or module
/// file name could hold newlines or terminal escapes in the names and reasons the commands print,
/// so every control character written through it (<see cref="char.IsControl(char)"/>: U+0000 to
/// U+001F and U+007F to U+009F) reaches the inner writer as <c>\uXXXX</c>. Only the line breaks
/// of its own <c>WriteLine</c> pass through raw, so a line cannot be forged or split by what it
/// prints. The node writes names without control characters, so its own directories print
/// unchanged. The inner writer is not owned: disposing this one leaves it open.
/// </summary>
internal sealed class ControlEscapingWriter(TextWriter inner) : TextWriter
{
    private static readonly SearchValues<char> ControlCharacters = SearchValues.Create(AllControlCharacters());

    public override Encoding Encoding => inner.Encoding;

    public override IFormatProvider FormatProvider => inner.FormatProvider;

    /// <summary>The inner writer's line break: the one <c>WriteLine</c> writes.</summary>
    [AllowNull]
    public override string NewLine
    {
        get => inner.NewLine;
        set => inner.NewLine = value;
    }

    public override void Write(char value)
    {
        if (char.IsControl(value)) WriteEscape(value);
        else inner.Write(value);
    }

    public override void Write(string? value) => Write(value.AsSpan());

    public override void Write(char[] buffer, int index, int count) => Write(buffer.AsSpan(index, count));

    public override void Write(ReadOnlySpan<char> buffer)
    {
        int control;
        while ((control = buffer.IndexOfAny(ControlCharacters)) >= 0)
        {
            inner.Write(buffer[..control]);
            WriteEscape(buffer[control]);
            buffer = buffer[(control + 1)..];
        }
        inner.Write(buffer);
    }

    // TextWriter's WriteLine writes its line break through Write, which would escape it: here a
    // line without control characters goes to the inner writer's WriteLine whole (one write, as
    // without this writer), any other is written escaped and ended with the inner's WriteLine().
    // The other WriteLine overloads end in one of these.
    public override void WriteLine() => inner.WriteLine();

    public override void WriteLine(char value)
    {
        if (char.IsControl(value))
        {
            WriteEscape(value);
            inner.WriteLine();
        }
        else inner.WriteLine(value);
    }

    public override void WriteLine(string? value) => WriteLine(value.AsSpan());

    public override void WriteLine(char[] buffer, int index, int count) => WriteLine(buffer.AsSpan(index, count));

    public override void WriteLine(ReadOnlySpan<char> buffer)
    {
        if (buffer.ContainsAny(ControlCharacters))
        {
            Write(buffer);
            inner.WriteLine();
        }
        else inner.WriteLine(buffer);
    }

    // The two async WriteLines TextWriter ends with WriteAsync(CoreNewLine) (the others call a WriteLine above).
    public override Task WriteLineAsync()
    {
        WriteLine();
        return Task.CompletedTask;
    }

    public override Task WriteLineAsync(StringBuilder? value, CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested) return Task.FromCanceled(cancellationToken);
        WriteLine(value);
        return Task.CompletedTask;
    }

    public override void Flush() => inner.Flush();

    private void WriteEscape(char control)
    {
        Span<char> escape = ['\\', 'u', '0', '0', '0', '0'];
        ((int)control).TryFormat(escape[2..], out _, "x4", CultureInfo.InvariantCulture);
        inner.Write(escape);
    }

    /// <summary>Every character <see cref="char.IsControl(char)"/> calls one (there are none above U+009F).</summary>
    private static string AllControlCharacters()
    {
        var controls = new StringBuilder();
        for (char c = '\0'; c <= '\u00ff'; c++)
        {
            if (char.IsControl(c)) controls.Append(c);
        }
        return controls.ToString();
    }
}
