using Interstice.Core.Storage;
using System.Runtime.CompilerServices;

namespace Interstice.Core.Transactions;

/// <summary>
/// Builds a <see cref="ChangeSet"/> from rows rather than from a transaction: durability uses
/// it to replay commit-log records and to load snapshots (inserts plus sequence values) with
/// <see cref="Database.Apply"/>, running no WebAssembly. Every row is checked with its table's
/// layout as it is added (a row that cannot be decoded throws <see cref="InvalidRowException"/>),
/// and a key may appear once per table, as in a transaction's net effect. The builder takes
/// ownership of the row arrays it is given.
/// <para>
/// Storage trusts that the rows were valid against the state they are applied to (they were,
/// when a transaction produced them); <see cref="Database.Apply"/> still refuses, before
/// changing anything, a change set that inserts an existing key or updates or deletes a
/// missing one.
/// </para>
/// </summary>
// Key buffers are written before they are read: zeroing them first is wasted work.
[SkipLocalsInit]
public sealed class ChangeSetBuilder
{
    private readonly List<RowChange> _rows = [];
    private readonly List<SequenceChange> _sequences = [];
    private readonly Dictionary<Table, HashSet<byte[]>> _keys = [];

    /// <summary>The number of row changes added so far.</summary>
    public int Count => _rows.Count;

    public ChangeSetBuilder Insert(Table table, byte[] row)
    {
        _rows.Add(new RowChange(table, RowChangeKind.Insert, CheckedKey(table, row), null, row));
        return this;
    }

    public ChangeSetBuilder Update(Table table, byte[] oldRow, byte[] newRow)
    {
        var key = CheckedKey(table, oldRow);
        if (!key.AsSpan().SequenceEqual(table.PrimaryKeyOf(newRow)))
        {
            throw new ArgumentException($"an update of {table} changes the primary key {table.Definition.PrimaryKeyColumn}", nameof(newRow));
        }
        CheckIndexKeys(table, newRow);
        _rows.Add(new RowChange(table, RowChangeKind.Update, key, oldRow, newRow));
        return this;
    }

    public ChangeSetBuilder Delete(Table table, byte[] oldRow)
    {
        _rows.Add(new RowChange(table, RowChangeKind.Delete, CheckedKey(table, oldRow), oldRow, null));
        return this;
    }

    /// <summary>Sets the next value of <paramref name="table"/>'s auto-increment sequence (0: exhausted).</summary>
    public ChangeSetBuilder SetSequence(Table table, ulong nextValue)
    {
        ArgumentNullException.ThrowIfNull(table);
        foreach (var sequence in _sequences)
        {
            if (sequence.Table == table) throw new ArgumentException($"the sequence of {table} is set twice", nameof(table));
        }
        _sequences.Add(new SequenceChange(table, nextValue));
        return this;
    }

    public ChangeSet Build() => new([.. _rows], [.. _sequences], fromTransaction: false);

    private byte[] CheckedKey(Table table, byte[] row)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(row);
        var key = table.PrimaryKeyOf(row);
        CheckIndexKeys(table, row);
        if (!_keys.TryGetValue(table, out var keys)) _keys[table] = keys = new HashSet<byte[]>(KeyComparer.Instance);
        if (!keys.Add(key))
        {
            throw new ArgumentException(
                $"{table} row with {table.Definition.PrimaryKeyColumn} = {KeyFormatter.Format(table.Definition.PrimaryKeyType, key)} appears twice in one change set",
                nameof(row));
        }
        return key;
    }

    private static void CheckIndexKeys(Table table, byte[] row)
    {
        var key = new KeyWriter(stackalloc byte[KeyWriter.StackBufferSize]);
        try
        {
            for (int i = 0; i < table.Indexes.Length; i++)
            {
                key.Reset();
                table.Layout.WriteIndexKey(i, row, ref key);
            }
        }
        finally
        {
            key.Dispose();
        }
    }
}
