using Interstice.Core.Transactions;
using System.Runtime.CompilerServices;

namespace Interstice.Core.Durability.Format;

/// <summary>
/// Reads a transaction record's payload in order, as slices of the record (no copies): the
/// inputs, the table names, the row changes, the sequence moves. Every table index and length
/// is checked; a malformed payload throws <see cref="MalformedDataException"/>. Replay applies
/// the changes as it reads them; <see cref="LogRecordDecoder"/> builds objects from them.
/// </summary>
internal ref struct TransactionReader
{
    private FieldReader _reader;
    private readonly int _offset;
    private int _tableCount;

    /// <param name="payload">The record body after its <see cref="RecordHeader"/>.</param>
    /// <param name="offset">Where the payload starts in the body, so that positions in errors are relative to the body.</param>
    public TransactionReader(ReadOnlySpan<byte> payload, int offset)
    {
        _reader = new FieldReader(payload);
        _offset = offset;
        try
        {
            Inputs = _reader.ReadBytes("inputs");
            _tableCount = _reader.ReadCount("table", minItemSize: 2);
        }
        catch (MalformedDataException e)
        {
            throw Relative(e);
        }
    }

    public ReadOnlySpan<byte> Inputs { get; }

    public readonly int TableCount => _tableCount;

    /// <summary>Reads the next table name (UTF-8, not validated: replay compares bytes).</summary>
    public void ReadTable(out ReadOnlySpan<byte> module, out ReadOnlySpan<byte> table)
    {
        try
        {
            module = _reader.ReadBytes("module name");
            table = _reader.ReadBytes("table name");
            if (module.IsEmpty || table.IsEmpty) throw new MalformedDataException("empty module or table name", _reader.Position);
        }
        catch (MalformedDataException e)
        {
            throw Relative(e);
        }
    }

    /// <summary>Reads the row count, after every table.</summary>
    public int ReadRowCount() => Count("row change", 3);

    // Per row in a start: compiled optimized at once, not left to tiering (docs/durability-measurements.md, A node's first start in a new process).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void ReadRow(out RowChangeKind kind, out int table, out ReadOnlySpan<byte> oldRow, out ReadOnlySpan<byte> newRow)
    {
        try
        {
            int start = _reader.Position;
            byte code = _reader.ReadByte();
            if (code is < 1 or > 3) throw new MalformedDataException($"unknown row change kind {code}", start);
            kind = (RowChangeKind)(code - 1);
            table = Table();
            oldRow = kind == RowChangeKind.Insert ? default : _reader.ReadBytes("old row");
            newRow = kind == RowChangeKind.Delete ? default : _reader.ReadBytes("new row");
        }
        catch (MalformedDataException e)
        {
            throw Relative(e);
        }
    }

    /// <summary>Reads the sequence count, after every row.</summary>
    public int ReadSequenceCount() => Count("sequence", 9);

    public void ReadSequence(out int table, out ulong nextValue)
    {
        try
        {
            table = Table();
            nextValue = _reader.ReadUInt64();
        }
        catch (MalformedDataException e)
        {
            throw Relative(e);
        }
    }

    /// <summary>Checks that the payload ends after the last sequence.</summary>
    public readonly void End()
    {
        try
        {
            _reader.ExpectEnd("a transaction record");
        }
        catch (MalformedDataException e)
        {
            throw Relative(e);
        }
    }

    private int Count(string what, int minItemSize)
    {
        try
        {
            return _reader.ReadCount(what, minItemSize);
        }
        catch (MalformedDataException e)
        {
            throw Relative(e);
        }
    }

    private int Table()
    {
        int start = _reader.Position;
        ulong index = _reader.ReadVarUInt();
        if (index >= (ulong)_tableCount) throw new MalformedDataException($"table index {index} is not below the record's {_tableCount} tables", start);
        return (int)index;
    }

    private readonly MalformedDataException Relative(MalformedDataException e) => new(e.Reason, _offset + e.Position);
}
