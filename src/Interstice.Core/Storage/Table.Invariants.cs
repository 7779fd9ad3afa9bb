using Interstice.Core.Storage.Indexes;

namespace Interstice.Core.Storage;

public sealed partial class Table
{
    /// <summary>
    /// Verifies that the primary-key B+tree, the primary-key hash table and every index hold
    /// the same row slots, each under the keys its row gives; throws
    /// <see cref="InvalidOperationException"/> naming the first broken rule. For tests and
    /// diagnostics: it visits every row.
    /// </summary>
    internal void CheckInvariants()
    {
        Rows.CheckInvariants();
        RowsByKey.CheckInvariants(slot => slot.PrimaryKey.ToArray());
        if (RowsByKey.Count != Rows.Count) throw new InvalidOperationException($"{QualifiedName}: the hash table holds {RowsByKey.Count} rows, the B+tree {Rows.Count}");
        var cursor = Rows.Seek(KeyRange.All);
        while (cursor.MoveNext())
        {
            var slot = cursor.Value;
            if (!cursor.Key.SequenceEqual(slot.PrimaryKey)) throw new InvalidOperationException($"{QualifiedName}: a B+tree key is not its slot's primary key");
            if (RowsByKey.Find(slot.PrimaryKey) != slot) throw new InvalidOperationException($"{QualifiedName}: the hash table does not find row {Format(slot.PrimaryKey)}");
            for (int i = 0; i < Indexes.Length; i++)
            {
                byte[] key = Indexes[i].KeyOf(slot.Row);
                bool found = Indexes[i] switch
                {
                    HashIndex hash => hash.Lookup(key) is var entry && (entry == slot || (entry is RowSlotSet set && Contains(set, slot))),
                    BTreeIndex btree => btree.Entries.TryGetValue([.. key, .. slot.PrimaryKey.ToArray()], out var indexed) && indexed == slot,
                    _ => false,
                };
                if (!found) throw new InvalidOperationException($"{QualifiedName}: index {Indexes[i].Definition.Name} does not find row {Format(slot.PrimaryKey)}");
            }
        }
        for (int i = 0; i < Indexes.Length; i++)
        {
            int position = i;
            int indexed = Indexes[i] switch
            {
                HashIndex hash => hash.CheckInvariants(slot => hash.KeyOf(slot.Row)),
                BTreeIndex btree => CheckTree(btree.Entries),
                _ => -1,
            };
            if (indexed != Rows.Count) throw new InvalidOperationException($"{QualifiedName}: index {Indexes[i].Definition.Name} holds {indexed} rows, the table {Rows.Count}");
        }
    }

    private static bool Contains(RowSlotSet set, RowSlot slot)
    {
        var cursor = set.GetCursor();
        while (cursor.MoveNext())
        {
            if (cursor.Current == slot) return true;
        }
        return false;
    }

    private static int CheckTree(BPlusTree<RowSlot> tree)
    {
        tree.CheckInvariants();
        return tree.Count;
    }

    private string Format(ReadOnlySpan<byte> primaryKey) => KeyFormatter.Format(Definition.PrimaryKeyType, primaryKey);
}
