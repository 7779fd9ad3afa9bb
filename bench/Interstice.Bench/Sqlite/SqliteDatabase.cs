using System.Runtime.InteropServices;
using System.Text;

namespace Interstice.Bench.Sqlite;

/// <summary>
/// A connection to an SQLite database, in memory or in a file, through the system's
/// libsqlite3.so.0 (scripts/setup-deps installs it): the few calls the benchmarks compare
/// against (pragmas, prepared statements, a busy timeout for connections that write concurrently).
/// </summary>
internal sealed unsafe partial class SqliteDatabase : IDisposable
{
    private const string Library = "libsqlite3.so.0";
    private const int Ok = 0, Row = 100, Done = 101;
    private const int OpenReadWrite = 0x2, OpenCreate = 0x4, OpenNoMutex = 0x8000;

    private nint _db;

    private SqliteDatabase(string path)
    {
        nint db;
        int result = sqlite3_open_v2(path, &db, OpenReadWrite | OpenCreate | OpenNoMutex, 0);
        _db = db;
        Check(result, "open " + path);
    }

    /// <summary>A connection to the database file <paramref name="path"/> (created if missing).</summary>
    public static SqliteDatabase Open(string path) => new(path);

    /// <summary>A private in-memory database.</summary>
    public static SqliteDatabase InMemory() => new(":memory:");

    public static string Version => Marshal.PtrToStringUTF8(sqlite3_libversion()) ?? "?";

    /// <summary>Bytes of memory SQLite holds, over every connection of the process.</summary>
    public static long MemoryUsed => sqlite3_memory_used();
    /// <summary>How long a write waits for another connection's lock before failing with SQLITE_BUSY.</summary>
    public void SetBusyTimeout(int milliseconds) => Check(sqlite3_busy_timeout(_db, milliseconds), "busy_timeout");

    public void Execute(string sql)
    {
        byte* error;
        int result = sqlite3_exec(_db, sql, 0, 0, &error);
        if (result != Ok) throw new InvalidOperationException($"sqlite: {sql}: {Marshal.PtrToStringUTF8((nint)error)}");
    }

    public Statement Prepare(string sql)
    {
        nint statement;
        var bytes = Encoding.UTF8.GetBytes(sql);
        fixed (byte* text = bytes) Check(sqlite3_prepare_v2(_db, text, bytes.Length, &statement, 0), sql);
        return new Statement(this, statement);
    }

    public void Dispose()
    {
        if (_db != 0) sqlite3_close_v2(_db);
        _db = 0;
    }

    private void Check(int result, string what)
    {
        if (result != Ok) throw new InvalidOperationException($"sqlite {what}: error {result}: {Marshal.PtrToStringUTF8(sqlite3_errmsg(_db))}");
    }

    /// <summary>A prepared statement, stepped and reset for each use.</summary>
    public sealed class Statement(SqliteDatabase owner, nint handle) : IDisposable
    {
        public void Bind(int index, long value) => owner.Check(sqlite3_bind_int64(handle, index, value), "bind");

        public void Bind(int index, ReadOnlySpan<byte> utf8Text)
        {
            fixed (byte* text = utf8Text) owner.Check(sqlite3_bind_text(handle, index, text, utf8Text.Length, -1), "bind");
        }

        public void BindBlob(int index, ReadOnlySpan<byte> blob)
        {
            fixed (byte* data = blob) owner.Check(sqlite3_bind_blob(handle, index, data, blob.Length, -1), "bind");
        }

        /// <summary>Runs a statement that returns no row (in autocommit mode: one transaction).</summary>
        public void Run()
        {
            int result = sqlite3_step(handle);
            sqlite3_reset(handle);
            if (result != Done) owner.Check(result, "step");
        }

        /// <summary>Runs a query; returns the byte length of its first row's columns read as blobs (so every column is fetched).</summary>
        public int QueryRow(int columns)
        {
            int result = sqlite3_step(handle);
            int length = 0;
            if (result == Row)
            {
                for (int i = 0; i < columns; i++)
                {
                    sqlite3_column_blob(handle, i);
                    length += sqlite3_column_bytes(handle, i);
                }
            }
            sqlite3_reset(handle);
            if (result != Row && result != Done) owner.Check(result, "step");
            return length;
        }

        public void Dispose() => sqlite3_finalize(handle);
    }

    [LibraryImport(Library)] private static partial nint sqlite3_libversion();
    [LibraryImport(Library)] private static partial long sqlite3_memory_used();
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)] private static partial int sqlite3_open_v2(string filename, nint* db, int flags, nint vfs);
    [LibraryImport(Library)] private static partial int sqlite3_close_v2(nint db);
    [LibraryImport(Library)] private static partial int sqlite3_busy_timeout(nint db, int milliseconds);
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)] private static partial int sqlite3_exec(nint db, string sql, nint callback, nint argument, byte** error);
    [LibraryImport(Library)] private static partial int sqlite3_prepare_v2(nint db, byte* sql, int length, nint* statement, nint tail);
    [LibraryImport(Library)] private static partial int sqlite3_step(nint statement);
    [LibraryImport(Library)] private static partial int sqlite3_reset(nint statement);
    [LibraryImport(Library)] private static partial int sqlite3_finalize(nint statement);
    [LibraryImport(Library)] private static partial int sqlite3_bind_int64(nint statement, int index, long value);
    [LibraryImport(Library)] private static partial int sqlite3_bind_text(nint statement, int index, byte* text, int length, nint destructor);
    [LibraryImport(Library)] private static partial int sqlite3_bind_blob(nint statement, int index, byte* data, int length, nint destructor);
    [LibraryImport(Library)] private static partial nint sqlite3_column_blob(nint statement, int column);
    [LibraryImport(Library)] private static partial int sqlite3_column_bytes(nint statement, int column);
    [LibraryImport(Library)] private static partial nint sqlite3_errmsg(nint db);
}
