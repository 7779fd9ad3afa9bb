using System.Runtime.CompilerServices;
namespace Interstice.Core.Storage;

public sealed partial class Table
{
    /// <summary>
    /// Fills the empty table with <paramref name="count"/> rows at once (recovery: a snapshot's
    /// rows, a run of logged inserts): the primary-key B+tree and every B-tree index are built
    /// bottom-up from sorted keys and the primary key's and unique indexes' hash tables are sized
    /// once and filled in home order, instead of filing each row by itself. The table keeps the row arrays. <paramref name="primaryKeys"/>[i] is the primary
    /// key of <paramref name="rows"/>[i], computed once by the caller (which checks the order as
    /// it gathers): the rows must come in strictly increasing primary-key order (the order the
    /// rows were written or logged in, which a conflict is reported by). Unique indexes are
    /// checked as they fill (the structures are built in parallel): on a conflict the table is left empty and the violation returned,
    /// with <paramref name="conflictingRow"/> the position of the first row that takes a key an
    /// earlier row has; otherwise null (and -1).
    /// </summary>
    /// <exception cref="InvalidOperationException">The table is not empty.</exception>
    /// <exception cref="ArgumentException">The primary keys are not strictly increasing.</exception>
    // Per row in a start: compiled optimized at once, not left to tiering (docs/durability-measurements.md, A node's first start in a new process).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal UniqueViolationException? BulkLoad(byte[][] rows, StoredKey[] primaryKeys, int count, out int conflictingRow)
    {
        if (Rows.Count != 0) throw new InvalidOperationException($"table {QualifiedName} is not empty: only an empty table is bulk loaded");
        // A table emptied by deletes keeps what its rows left (freed hash slots, B+tree nodes):
        // the bulk builds start from nothing.
        Clear();
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, rows.Length, nameof(count));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, primaryKeys.Length, nameof(count));
        for (int i = 1; i < count; i++)
        {
            int order = KeyComparer.Compare(StoredKey.Bytes(in primaryKeys[i - 1]), StoredKey.Bytes(in primaryKeys[i]));
            if (order >= 0)
            {
                if (order == 0)
                {
                    conflictingRow = i;
                    return PrimaryKeyViolation(StoredKey.Bytes(in primaryKeys[i]));
                }
                throw new ArgumentException($"the rows for {QualifiedName} are not in increasing primary-key order at row {i}", nameof(primaryKeys));
            }
        }

        // The primary-key structures and each index are independent: they are built side by
        // side (recovery has the machine to itself), each reading the shared rows and keys.
        var conflicts = new int[Indexes.Length];
        var conflictKeys = new byte[]?[Indexes.Length];
        try
        {
            Parallel.For(0, Indexes.Length + 1, part => BuildPart(part, rows, primaryKeys, count, conflicts, conflictKeys));
        }
        catch (AggregateException e) when (e.InnerExceptions.Count == 1)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerExceptions[0]);
        }

        conflictingRow = -1;
        UniqueViolationException? violation = null;
        for (int i = 0; i < Indexes.Length; i++)
        {
            int row = conflicts[i];
            if (row >= 0 && (conflictingRow < 0 || row < conflictingRow))
            {
                conflictingRow = row;
                violation = IndexViolation(i, conflictKeys[i]);
            }
        }
        if (violation != null)
        {
            Clear();
            return violation;
        }
        return null;
    }

    /// <summary>Removes every row at once, leaving the table as new (bulk loadable again); the sequence is left as it is.</summary>
    internal void Clear()
    {
        foreach (var index in Indexes) index.Clear();
        Rows.Clear();
        RowsByKey.Clear();
    }

    /// <summary>Builds index <paramref name="part"/>, or, past the last index, the primary-key tree and hash table.</summary>
    // Per row in a start: compiled optimized at once, not left to tiering (docs/durability-measurements.md, A node's first start in a new process).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void BuildPart(int part, byte[][] rows, StoredKey[] primaryKeys, int count, int[] conflicts, byte[]?[] conflictKeys)
    {
        if (part < Indexes.Length)
        {
            conflicts[part] = Indexes[part].BulkLoad(rows, primaryKeys, count, out conflictKeys[part]);
            return;
        }
        Rows.BuildSorted(count, i => primaryKeys[i], rows);
        using var hashBuffer = new NativeBuffer<int>(count);
        var hashes = hashBuffer.Span;
        for (int i = 0; i < count; i++) hashes[i] = RowsByKey.HashOf(StoredKey.Bytes(in primaryKeys[i]));
        // The keys were checked strictly increasing: none repeats, and equal hashes are told apart by the rows' keys.
        RowsByKey.Fill(rows, hashes, count);
    }
}
