using Interstice.Core.Storage;

namespace Interstice.Core.Durability.Recovery;

/// <summary>
/// The rows of consecutive insert-only transactions into tables that were empty when their run
/// began, in increasing primary-key order (auto-increment ids, a bulk import, a first load),
/// gathered so that each table is filled at once when the run ends
/// (<see cref="Table.BulkLoad"/>) instead of row by row. The state afterwards is the same;
/// what the row-by-row path would check is checked here too: a key at or below the run's last
/// key ends the run (the transaction is then applied the ordinary way, which checks it), and
/// unique index keys are checked as the tables fill. A conflict names the transaction that
/// logged the row, with the record's file and offset.
/// </summary>
internal sealed class InsertRuns
{
    private readonly List<Run> _runs = [];
    private readonly List<Origin> _origins = [];
    /// <summary>The tables of the transaction being checked, each with its last row so far (by key).</summary>
    private readonly List<(Table Table, bool HasLast, StoredKey Last)> _checked = [];

    /// <summary>True when rows are gathered and not yet stored.</summary>
    public bool IsEmpty => _runs.Count == 0;

    /// <summary>
    /// Gathers the inserts <paramref name="rows"/> of one transaction (into
    /// <paramref name="tables"/>, with primary keys <paramref name="primaryKeys"/>) if each
    /// extends its table's run or starts one on an empty table; false, gathering nothing, otherwise.
    /// </summary>
    public bool TryAdd(ReadOnlySpan<Table> tables, ReadOnlySpan<byte[]> rows, ReadOnlySpan<StoredKey> primaryKeys, ulong transactionId, string file, long offset)
    {
        // Check every row first (a transaction may insert several rows of one table), then add.
        _checked.Clear();
        for (int i = 0; i < rows.Length; i++)
        {
            var table = tables[i];
            int at = _checked.Count - 1;
            while (at >= 0 && _checked[at].Table != table) at--;
            bool hasLast;
            StoredKey last;
            if (at >= 0)
            {
                (_, hasLast, last) = _checked[at];
            }
            else
            {
                var run = Find(table);
                if (run == null && table.Rows.Count != 0) return false;
                hasLast = run != null;
                last = run != null ? run.Last : default;
                at = _checked.Count;
                _checked.Add((table, hasLast, last));
            }
            if (hasLast && KeyComparer.Compare(StoredKey.Bytes(in last), StoredKey.Bytes(in primaryKeys[i])) >= 0) return false;
            _checked[at] = (table, true, primaryKeys[i]);
        }

        int origin = _origins.Count;
        _origins.Add(new Origin(transactionId, file, offset));
        for (int i = 0; i < rows.Length; i++)
        {
            var run = Find(tables[i]);
            if (run == null)
            {
                run = new Run(tables[i]);
                _runs.Add(run);
            }
            run.Add(rows[i], primaryKeys[i], origin);
        }
        return true;
    }

    /// <summary>Stores every gathered row; throws <see cref="RecoveryException"/> naming the transaction of a row that takes another's unique key.</summary>
    public void Store()
    {
        try
        {
            foreach (var run in _runs)
            {
                var violation = run.Table.BulkLoad(run.Rows, run.PrimaryKeys, run.Count, out int conflicting);
                if (violation != null)
                {
                    var origin = _origins[run.Origins[conflicting]];
                    throw new RecoveryException($"transaction {origin.TransactionId} {UniqueIndexes.Describe(run.Table, violation)}", origin.File, origin.Offset);
                }
            }
        }
        finally
        {
            _runs.Clear();
            _origins.Clear();
        }
    }

    private Run? Find(Table table)
    {
        foreach (var run in _runs)
        {
            if (run.Table == table) return run;
        }
        return null;
    }

    private readonly record struct Origin(ulong TransactionId, string File, long Offset);

    private sealed class Run(Table table)
    {
        public Table Table { get; } = table;
        public byte[][] Rows = new byte[1024][];
        /// <summary>Each row's primary key, computed once when it was read.</summary>
        public StoredKey[] PrimaryKeys = new StoredKey[1024];
        /// <summary>For each row, its transaction's position in <see cref="InsertRuns._origins"/>.</summary>
        public int[] Origins = new int[1024];
        public int Count;

        /// <summary>The primary key of the last row (the largest so far).</summary>
        public StoredKey Last => PrimaryKeys[Count - 1];

        public void Add(byte[] row, in StoredKey primaryKey, int origin)
        {
            if (Count == Rows.Length)
            {
                Array.Resize(ref Rows, Count * 2);
                Array.Resize(ref PrimaryKeys, Count * 2);
                Array.Resize(ref Origins, Count * 2);
            }
            Rows[Count] = row;
            PrimaryKeys[Count] = primaryKey;
            Origins[Count] = origin;
            Count++;
        }
    }
}
