using System.Text;
using Interstice.Core.Storage;

namespace Interstice.Core.Durability.Recovery;

/// <summary>
/// Finds the table a replayed record names by its module and table name (UTF-8, as logged),
/// comparing bytes against the tables seen so far, so a record costs no string decoding.
/// Forgotten after each node event, since the handler may have created or dropped tables.
/// </summary>
internal sealed class TableResolver(Database database)
{
    private readonly List<(byte[] Module, byte[] Name, Table Table)> _known = [];

    public Table? Find(ReadOnlySpan<byte> module, ReadOnlySpan<byte> name)
    {
        foreach (var (knownModule, knownName, table) in _known)
        {
            if (module.SequenceEqual(knownModule) && name.SequenceEqual(knownName)) return table;
        }
        string moduleName = Encoding.UTF8.GetString(module);
        string tableName = Encoding.UTF8.GetString(name);
        if (!database.TryGetTable(moduleName, tableName, out var found)) return null;
        _known.Add((module.ToArray(), name.ToArray(), found));
        return found;
    }

    public void Forget() => _known.Clear();
}
