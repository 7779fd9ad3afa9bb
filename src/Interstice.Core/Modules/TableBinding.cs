using System.Text;
using Interstice.Abi.Encoding;
using Interstice.Abi.Schema;
using Interstice.Abi.Types;
using Interstice.Core.Storage;

namespace Interstice.Core.Modules;

/// <summary>
/// A module's table as the node sees it: the schema's declaration, the storage table that holds
/// its rows, the row layout that reads keys, and how its keys and errors are rendered.
/// </summary>
internal sealed class TableBinding
{
    public TableBinding(string module, TableSchema schema, ModuleSchema moduleSchema)
    {
        Module = module;
        Schema = schema;
        QualifiedName = module + "." + schema.Name;
        Types = moduleSchema.TypeTable;
        RowType = new NamedType(schema.Row);
        var row = moduleSchema.RowType(schema) ?? throw new InvalidOperationException($"table {QualifiedName} has no row struct");
        Row = row;
        Layout = new RowLayout(QualifiedName, schema, row, moduleSchema.Validators);
        Indexes = new IndexBinding[schema.Indexes.Count];
        var indexDefinitions = new IndexDefinition[Indexes.Length];
        for (int i = 0; i < Indexes.Length; i++)
        {
            var index = schema.Indexes[i];
            var columns = Layout.IndexColumns(i);
            Indexes[i] = new IndexBinding(index, columns, KeyTypeOf(columns));
            indexDefinitions[i] = new IndexDefinition(
                index.Name, ColumnNames(columns),
                // A multi-column key has no single storage key type; messages render it from the row instead.
                columns.Length == 1 ? columns[0].KeyType : KeyType.Bytes,
                index.Kind == Abi.Schema.IndexKind.Hash ? Core.Storage.IndexKind.Hash : Core.Storage.IndexKind.BTree,
                index.Unique);
        }
        var primaryKey = Layout.PrimaryKey;
        PrimaryKeyColumns = [primaryKey];
        AutoIncrementDefinition? autoIncrement = null;
        if (schema.AutoInc.Count > 0)
        {
            var column = KeyColumn.For(schema.AutoInc[0], row.Fields[schema.AutoInc[0]], Types);
            autoIncrement = new AutoIncrementDefinition(column.Name, column.KeyType);
        }
        Definition = new TableDefinition(schema.Name, primaryKey.Name, primaryKey.KeyType, Layout, indexDefinitions, autoIncrement, isEphemeral: schema.Ephemeral);
    }

    public string Module { get; }

    public TableSchema Schema { get; }

    /// <summary><c>module.table</c>.</summary>
    public string QualifiedName { get; }

    public TypeTable Types { get; }

    /// <summary>The row type, <c>Named(row struct)</c>.</summary>
    public NamedType RowType { get; }

    public StructDefinition Row { get; }

    public RowLayout Layout { get; }

    public IndexBinding[] Indexes { get; }

    /// <summary>What storage is told about the table.</summary>
    public TableDefinition Definition { get; }

    /// <summary>The storage table; set when the module is loaded.</summary>
    public Table Storage { get; set; } = null!;

    /// <summary>The primary key column, as a one-column key.</summary>
    public KeyColumn[] PrimaryKeyColumns { get; }

    /// <summary>The type of an encoded primary key (the key column's type).</summary>
    public AbiType PrimaryKeyType => Layout.PrimaryKey.Type;

    /// <summary>Checks <paramref name="row"/> against the row type; throws <see cref="AbiDecodeException"/>.</summary>
    public void Validate(ReadOnlySpan<byte> row) => Layout.RowValidator.Validate(row);

    /// <summary>The row as JSON (for logs and the CLI).</summary>
    public string FormatRow(ReadOnlySpan<byte> row) => ValueJson.Format(RowType, ValueCodec.Decode(RowType, row, Types), Types);

    /// <summary>
    /// Renders the key columns of a valid <paramref name="row"/> for a message: <c>name = "Ann"</c>,
    /// or <c>(a, b) = (1, "x")</c> for several columns.
    /// </summary>
    public string DescribeKey(ReadOnlySpan<byte> row, KeyColumn[] columns)
    {
        var text = new StringBuilder();
        if (columns.Length == 1)
        {
            text.Append(columns[0].Name).Append(" = ").Append(FormatColumn(row, columns[0]));
            return text.ToString();
        }
        text.Append('(').Append(ColumnNames(columns)).Append(") = (");
        for (int i = 0; i < columns.Length; i++)
        {
            if (i > 0) text.Append(", ");
            text.Append(FormatColumn(row, columns[i]));
        }
        return text.Append(')').ToString();
    }

    /// <summary>The message of a unique violation by <paramref name="row"/> on the primary key or index <paramref name="indexName"/>.</summary>
    public string UniqueViolation(ReadOnlySpan<byte> row, string indexName)
    {
        for (int i = 0; i < Indexes.Length; i++)
        {
            if (Indexes[i].Schema.Name == indexName)
                return $"table `{QualifiedName}`: unique index `{indexName}` already has a row with {DescribeKey(row, Indexes[i].Columns)}";
        }
        return $"table `{QualifiedName}`: primary key `{Layout.PrimaryKey.Name}` already has a row with {DescribeKey(row, [Layout.PrimaryKey])}";
    }

    /// <summary>The message for an update of a row whose primary key no row has.</summary>
    public string MissingRow(ReadOnlySpan<byte> row) => $"table `{QualifiedName}` has no row with {DescribeKey(row, [Layout.PrimaryKey])}";

    /// <summary>The message for a lookup of an encoded primary key (ABI encoding) that no row has.</summary>
    public string MissingKey(ReadOnlySpan<byte> encodedKey)
    {
        string value = ValueJson.Format(PrimaryKeyType, ValueCodec.Decode(PrimaryKeyType, encodedKey, Types), Types);
        return $"table `{QualifiedName}` has no row with {Layout.PrimaryKey.Name} = {value}";
    }

    private string FormatColumn(ReadOnlySpan<byte> row, KeyColumn column) =>
        ValueJson.Format(column.Type, Layout.ReadColumn(row, column.Column), Types);

    private static string ColumnNames(KeyColumn[] columns)
    {
        var names = new string[columns.Length];
        for (int i = 0; i < columns.Length; i++) names[i] = columns[i].Name;
        return string.Join(", ", names);
    }

    private static AbiType KeyTypeOf(KeyColumn[] columns)
    {
        if (columns.Length == 1) return columns[0].Type;
        var types = new AbiType[columns.Length];
        for (int i = 0; i < columns.Length; i++) types[i] = columns[i].Type;
        return new TupleType(types);
    }
}

/// <summary>A secondary index of a <see cref="TableBinding"/>: its declaration, key columns and key type.</summary>
/// <param name="Schema">The index as declared.</param>
/// <param name="Columns">Its key columns, in key order.</param>
/// <param name="KeyType">The ABI type of an encoded key: the column's type, or the tuple of the columns' types.</param>
internal sealed record IndexBinding(IndexSchema Schema, KeyColumn[] Columns, AbiType KeyType);
