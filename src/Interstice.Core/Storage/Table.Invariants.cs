using Interstice.Core.Storage.Indexes;

namespace Interstice.Core.Storage;

public sealed partial class Table
{
    /// <summary>
    /// Verifies that the primary-key B+tree, the primary-key hash table and every index hold
    /// the same row arrays, each under the keys it gives; throws
    /// <see cref="InvalidOperationException"/> naming the first broken rule. For tests and
    /// diagnostics: it visits every row.
    /// </summary>
    internal void CheckInvariants()
    {
        Rows.CheckInvariants();
        RowsByKey.CheckInvariants(row => PrimaryKeyOf(row));
        if (RowsByKey.Count != Rows.Count) throw new InvalidOperationException($"{QualifiedName}: the hash table holds {RowsByKey.Count} rows, the B+tree {Rows.Count}");
        var cursor = Rows.Seek(KeyRange.All);
        while (cursor.MoveNext())
        {
            var row = cursor.Value;
            byte[] primaryKey = PrimaryKeyOf(row);
            if (!cursor.Key.SequenceEqual(primaryKey)) throw new InvalidOperationException($"{QualifiedName}: a B+tree key is not its row's primary key");
            if (RowsByKey.Find(primaryKey) != row) throw new InvalidOperationException($"{QualifiedName}: the hash table does not find row {Format(primaryKey)}");
            for (int i = 0; i < Indexes.Length; i++)
            {
                byte[] key = Indexes[i].KeyOf(row);
                bool found = Indexes[i] switch
                {
                    HashIndex hash => hash.Lookup(key) is var entry && (entry == row || (entry is RowSet set && Contains(set, row, primaryKey))),
                    BTreeIndex btree => btree.Entries.TryGetValue([.. key, .. primaryKey], out var indexed) && indexed == row,
                    _ => false,
                };
                if (!found) throw new InvalidOperationException($"{QualifiedName}: index {Indexes[i].Definition.Name} does not find row {Format(primaryKey)}");
            }
        }
        for (int i = 0; i < Indexes.Length; i++)
        {
            int indexed = Indexes[i] switch
            {
                HashIndex hash => hash.CheckInvariants(row => hash.KeyOf(row)),
                BTreeIndex btree => CheckTree(btree.Entries),
                _ => -1,
            };
            if (indexed != Rows.Count) throw new InvalidOperationException($"{QualifiedName}: index {Indexes[i].Definition.Name} holds {indexed} rows, the table {Rows.Count}");
        }
    }

    /// <summary>True when <paramref name="set"/> holds <paramref name="row"/>, under <paramref name="primaryKey"/> (the key it computed on add).</summary>
    private static bool Contains(RowSet set, byte[] row, byte[] primaryKey)
    {
        var cursor = set.GetCursor();
        while (cursor.MoveNext())
        {
            if (cursor.Current != row) continue;
            var stored = cursor.PrimaryKey;
            return StoredKey.Bytes(in stored).SequenceEqual(primaryKey);
        }
        return false;
    }

    private static int CheckTree(BPlusTree<byte[]> tree)
    {
        tree.CheckInvariants();
        return tree.Count;
    }

    private string Format(ReadOnlySpan<byte> primaryKey) => KeyFormatter.Format(Definition.PrimaryKeyType, primaryKey);
}
