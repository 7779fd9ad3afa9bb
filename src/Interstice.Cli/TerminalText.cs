using System.Globalization;
using System.Text;

namespace Interstice.Cli;

/// <summary>
/// Text read from a data directory, made safe to print on a terminal: a damaged or hostile log or
/// snapshot could hold newlines or terminal escapes in the names and reasons the commands print
/// (the log commands' reports, a start's refusal), so control characters are written as
/// <c>\uXXXX</c>. The node writes names without them, so its own directories print unchanged.
/// </summary>
internal static class TerminalText
{
    public static string Printable(string? text)
    {
        if (text is null || !text.Any(char.IsControl)) return text ?? "";
        var printable = new StringBuilder(text.Length + 16);
        foreach (char c in text)
        {
            if (char.IsControl(c)) printable.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            else printable.Append(c);
        }
        return printable.ToString();
    }
}
