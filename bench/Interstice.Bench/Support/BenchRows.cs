using System.Buffers;
using System.Globalization;
using System.Text;
using Interstice.Abi.Encoding;
using Interstice.Bench.Sqlite;

namespace Interstice.Bench.Support;

/// <summary>
/// The row the node and durability suites insert, in both systems: the <c>bench</c> module's
/// table <c>rows</c> (u64 id, u32 group, unique string key, payload; a btree index on the group)
/// and the same table in SQLite.
/// </summary>
internal static class BenchRows
{
    public const int PayloadLength = 16;

    /// <summary>SQLite's twin of the table, with the same indexes.</summary>
    public const string SqliteSchema =
        "CREATE TABLE rows (id INTEGER PRIMARY KEY, grp INTEGER NOT NULL, key TEXT NOT NULL UNIQUE, payload BLOB NOT NULL);" +
        "CREATE INDEX rows_grp ON rows (grp)";

    public const string SqliteInsert = "INSERT INTO rows (id, grp, key, payload) VALUES (?, ?, ?, ?)";

    /// <summary>The key of row <paramref name="id"/> (the one the bench module's bulk_insert gives it).</summary>
    public static string Key(long id) => "key-" + id.ToString(CultureInfo.InvariantCulture);

    /// <summary>Writes the arguments of the reducer <c>insert_one</c> for row <paramref name="id"/> into an emptied <paramref name="buffer"/>.</summary>
    public static ReadOnlySpan<byte> InsertOneArguments(ArrayBufferWriter<byte> buffer, long id, byte[] payload)
    {
        buffer.ResetWrittenCount();
        var writer = new ValueWriter(buffer);
        WriteRow(ref writer, id, payload);
        return buffer.WrittenSpan;
    }

    /// <summary>Writes row <paramref name="id"/> of the bench table (its fields in order: what <c>insert_one</c> takes as arguments).</summary>
    public static void WriteRow(ref ValueWriter writer, long id, byte[] payload)
    {
        writer.WriteU64((ulong)id);
        writer.WriteU32((uint)(id % 100));
        writer.WriteString(Key(id));
        writer.WriteBytes(payload);
    }

    /// <summary>Runs the prepared <see cref="SqliteInsert"/> for row <paramref name="id"/>.</summary>
    public static void InsertSqlite(SqliteDatabase.Statement insert, long id, byte[] payload)
    {
        Span<byte> key = stackalloc byte[32];
        int length = Encoding.UTF8.GetBytes(Key(id), key);
        insert.Bind(1, id);
        insert.Bind(2, id % 100);
        insert.Bind(3, key[..length]);
        insert.BindBlob(4, payload);
        insert.Run();
    }
}
