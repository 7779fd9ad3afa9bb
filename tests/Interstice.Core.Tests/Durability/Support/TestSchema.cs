using System.Text;
using Interstice.Core.Durability.Recovery;
using Interstice.Core.Durability.Records;
using Interstice.Core.Storage;

namespace Interstice.Core.Tests.Durability.Support;

/// <summary>
/// The tests' stand-in for a module schema (the node's real schema encoding is the module
/// contract's): one line per table, <c>name[,ephemeral][,autoinc]</c>. Every table has the
/// <see cref="Interstice.Core.Tests.Support.TestRow"/> layout and the usual three indexes.
/// </summary>
public static class TestSchema
{
    public static byte[] Encode(params string[] tables) => Encoding.UTF8.GetBytes(string.Join('\n', tables));

    public static void CreateTables(Database database, string module, ReadOnlySpan<byte> schema)
    {
        foreach (var spec in Encoding.UTF8.GetString(schema).Split('\n', StringSplitOptions.RemoveEmptyEntries)) CreateTable(database, module, spec);
    }

    /// <summary>Creates the table <paramref name="spec"/> describes (<c>name[,ephemeral][,autoinc]</c>).</summary>
    public static Table CreateTable(Database database, string module, string spec)
    {
        var parts = spec.Split(',');
        var indexes = new[]
        {
            Interstice.Core.Tests.Support.TestTables.Index("by_name", "name", IndexKind.Hash, unique: true),
            Interstice.Core.Tests.Support.TestTables.Index("by_score", "score", IndexKind.BTree, unique: false),
            Interstice.Core.Tests.Support.TestTables.Index("by_tag", "tag", IndexKind.Hash, unique: false),
        };
        var layout = new Interstice.Core.Tests.Support.TestLayout(module + "." + parts[0], indexes.Select(i => i.Column).ToArray());
        var definition = new TableDefinition(parts[0], "id", KeyType.U64, layout, indexes,
            parts.Contains("autoinc") ? new AutoIncrementDefinition("id", KeyType.U64) : null,
            isEphemeral: parts.Contains("ephemeral"));
        return database.CreateTable(module, definition);
    }

    /// <summary>
    /// A recovery handler that understands <see cref="TestSchema"/> and records what it was asked.
    /// A test that needs a different handler derives from it and overrides only what it changes.
    /// </summary>
    public class Handler : IRecoveryHandler
    {
        public List<string> Calls { get; } = [];

        public virtual void ModuleLoaded(Database database, ModuleLoadedRecord record)
        {
            Calls.Add($"loaded {record.Module}");
            CreateTables(database, record.Module, record.Schema.Span);
        }

        public virtual void ModuleRemoved(Database database, ModuleRemovedRecord record)
        {
            Calls.Add($"removed {record.Module}");
            database.DropModule(record.Module);
        }

        public virtual void StartOver() => Calls.Add("start over");

        /// <summary>A row of these tables is a <see cref="Interstice.Core.Tests.Support.TestRow"/>.</summary>
        public virtual void ValidateRow(Table table, ReadOnlySpan<byte> row)
        {
            try
            {
                Interstice.Core.Tests.Support.TestRow.Decode(row);
            }
            catch (FormatException e)
            {
                throw new InvalidRowException(table.QualifiedName, $"not a test row: {e.Message}");
            }
        }
    }
}
