namespace Interstice.Core.Storage;

/// <summary>
/// What storage needs to know about a table: its name, its primary key column, its secondary
/// indexes, its auto-increment column if any, and the <see cref="ITableLayout"/> that reads
/// keys out of its rows.
/// </summary>
public sealed class TableDefinition
{
    public TableDefinition(
        string name,
        string primaryKeyColumn,
        KeyType primaryKeyType,
        ITableLayout layout,
        IReadOnlyList<IndexDefinition>? indexes = null,
        AutoIncrementDefinition? autoIncrement = null,
        bool isEphemeral = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(primaryKeyColumn);
        ArgumentNullException.ThrowIfNull(layout);
        if (!Enum.IsDefined(primaryKeyType)) throw new ArgumentOutOfRangeException(nameof(primaryKeyType), primaryKeyType, "not a key type");
        var copy = indexes?.ToArray() ?? [];
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var index in copy)
        {
            ArgumentNullException.ThrowIfNull(index, nameof(indexes));
            if (!names.Add(index.Name)) throw new ArgumentException($"table {name} declares two indexes named {index.Name}", nameof(indexes));
        }
        Name = name;
        PrimaryKeyColumn = primaryKeyColumn;
        PrimaryKeyType = primaryKeyType;
        Layout = layout;
        Indexes = copy;
        AutoIncrement = autoIncrement;
        IsEphemeral = isEphemeral;
    }

    public string Name { get; }

    /// <summary>The primary key column's name; used in error messages.</summary>
    public string PrimaryKeyColumn { get; }

    /// <summary>The primary key column's type.</summary>
    public KeyType PrimaryKeyType { get; }

    public ITableLayout Layout { get; }

    /// <summary>The secondary indexes; their positions are the index numbers used everywhere else.</summary>
    public IReadOnlyList<IndexDefinition> Indexes { get; }

    public AutoIncrementDefinition? AutoIncrement { get; }

    /// <summary>
    /// True for a table that is not durable: the commit log and snapshots leave it out, so it
    /// is empty (and its sequence starts again at 1) after a restart.
    /// </summary>
    public bool IsEphemeral { get; }

    /// <summary>The position of the index named <paramref name="name"/>, or -1.</summary>
    public int IndexOf(string name)
    {
        for (int i = 0; i < Indexes.Count; i++)
        {
            if (Indexes[i].Name == name) return i;
        }
        return -1;
    }
}

/// <summary>
/// An auto-increment column: an integer column whose value is generated from a per-table
/// sequence when a row is inserted with 0 there. A non-zero value is kept, and the sequence
/// moves past it, so a generated value never collides with one given explicitly.
/// </summary>
public sealed class AutoIncrementDefinition
{
    public AutoIncrementDefinition(string column, KeyType type)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(column);
        if (!type.IsInteger()) throw new ArgumentException($"auto_inc column {column} must have an integer type, not {type.DisplayName()}", nameof(type));
        Column = column;
        Type = type;
    }

    public string Column { get; }

    /// <summary>An integer type (u8..i64); its width is the width of the value in the row.</summary>
    public KeyType Type { get; }
}
