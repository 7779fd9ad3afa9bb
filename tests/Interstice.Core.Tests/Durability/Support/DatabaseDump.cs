using System.Text;
using Interstice.Core.Storage;

namespace Interstice.Core.Tests.Durability.Support;

/// <summary>The whole contents of a database as text (tables by name, rows in key order, sequences), to compare two databases.</summary>
public static class DatabaseDump
{
    /// <param name="database">The database.</param>
    /// <param name="ephemeral">Include ephemeral tables' rows (recovery leaves them empty).</param>
    public static string Of(Database database, bool ephemeral = false)
    {
        var text = new StringBuilder();
        using var view = database.BeginReadOnly();
        foreach (var table in database.Tables.OrderBy(t => t.QualifiedName, StringComparer.Ordinal))
        {
            bool skipRows = table.Definition.IsEphemeral && !ephemeral;
            text.Append("table ").Append(table.QualifiedName);
            if (table.Definition.IsEphemeral) text.Append(" (ephemeral)");
            if (!skipRows) text.Append(" next=").Append(view.NextSequenceValue(table));
            text.AppendLine();
            if (skipRows) continue;
            using var rows = view.Scan(table);
            foreach (var row in rows) text.Append("  ").AppendLine(Convert.ToHexString(row.Span));
        }
        return text.ToString();
    }
}
