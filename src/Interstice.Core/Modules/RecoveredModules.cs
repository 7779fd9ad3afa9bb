using Interstice.Abi;
using Interstice.Abi.Encoding;
using Interstice.Abi.Schema;
using Interstice.Core.Durability.Recovery;
using Interstice.Core.Durability.Records;
using Interstice.Core.Storage;

namespace Interstice.Core.Modules;

/// <summary>
/// The node's side of recovery: rebuilds each logged module's tables from the schema its
/// <see cref="ModuleLoadedRecord"/> carries (the schema the rows were written under, not
/// whatever binary is found later), drops them again when the module was removed, and checks
/// every replayed row against its table's row type. What it ends with is every module whose
/// tables exist, for the node to restore (loaded or kept) from its system table
/// <c>interstice.modules</c>.
/// </summary>
internal sealed class RecoveredModules : IRecoveryHandler
{
    private readonly Dictionary<string, Recovered> _modules = new(StringComparer.Ordinal);
    private long _order;

    /// <summary>A module whose tables recovery rebuilt, with the schema logged when they were created.</summary>
    public sealed record Recovered(string Name, ModuleSchema Schema, TableBinding[] Tables, long Order);

    /// <summary>The modules whose tables exist, in the order they were created.</summary>
    public IReadOnlyList<Recovered> Modules
    {
        get
        {
            var list = new List<Recovered>(_modules.Values);
            list.Sort((a, b) => a.Order.CompareTo(b.Order));
            return list;
        }
    }

    public bool TryGet(string name, out Recovered module) => _modules.TryGetValue(name, out module!);

    public void ModuleLoaded(Database database, ModuleLoadedRecord record)
    {
        string name = record.Module;
        if (name == SystemModule.Name) throw new RecoveryException($"transaction {record.TransactionId} loads a module named `{name}`, which is reserved for the node's own tables");
        if (_modules.ContainsKey(name)) throw new RecoveryException($"transaction {record.TransactionId} loads module `{name}`, whose tables exist already");
        ModuleSchema schema;
        try
        {
            schema = SchemaBinary.Decode(record.Schema.Span);
        }
        catch (Exception e) when (e is AbiDecodeException or SchemaException)
        {
            throw new RecoveryException($"the schema logged for module `{name}` by transaction {record.TransactionId} is not valid: {e.Message}", innerException: e);
        }
        if (schema.Name != name) throw new RecoveryException($"the schema logged for module `{name}` by transaction {record.TransactionId} is the schema of `{schema.Name}`");
        if (record.ContentHash.Length != 32) throw new RecoveryException($"the content hash logged for module `{name}` by transaction {record.TransactionId} has {record.ContentHash.Length} bytes, not 32 (SHA-256)");

        var tables = new TableBinding[schema.Tables.Count];
        for (int i = 0; i < tables.Length; i++)
        {
            tables[i] = new TableBinding(name, schema.Tables[i], schema);
            tables[i].Storage = database.CreateTable(name, tables[i].Definition);
        }
        _modules[name] = new Recovered(name, schema, tables, ++_order);
    }

    public void ModuleRemoved(Database database, ModuleRemovedRecord record)
    {
        if (!_modules.Remove(record.Module))
            throw new RecoveryException($"transaction {record.TransactionId} removes module `{record.Module}`, whose tables do not exist");
        database.DropModule(record.Module);
    }

    public void StartOver()
    {
        _modules.Clear();
        _order = 0;
    }

    public void ValidateRow(Table table, ReadOnlySpan<byte> row)
    {
        if (table.Definition.Layout is not RowLayout layout) throw new InvalidRowException(table.QualifiedName, "it is not a module's table");
        layout.Validate(row);
    }
}
