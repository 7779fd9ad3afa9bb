namespace Interstice.Core.Storage;

/// <summary>
/// Base class of the errors a table operation reports to its caller (the node maps each kind
/// to an error code of the module contract). Every message names the table involved.
/// </summary>
public abstract class StorageException : Exception
{
    private protected StorageException(string table, string message) : base(message) => Table = table;

    /// <summary>The table, as <c>module.table</c>.</summary>
    public string Table { get; }
}

/// <summary>An update found no row with the given primary key.</summary>
public sealed class RowNotFoundException : StorageException
{
    public RowNotFoundException(string table, string column, string key)
        : base(table, $"table {table} has no row with {column} = {key}")
    {
        Column = column;
        Key = key;
    }

    /// <summary>The primary key column.</summary>
    public string Column { get; }

    /// <summary>The key, rendered readably.</summary>
    public string Key { get; }
}

/// <summary>A write would give two rows the same primary key or the same key in a unique index.</summary>
public sealed class UniqueViolationException : StorageException
{
    /// <summary>The <see cref="Index"/> reported for a primary key violation.</summary>
    public const string PrimaryKeyIndex = "primary key";

    public UniqueViolationException(string table, string index, string column, string key)
        : base(table, index == PrimaryKeyIndex
            ? $"unique violation in table {table}: a row with primary key {column} = {key} already exists"
            : $"unique violation in table {table}: unique index {index} already has a row with {column} = {key}")
    {
        Index = index;
        Column = column;
        Key = key;
    }

    /// <summary>The index's name, or <see cref="PrimaryKeyIndex"/>.</summary>
    public string Index { get; }

    public string Column { get; }

    /// <summary>The duplicated key, rendered readably.</summary>
    public string Key { get; }
}

/// <summary>A row could not be decoded (reported by the table's <see cref="ITableLayout"/>).</summary>
public sealed class InvalidRowException : StorageException
{
    public InvalidRowException(string table, string reason)
        : base(table, $"invalid row for table {table}: {reason}") => Reason = reason;

    public string Reason { get; }
}

/// <summary>A write was attempted through a read-only transaction (a query).</summary>
public sealed class ReadOnlyTransactionException : StorageException
{
    public ReadOnlyTransactionException(string table, string operation)
        : base(table, $"cannot {operation} table {table}: the transaction is read-only") => Operation = operation;

    /// <summary>What was attempted: <c>insert into</c>, <c>update</c>, <c>delete from</c>.</summary>
    public string Operation { get; }
}

/// <summary>An auto-increment sequence has no value left that fits its column.</summary>
public sealed class SequenceExhaustedException : StorageException
{
    public SequenceExhaustedException(string table, string column, KeyType type)
        : base(table, $"the auto_inc sequence of {table}.{column} ({type.DisplayName()}) is exhausted: no value is left that fits the column")
    {
        Column = column;
    }

    public string Column { get; }
}
