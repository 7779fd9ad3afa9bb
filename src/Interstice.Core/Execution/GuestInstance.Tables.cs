using Interstice.Abi;
using Interstice.Abi.Encoding;
using Interstice.Core.Modules;
using Interstice.Core.Storage;
using Interstice.Core.Transactions;
using Interstice.Wasm;

namespace Interstice.Core.Execution;

/// <summary>Table access: ids, insert, update, delete, get, scans and index lookups (docs/abi.md section 9.2).</summary>
internal sealed partial class GuestInstance
{
    private int TableId(Caller caller, int namePointer, int nameLength)
    {
        _ = Scope;
        _pending = null;
        if (!TryGuest(namePointer, nameLength, out var name)) return BadPointer("the table name", namePointer, nameLength);
        string text = Text(name);
        int id = Module.Schema.FindTable(text);
        return id >= 0 ? id : Fail(HostErrorCode.NotFound, $"module {Module.Name} has no table `{text}`");
    }

    private int TableInsert(Caller caller, int table, int rowPointer, int rowLength)
    {
        var scope = Scope;
        _pending = null;
        if (!TryTable(table, out var binding)) return NoTable(table);
        if (!WritesAllowed(scope)) return NotInQuery("table_insert");
        if (!TryGuest(rowPointer, rowLength, out var row)) return BadPointer("the row", rowPointer, rowLength);
        if (!TryValidateRow(binding, row, out int failed)) return failed;
        ReadOnlyMemory<byte> stored;
        try
        {
            stored = scope.Transaction.Insert(binding.Storage, row);
        }
        catch (StorageException e)
        {
            return StorageFailure(binding, row, e);
        }
        // Generated auto_inc values go back into the guest's row (same layout, same length).
        if (binding.Definition.AutoIncrement != null) stored.Span.CopyTo(row);
        return 0;
    }

    private int TableUpdate(Caller caller, int table, int rowPointer, int rowLength)
    {
        var scope = Scope;
        _pending = null;
        if (!TryTable(table, out var binding)) return NoTable(table);
        if (!WritesAllowed(scope)) return NotInQuery("table_update");
        if (!TryGuest(rowPointer, rowLength, out var row)) return BadPointer("the row", rowPointer, rowLength);
        if (!TryValidateRow(binding, row, out int failed)) return failed;
        try
        {
            scope.Transaction.Update(binding.Storage, row);
        }
        catch (StorageException e)
        {
            return StorageFailure(binding, row, e);
        }
        return 0;
    }

    private int TableDelete(Caller caller, int table, int keyPointer, int keyLength)
    {
        var scope = Scope;
        _pending = null;
        if (!TryTable(table, out var binding)) return NoTable(table);
        if (!WritesAllowed(scope)) return NotInQuery("table_delete");
        if (!TryGuest(keyPointer, keyLength, out var encoded)) return BadPointer("the key", keyPointer, keyLength);
        var key = new KeyWriter(stackalloc byte[KeyWriter.StackBufferSize]);
        try
        {
            if (!TryConvertKey(binding, binding.PrimaryKeyColumns, binding.PrimaryKeyType, encoded, ref key, out int failed)) return failed;
            return scope.Transaction.Delete(binding.Storage, key.Written) ? 1 : 0;
        }
        finally
        {
            key.Dispose();
        }
    }

    private int TableGet(Caller caller, int table, int keyPointer, int keyLength, int outPointer, int outCapacity)
    {
        var scope = Scope;
        _pending = null;
        if (!TryTable(table, out var binding)) return NoTable(table);
        if (!TryGuest(keyPointer, keyLength, out var encoded)) return BadPointer("the key", keyPointer, keyLength);
        var key = new KeyWriter(stackalloc byte[KeyWriter.StackBufferSize]);
        try
        {
            if (!TryConvertKey(binding, binding.PrimaryKeyColumns, binding.PrimaryKeyType, encoded, ref key, out int failed)) return failed;
            if (!scope.Transaction.TryGet(binding.Storage, key.Written, out var row)) return Fail(HostErrorCode.NotFound, binding.MissingKey(encoded));
            return Output(outPointer, outCapacity, row);
        }
        finally
        {
            key.Dispose();
        }
    }

    private int TableScan(Caller caller, int table)
    {
        var scope = Scope;
        _pending = null;
        if (!TryTable(table, out var binding)) return NoTable(table);
        return OpenIterator(scope.Transaction.Scan(binding.Storage));
    }

    private int IndexSeek(Caller caller, int table, int index, int keyPointer, int keyLength)
    {
        var scope = Scope;
        _pending = null;
        if (!TryTable(table, out var binding)) return NoTable(table);
        if ((uint)index >= (uint)binding.Indexes.Length) return NoIndex(binding, index);
        if (!TryGuest(keyPointer, keyLength, out var encoded)) return BadPointer("the key", keyPointer, keyLength);
        var indexBinding = binding.Indexes[index];
        var key = new KeyWriter(stackalloc byte[KeyWriter.StackBufferSize]);
        try
        {
            if (!TryConvertKey(binding, indexBinding.Columns, indexBinding.KeyType, encoded, ref key, out int failed)) return failed;
            return OpenIterator(scope.Transaction.Find(binding.Storage, index, key.Written));
        }
        finally
        {
            key.Dispose();
        }
    }

