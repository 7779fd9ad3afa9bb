namespace Interstice.Bench.Support;

/// <summary>A table printed as Markdown, so that results paste into docs as they are.</summary>
internal sealed class TextTable(params string[] headers)
{
    private readonly List<string[]> _rows = [];

    public void AddRow(params string[] cells)
    {
        if (cells.Length != headers.Length) throw new ArgumentException($"a row needs {headers.Length} cells, not {cells.Length}", nameof(cells));
        _rows.Add(cells);
    }

    public void WriteTo(TextWriter writer)
    {
        var widths = new int[headers.Length];
        for (int c = 0; c < headers.Length; c++)
        {
            widths[c] = headers[c].Length;
            foreach (var row in _rows) widths[c] = Math.Max(widths[c], row[c].Length);
        }
        WriteRow(writer, headers, widths);
        writer.WriteLine("|" + string.Join("|", widths.Select((w, c) => c == 0 ? new string('-', w + 2) : new string('-', w + 1) + ":")) + "|");
        foreach (var row in _rows) WriteRow(writer, row, widths);
    }

    private static void WriteRow(TextWriter writer, string[] cells, int[] widths) =>
        writer.WriteLine("| " + string.Join(" | ", cells.Select((cell, c) => c == 0 ? cell.PadRight(widths[c]) : cell.PadLeft(widths[c]))) + " |");
}
