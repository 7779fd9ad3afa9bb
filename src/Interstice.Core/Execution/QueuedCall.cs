using System.Runtime.ExceptionServices;
using Interstice.Core.Durability.Log;
using Interstice.Core.Modules;

namespace Interstice.Core.Execution;

/// <summary>
/// A call from outside waiting in line for the writer. Whichever thread holds the writer runs
/// the calls in line on their callers' behalf, back to back, and hands each caller to the
/// commit log to be woken once its transaction is durable: a caller sleeps once per call, and
/// the writer is not passed from thread to thread (on two cores, those hand-offs and the
/// callers' queue for the lock were most of a synchronous commit's cost).
/// <para>
/// Each thread keeps one for reuse; a thread that calls again while its own is still in use
/// (a table event callback, on the thread serving the line, calling another node) gets a new one.
/// </para>
/// </summary>
internal sealed class QueuedCall
{
    /// <summary>Larger argument buffers are not kept between calls.</summary>
    private const int KeptArgumentBytes = 64 * 1024;

    [ThreadStatic]
    private static QueuedCall? t_cached;

    private byte[] _arguments = new byte[256];
    private int _length;
    private bool _inUse;

    public LoadedModule Module { get; private set; } = null!;

    public FunctionBinding Reducer { get; private set; } = null!;

    public ReadOnlySpan<byte> Arguments => _arguments.AsSpan(0, _length);

    /// <summary>The caller sleeps on it until the call ran and its records are acknowledged, or until it is given the line.</summary>
    public BlockedWaiter Waiter { get; } = new();

    /// <summary>
    /// Set (before the waiter is released) by a thread that served its share of the line: the
    /// call was taken from the line but not run, and its caller is to run it and serve the line.
    /// </summary>
    public bool LineGiven { get; set; }

    /// <summary>How the reducer ended (set by the thread that ran it).</summary>
    public CallOutcome Outcome { get; set; }

    /// <summary>What the run threw instead of ending (the node stopped accepting writes...), to rethrow on the caller's thread.</summary>
    public ExceptionDispatchInfo? Error { get; set; }

    /// <summary>The last record the call (with its cascade) appended to the log.</summary>
    public LogTicket Ticket { get; set; }

    /// <summary>
    /// The calling thread's call, filled in: <paramref name="arguments"/> are copied (the
    /// caller's span may not outlive the call). Give it back with <see cref="Return"/>.
    /// </summary>
    public static QueuedCall Rent(LoadedModule module, FunctionBinding reducer, ReadOnlySpan<byte> arguments)
    {
        var call = t_cached is { _inUse: false } cached ? cached : new QueuedCall();
        t_cached ??= call;
        call._inUse = true;
        if (call._arguments.Length < arguments.Length) call._arguments = new byte[Math.Max(arguments.Length, call._arguments.Length * 2)];
        arguments.CopyTo(call._arguments);
        call._length = arguments.Length;
        call.Module = module;
        call.Reducer = reducer;
        call.Waiter.Prepare();
        return call;
    }

    /// <summary>Forgets the call (so that a thread's cached call keeps no node alive) and makes it available again.</summary>
    public void Return()
    {
        Module = null!;
        Reducer = null!;
        Outcome = default;
        Error = null;
        Ticket = default;
        LineGiven = false;
        if (_arguments.Length > KeptArgumentBytes) _arguments = new byte[256];
        _inUse = false;
    }
}
