using Interstice.Abi.Encoding;
using Interstice.Abi.Schema;
using Interstice.Abi.Types;
using Interstice.Core.Storage;
using System.Runtime.CompilerServices;

namespace Interstice.Core.Modules;

/// <summary>
/// How storage reads keys out of one table's rows: the <see cref="ITableLayout"/> of a table
/// declared by a module schema, implemented with the ABI's value encoding. Rows reach storage
/// only after the node validated them against the row type, so keys are read without checking
/// again. Columns are found by skipping the fields before them; the offsets of columns that
/// only fixed-width fields precede are computed once. The row type's checks are compiled once
/// (<see cref="RowValidator"/>), as are those of the variable-width fields skipped on the way, all
/// through the module's one <see cref="ValueValidators"/> (each named type compiled once).
/// </summary>
internal sealed class RowLayout : ITableLayout
{
    private readonly string _table;
    private readonly NamedType _rowType;
    private readonly AbiType[] _fieldTypes;
    /// <summary>Per field: what skips a value of it, for fields that are neither fixed-width nor string or bytes (width 0); null for the rest.</summary>
    private readonly ValueValidator?[] _fieldValidators;
    private readonly TypeTable _types;
    /// <summary>Per field: its width when fixed, -1 for string and bytes, 0 for other variable-width types.</summary>
    private readonly int[] _widths;
    /// <summary>Per field: its offset when every field before it is fixed-width, otherwise -1.</summary>
    private readonly int[] _constantOffsets;
    private readonly KeyColumn _primaryKey;
    private readonly KeyColumn[][] _indexes;
    private readonly int _autoIncrementColumn;

    public RowLayout(string qualifiedTable, TableSchema table, StructDefinition row, ValueValidators validators)
    {
        _table = qualifiedTable;
        _rowType = new NamedType(table.Row);
        var types = validators.Types;
        _types = types;
        RowValidator = validators.For(_rowType);
        var fields = row.Fields;
        _fieldTypes = new AbiType[fields.Count];
        _fieldValidators = new ValueValidator?[fields.Count];
        _widths = new int[fields.Count];
        _constantOffsets = new int[fields.Count];
        int offset = 0;
        for (int i = 0; i < fields.Count; i++)
        {
            var type = fields[i].Type;
            _fieldTypes[i] = type;
            _widths[i] = type.FixedSize > 0 ? type.FixedSize : type.Tag is TypeTag.String or TypeTag.Bytes ? -1 : 0;
            if (_widths[i] == 0) _fieldValidators[i] = validators.For(type);
            _constantOffsets[i] = offset;
            offset = offset >= 0 && _widths[i] > 0 ? offset + _widths[i] : -1;
        }
        _primaryKey = KeyColumn.For(table.PrimaryKey, fields[table.PrimaryKey], types);
        _indexes = new KeyColumn[table.Indexes.Count][];
        for (int i = 0; i < _indexes.Length; i++)
        {
            var columns = table.Indexes[i].Columns;
            _indexes[i] = new KeyColumn[columns.Count];
            for (int c = 0; c < columns.Count; c++) _indexes[i][c] = KeyColumn.For(columns[c], fields[columns[c]], types);
        }
        _autoIncrementColumn = table.AutoInc.Count > 0 ? table.AutoInc[0] : -1;
    }

    public KeyColumn PrimaryKey => _primaryKey;

    /// <summary>Checks encoded rows against the row type (compiled once per table).</summary>
    public ValueValidator RowValidator { get; }

    /// <summary>The key columns of index <paramref name="index"/>, in key order.</summary>
    public KeyColumn[] IndexColumns(int index) => _indexes[index];

    // Per row in a start: compiled optimized at once, not left to tiering (docs/durability-measurements.md, A node's first start in a new process).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void WritePrimaryKey(ReadOnlySpan<byte> row, ref KeyWriter key)
    {
        try
        {
            _primaryKey.ConvertTrusted(row[OffsetOf(row, _primaryKey.Column)..], ref key);
        }
        catch (Exception e) when (e is IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            throw Truncated(row);
        }
    }

    // Per row in a start: compiled optimized at once, not left to tiering (docs/durability-measurements.md, A node's first start in a new process).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void WriteIndexKey(int index, ReadOnlySpan<byte> row, ref KeyWriter key)
    {
        try
        {
            foreach (var column in _indexes[index]) column.ConvertTrusted(row[OffsetOf(row, column.Column)..], ref key);
        }
        catch (Exception e) when (e is IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            throw Truncated(row);
        }
    }

    public int GetAutoIncrementOffset(ReadOnlySpan<byte> row)
    {
        try
        {
            return OffsetOf(row, _autoIncrementColumn);
        }
        catch (Exception e) when (e is IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            throw Truncated(row);
        }
    }

    /// <summary>The byte offset of column <paramref name="column"/>'s value in <paramref name="row"/> (a valid row).</summary>
    private int OffsetOf(ReadOnlySpan<byte> row, int column)
    {
        int constant = _constantOffsets[column];
        if (constant >= 0) return constant;
        int offset = 0;
        for (int i = 0; i < column; i++)
        {
            int width = _widths[i];
            if (width > 0)
            {
                offset += width;
            }
            else if (width < 0)
            {
                offset += Leb128.Read(row[offset..], out uint length);
                offset += (int)length;
            }
            else
            {
                offset += SkipComplex(row[offset..], _fieldValidators[i]!);
            }
        }
        return offset;
    }

    /// <summary>
    /// Checks that <paramref name="row"/> is a value of the table's row type (for rows that did
    /// not come through a write, such as replayed ones); throws <see cref="InvalidRowException"/>.
    /// </summary>
    // Per row in a start: compiled optimized at once, not left to tiering (docs/durability-measurements.md, A node's first start in a new process).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Validate(ReadOnlySpan<byte> row)
    {
        try
        {
            RowValidator.Validate(row);
        }
        catch (AbiDecodeException e)
        {
            throw new InvalidRowException(_table, $"the {row.Length}-byte row is not a {_rowType.Name}: {e.Message}");
        }
    }

    /// <summary>Decodes column <paramref name="column"/> of a valid row (for messages).</summary>
    public AbiValue ReadColumn(ReadOnlySpan<byte> row, int column)
    {
        var reader = new ValueReader(row[OffsetOf(row, column)..]);
        return ValueCodec.Read(ref reader, _fieldTypes[column], _types);
    }

    /// <summary>Rows reach storage validated; one that is not (a corrupt replayed row) ends before its keys.</summary>
    private InvalidRowException Truncated(ReadOnlySpan<byte> row) =>
        new(_table, $"the {row.Length}-byte row ends before its key columns");

    private int SkipComplex(ReadOnlySpan<byte> value, ValueValidator field)
    {
        var reader = new ValueReader(value);
        try
        {
            field.Skip(ref reader);
        }
        catch (AbiDecodeException e)
        {
            throw new InvalidRowException(_table, e.Message);
        }
        return reader.Position;
    }
}
