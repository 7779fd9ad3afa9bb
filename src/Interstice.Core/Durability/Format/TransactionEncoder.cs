using Interstice.Core.Storage;
using Interstice.Core.Transactions;

namespace Interstice.Core.Durability.Format;

/// <summary>
/// Encodes a committed transaction as a log record, straight from its <see cref="ChangeSet"/>
/// into the log's buffer: <see cref="Measure"/> sizes the frame (and remembers which tables
/// the record names), then <see cref="Write"/> fills it. Changes to ephemeral tables are left
/// out. Not thread-safe: the log calls it under its append lock, and reuses its scratch space
/// so that encoding allocates nothing once warm.
/// <para>
/// Transaction payload, after the record header: inputs (bytes); table count (varint) and per
/// table its module and name (strings); row count (varint) and per row its kind (u8: 1 insert,
/// 2 update, 3 delete), its table's index in that list (varint) and its rows (bytes: new for an
/// insert, old then new for an update, old for a delete); sequence count (varint) and per
/// sequence its table's index (varint) and next value (u64).
/// </para>
/// </summary>
internal sealed class TransactionEncoder
{
    private const int LinearSearchLimit = 8;

    private readonly List<Table> _tables = [];
    private readonly Dictionary<Table, int> _tableIndexes = new(ReferenceEqualityComparer.Instance);
    /// <summary>Module and name of each table, encoded once (tables are few and long-lived).</summary>
    private readonly Dictionary<Table, byte[]> _names = new(ReferenceEqualityComparer.Instance);
    private int[] _rowTables = new int[16];
    private int[] _sequenceTables = new int[4];
    private int _durableRows;
    private int _durableSequences;

    /// <summary>The frame size (header included) of the record for these inputs and changes.</summary>
    public int Measure(ReadOnlySpan<byte> inputs, ChangeSet changes)
    {
        _tables.Clear();
        _tableIndexes.Clear();
        var rows = changes.Rows;
        if (_rowTables.Length < rows.Length) _rowTables = new int[Math.Max(rows.Length, _rowTables.Length * 2)];
        long size = LogFormat.RecordHeaderSize + FieldWriter.BytesSize(inputs.Length);
        _durableRows = 0;
        for (int i = 0; i < rows.Length; i++)
        {
            ref readonly var change = ref rows[i];
            int table = _rowTables[i] = DurableTableIndex(change.Table);
            if (table < 0) continue;
            _durableRows++;
            size += 1 + FieldWriter.VarUIntSize((ulong)table);
            if (change.OldRowBytes is { } old) size += FieldWriter.BytesSize(old.Length);
            if (change.NewRowBytes is { } @new) size += FieldWriter.BytesSize(@new.Length);
        }
        var sequences = changes.Sequences;
        if (_sequenceTables.Length < sequences.Length) _sequenceTables = new int[Math.Max(sequences.Length, _sequenceTables.Length * 2)];
        _durableSequences = 0;
        for (int i = 0; i < sequences.Length; i++)
        {
            int table = _sequenceTables[i] = DurableTableIndex(sequences[i].Table);
            if (table < 0) continue;
            _durableSequences++;
            size += FieldWriter.VarUIntSize((ulong)table) + 8;
        }
        size += FieldWriter.VarUIntSize((ulong)_tables.Count);
        foreach (var table in _tables) size += Name(table).Length;
        size += FieldWriter.VarUIntSize((ulong)_durableRows) + FieldWriter.VarUIntSize((ulong)_durableSequences);
        if (size > LogFormat.MaxBodySize)
        {
            throw new ArgumentException($"the transaction's log record would take {size} bytes, more than the largest record ({LogFormat.MaxBodySize} bytes)", nameof(changes));
        }
        return LogFormat.FrameHeaderSize + (int)size;
    }

    /// <summary>Writes the record measured last into <paramref name="frame"/> (exactly the measured size) and seals it.</summary>
    public void Write(Span<byte> frame, ulong transactionId, long timestamp, ReadOnlySpan<byte> inputs, ChangeSet changes)
    {
        var writer = new FieldWriter(frame[LogFormat.FrameHeaderSize..]);
        new RecordHeader(LogRecordKind.Transaction, transactionId, timestamp).Write(ref writer);
        writer.WriteBytes(inputs);
        writer.WriteVarUInt((ulong)_tables.Count);
        foreach (var table in _tables) writer.WriteRaw(Name(table));
        writer.WriteVarUInt((ulong)_durableRows);
        var rows = changes.Rows;
        for (int i = 0; i < rows.Length; i++)
        {
            int table = _rowTables[i];
            if (table < 0) continue;
            ref readonly var change = ref rows[i];
            writer.WriteByte(EncodeKind(change.Kind));
            writer.WriteVarUInt((ulong)table);
            if (change.Kind != RowChangeKind.Insert) writer.WriteBytes(change.OldRowBytes);
            if (change.Kind != RowChangeKind.Delete) writer.WriteBytes(change.NewRowBytes);
        }
        writer.WriteVarUInt((ulong)_durableSequences);
        var sequences = changes.Sequences;
        for (int i = 0; i < sequences.Length; i++)
        {
            int table = _sequenceTables[i];
            if (table < 0) continue;
            writer.WriteVarUInt((ulong)table);
            writer.WriteUInt64(sequences[i].NextValue);
        }
        if (writer.Position != frame.Length - LogFormat.FrameHeaderSize)
        {
            throw new InvalidOperationException($"a transaction record measured {frame.Length - LogFormat.FrameHeaderSize} bytes but wrote {writer.Position}");
        }
        RecordFrame.Seal(frame);
    }

    private static byte EncodeKind(RowChangeKind kind) => (byte)(kind + 1);

    /// <summary>The index of <paramref name="table"/> in the record's table list, or -1 for an ephemeral table (its changes are not logged).</summary>
    private int DurableTableIndex(Table table) => table.Definition.IsEphemeral ? -1 : TableIndex(table);

    private int TableIndex(Table table)
    {
        if (_tables.Count <= LinearSearchLimit)
        {
            for (int i = 0; i < _tables.Count; i++)
            {
                if (ReferenceEquals(_tables[i], table)) return i;
            }
            _tables.Add(table);
            if (_tables.Count > LinearSearchLimit)
            {
                for (int i = 0; i < _tables.Count; i++) _tableIndexes[_tables[i]] = i;
            }
            return _tables.Count - 1;
        }
        if (!_tableIndexes.TryGetValue(table, out int index))
        {
            index = _tables.Count;
            _tables.Add(table);
            _tableIndexes[table] = index;
        }
        return index;
    }

    private byte[] Name(Table table)
    {
        if (!_names.TryGetValue(table, out var name))
        {
            // Dropped tables never come back: start afresh now and then rather than track drops.
            if (_names.Count >= 4096) _names.Clear();
            name = new byte[FieldWriter.StringSize(table.Module) + FieldWriter.StringSize(table.Name)];
            var writer = new FieldWriter(name);
            writer.WriteString(table.Module);
            writer.WriteString(table.Name);
            _names[table] = name;
        }
        return name;
    }
}