    private int IndexRange(Caller caller, int table, int index, int rangePointer, int rangeLength)
    {
        var scope = Scope;
        _pending = null;
        if (!TryTable(table, out var binding)) return NoTable(table);
        if ((uint)index >= (uint)binding.Indexes.Length) return NoIndex(binding, index);
        var indexBinding = binding.Indexes[index];
        if (indexBinding.Schema.Kind != Abi.Schema.IndexKind.BTree)
            return Fail(HostErrorCode.InvalidArgument, $"table `{binding.QualifiedName}`: index `{indexBinding.Schema.Name}` is a hash index; range lookups need a btree index");
        if (!TryGuest(rangePointer, rangeLength, out var encoded)) return BadPointer("the range", rangePointer, rangeLength);
        KeyRange range;
        try
        {
            var reader = new ValueReader(encoded);
            var lower = ReadBound(ref reader, indexBinding.Columns);
            var upper = ReadBound(ref reader, indexBinding.Columns);
            reader.ExpectEnd();
            range = new KeyRange(lower, upper);
        }
        catch (AbiDecodeException e)
        {
            return Fail(HostErrorCode.InvalidArgument, $"table `{binding.QualifiedName}`: the range does not decode as a KeyRange of {indexBinding.KeyType}: {e.Message}");
        }
        return OpenIterator(scope.Transaction.Range(binding.Storage, index, range));
    }

    /// <summary>Reads one <c>Bound { Unbounded, Included(Key), Excluded(Key) }</c>.</summary>
    private static KeyBound ReadBound(ref ValueReader reader, KeyColumn[] columns)
    {
        int kind = reader.ReadVariant(3);
        if (kind == 0) return KeyBound.Unbounded;
        // A heap buffer: the key outlives nothing, but a stack one could not be filled from the caller's reader.
        var key = new KeyWriter(new byte[KeyWriter.StackBufferSize]);
        try
        {
            foreach (var column in columns) column.Convert(ref reader, ref key);
            var bytes = key.ToArray();
            return kind == 1 ? KeyBound.Inclusive(bytes) : KeyBound.Exclusive(bytes);
        }
        finally
        {
            key.Dispose();
        }
    }

    private bool TryTable(int table, out TableBinding binding)
    {
        var tables = Module.Tables;
        if ((uint)table < (uint)tables.Length)
        {
            binding = tables[table];
            return true;
        }
        binding = null!;
        return false;
    }

    private int NoTable(int table) => Fail(HostErrorCode.InvalidArgument, $"module {Module.Name} has no table with id {table} (it has {Module.Tables.Length})");

    private int NoIndex(TableBinding binding, int index) =>
        Fail(HostErrorCode.InvalidArgument, $"table `{binding.QualifiedName}` has no index with id {index} (it has {binding.Indexes.Length})");

    /// <summary>False in a query, and anywhere in a call tree a query from outside started.</summary>
    private bool WritesAllowed(CallScope scope) => !_function!.IsQuery && !scope.IsReadOnly;

    private int NotInQuery(string what) => Fail(HostErrorCode.NotPermittedInQuery, $"{what}: {_function} is a query; queries cannot write tables");

    private bool TryValidateRow(TableBinding binding, ReadOnlySpan<byte> row, out int failed)
    {
        try
        {
            binding.Validate(row);
            failed = 0;
            return true;
        }
        catch (AbiDecodeException e)
        {
            failed = Fail(HostErrorCode.InvalidArgument, $"table `{binding.QualifiedName}`: the row does not decode as {binding.Row.Name}: {e.Message}");
            return false;
        }
    }

    /// <summary>Converts a key in the ABI encoding to storage's key encoding, checking it decodes exactly.</summary>
    private bool TryConvertKey(TableBinding binding, KeyColumn[] columns, Abi.Types.AbiType keyType, ReadOnlySpan<byte> encoded, ref KeyWriter key, out int failed)
    {
        try
        {
            var reader = new ValueReader(encoded);
            foreach (var column in columns) column.Convert(ref reader, ref key);
            reader.ExpectEnd();
            failed = 0;
            return true;
        }
        catch (AbiDecodeException e)
        {
            failed = Fail(HostErrorCode.InvalidArgument, $"table `{binding.QualifiedName}`: the key does not decode as {keyType}: {e.Message}");
            return false;
        }
    }

    /// <summary>Maps a storage error on a write of <paramref name="row"/> to the ABI's error code and message.</summary>
    private int StorageFailure(TableBinding binding, ReadOnlySpan<byte> row, StorageException error) => error switch
    {
        UniqueViolationException unique => Fail(HostErrorCode.UniqueViolation, binding.UniqueViolation(row, unique.Index)),
        RowNotFoundException => Fail(HostErrorCode.NotFound, binding.MissingRow(row)),
        SequenceExhaustedException => Fail(HostErrorCode.LimitExceeded, error.Message),
        _ => Fail(HostErrorCode.InvalidArgument, error.Message),
    };
}
