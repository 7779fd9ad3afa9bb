namespace Interstice.Abi;

/// <summary>
/// The exports a module provides (docs/abi.md section 8): its memory, an allocator pair, and one
/// function per reducer and query, each of type <c>(args_ptr: i32, args_len: i32) -&gt; i32</c>.
/// </summary>
public static class Exports
{
    /// <summary>The exported memory all pointers refer to.</summary>
    public const string Memory = "memory";

    /// <summary><c>(size: i32, align: i32) -&gt; i32</c>: allocates guest memory; 0 when out of memory.</summary>
    public const string Alloc = "interstice_alloc";

    /// <summary><c>(ptr: i32, size: i32, align: i32) -&gt; ()</c>: frees a block from <see cref="Alloc"/>.</summary>
    public const string Free = "interstice_free";

    /// <summary>The prefix of reducer exports: <c>interstice_reducer.&lt;name&gt;</c>.</summary>
    public const string ReducerPrefix = "interstice_reducer.";

    /// <summary>The prefix of query exports: <c>interstice_query.&lt;name&gt;</c>.</summary>
    public const string QueryPrefix = "interstice_query.";

    /// <summary>The status a reducer or query export returns on success.</summary>
    public const int StatusOk = 0;

    /// <summary>The status a reducer or query export returns on failure (after <c>set_error</c>).</summary>
    public const int StatusFailed = 1;

    /// <summary>The export name of reducer <paramref name="name"/>.</summary>
    public static string Reducer(string name) => ReducerPrefix + name;

    /// <summary>The export name of query <paramref name="name"/>.</summary>
    public static string Query(string name) => QueryPrefix + name;
}
