using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Interstice.Abi.Encoding;
using Interstice.Core;
using Interstice.Bench.Sqlite;
using Interstice.Bench.Support;

namespace Interstice.Bench.Node;

/// <summary>
/// One table size of the node benchmark: a node with the <c>bench</c> module and an in-memory
/// SQLite database holding the same rows (id, group, key, 16-byte payload; a btree index on
/// group, a unique index on key), and the operations measured on both, as batches.
/// </summary>
internal sealed class Workload : IDisposable
{
    private readonly Interstice.Core.Node _node;
    private readonly SqliteDatabase _sqlite;
    private readonly long[] _ids;
    private readonly SqliteDatabase.Statement _begin;
    private readonly SqliteDatabase.Statement _commit;
    private readonly SqliteDatabase.Statement _insert;
    private readonly SqliteDatabase.Statement _selectById;
    private readonly SqliteDatabase.Statement _selectByKey;
    /// <summary>Ids the insert batches use next, far above the populated ones.</summary>
    private long _nextNodeInsert, _nextSqliteInsert;

    /// <summary>Populates a node and a SQLite database with <paramref name="rows"/> rows each, measuring the memory each takes.</summary>
    public Workload(byte[] module, int rows, int lookups)
    {
        Rows = rows;
        long heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        _node = new Interstice.Core.Node(new NodeOptions { RunScheduledReducers = false });
        _node.LoadModule(module);
        const int batch = 10_000;
        for (int start = 0; start < rows; start += batch)
        {
            int count = Math.Min(batch, rows - start);
            _node.CallReducer("bench", "bulk_insert", U64((ulong)start), U32((uint)count), U32(BenchRows.PayloadLength));
        }
        NodeBytesPerRow = (double)(GC.GetTotalMemory(forceFullCollection: true) - heapBefore) / rows;

        long sqliteBefore = SqliteDatabase.MemoryUsed;
        _sqlite = SqliteDatabase.InMemory();
        _sqlite.Execute(BenchRows.SqliteSchema);
        _insert = _sqlite.Prepare(BenchRows.SqliteInsert);
        _sqlite.Execute("BEGIN");
        var payload = new byte[BenchRows.PayloadLength];
        for (long id = 0; id < rows; id++) InsertSqlite(id, payload);
        _sqlite.Execute("COMMIT");
        SqliteBytesPerRow = (double)(SqliteDatabase.MemoryUsed - sqliteBefore) / rows;
        _begin = _sqlite.Prepare("BEGIN");
        _commit = _sqlite.Prepare("COMMIT");
        _selectById = _sqlite.Prepare("SELECT id, grp, key, payload FROM rows WHERE id = ?");
        _selectByKey = _sqlite.Prepare("SELECT id, grp, key, payload FROM rows WHERE key = ?");

        var random = new Random(42);
        _ids = new long[lookups];
        for (int i = 0; i < _ids.Length; i++) _ids[i] = random.NextInt64(rows);
        _nextNodeInsert = _nextSqliteInsert = rows + 1_000_000_000L;
    }

    public int Rows { get; }

    /// <summary>Managed heap growth from populating the node (tables, indexes, the module's instances), per row.</summary>
    public double NodeBytesPerRow { get; }

    /// <summary>SQLite's memory growth from populating its database, per row.</summary>
    public double SqliteBytesPerRow { get; }

    public void NodeNoop(int count)
    {
        for (int i = 0; i < count; i++) _node.CallReducer("bench", "noop", ReadOnlySpan<byte>.Empty);
    }

    public void SqliteEmptyTransaction(int count)
    {
        for (int i = 0; i < count; i++)
        {
            _begin.Run();
            _commit.Run();
        }
    }

    /// <summary>Calls the insert_one reducer <paramref name="count"/> times, each inserting a new row.</summary>
    public void NodeInsert(int count)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        var payload = new byte[BenchRows.PayloadLength];
        for (int i = 0; i < count; i++)
        {
            _node.CallReducer("bench", "insert_one", BenchRows.InsertOneArguments(buffer, _nextNodeInsert++, payload));
        }
    }

    /// <summary>Runs <paramref name="count"/> one-row insert transactions.</summary>
    public void SqliteInsert(int count)
    {
        var payload = new byte[BenchRows.PayloadLength];
        for (int i = 0; i < count; i++)
        {
            _begin.Run();
            InsertSqlite(_nextSqliteInsert++, payload);
            _commit.Run();
        }
    }

    public void NodeGet()
    {
        var argument = new byte[8];
        foreach (long id in _ids)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(argument, (ulong)id);
            if (_node.RunQuery("bench", "get", argument)[0] != 1) throw new BenchmarkException($"node: row {id} is missing");
        }
    }

    public void SqliteGet()
    {
        foreach (long id in _ids)
        {
            _selectById.Bind(1, id);
            if (_selectById.QueryRow(4) == 0) throw new BenchmarkException($"SQLite: row {id} is missing");
        }
    }

    public void NodeByKey()
    {
        var buffer = new ArrayBufferWriter<byte>(32);
        foreach (long id in _ids)
        {
            buffer.ResetWrittenCount();
            new ValueWriter(buffer).WriteString(BenchRows.Key(id));
            if (_node.RunQuery("bench", "by_key", buffer.WrittenSpan)[0] != 1) throw new BenchmarkException($"node: key {BenchRows.Key(id)} is missing");
        }
    }

    public void SqliteByKey()
    {
        Span<byte> text = stackalloc byte[32];
        foreach (long id in _ids)
        {
            int length = Encoding.UTF8.GetBytes(BenchRows.Key(id), text);
            _selectByKey.Bind(1, text[..length]);
            if (_selectByKey.QueryRow(4) == 0) throw new BenchmarkException($"SQLite: key {BenchRows.Key(id)} is missing");
        }
    }

    public void Dispose()
    {
        foreach (var statement in new[] { _begin, _commit, _insert, _selectById, _selectByKey }) statement.Dispose();
        _sqlite.Dispose();
        _node.Dispose();
    }

    private void InsertSqlite(long id, byte[] payload) => BenchRows.InsertSqlite(_insert, id, payload);

    private static AbiValue U64(ulong value) => new IntegerValue(Interstice.Abi.Types.TypeTag.U64, value);

    private static AbiValue U32(uint value) => new IntegerValue(Interstice.Abi.Types.TypeTag.U32, value);
}
