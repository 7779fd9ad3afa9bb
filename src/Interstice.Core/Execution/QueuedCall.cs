using System.Runtime.ExceptionServices;
using Interstice.Core.Durability.Log;
using Interstice.Core.Modules;

namespace Interstice.Core.Execution;

/// <summary>
/// A call from outside waiting in line for the writer. Whichever thread holds the writer runs
/// the calls in line on their callers' behalf, back to back, and hands each caller to the
/// commit log to be woken once its transaction is durable: a caller sleeps once per call, and
/// the writer is not passed from thread to thread (on two cores, those hand-offs and the
/// callers' queue for the lock were most of a synchronous commit's cost). One per thread, reused.
/// </summary>
internal sealed class QueuedCall
{
    [ThreadStatic]
    private static QueuedCall? t_current;

    private byte[] _arguments = new byte[256];
    private int _length;

    /// <summary>The calling thread's call.</summary>
    public static QueuedCall ForCurrentThread() => t_current ??= new QueuedCall();

    public LoadedModule Module { get; private set; } = null!;

    public FunctionBinding Reducer { get; private set; } = null!;

    public ReadOnlySpan<byte> Arguments => _arguments.AsSpan(0, _length);

    /// <summary>The caller sleeps on it until the call ran and its records are acknowledged.</summary>
    public BlockedWaiter Waiter { get; } = BlockedWaiter.ForCurrentThread();

    /// <summary>How the reducer ended (set by the thread that ran it).</summary>
    public CallOutcome Outcome { get; set; }

    /// <summary>What the run threw instead of ending (the node stopped accepting writes...), to rethrow on the caller's thread.</summary>
    public ExceptionDispatchInfo? Error { get; set; }

    /// <summary>The last record the call (with its cascade) appended to the log.</summary>
    public LogTicket Ticket { get; set; }

    /// <summary>Fills in the call, copying <paramref name="arguments"/> (the caller's span may not outlive the call).</summary>
    public void Prepare(LoadedModule module, FunctionBinding reducer, ReadOnlySpan<byte> arguments)
    {
        if (_arguments.Length < arguments.Length) _arguments = new byte[Math.Max(arguments.Length, _arguments.Length * 2)];
        arguments.CopyTo(_arguments);
        _length = arguments.Length;
        Module = module;
        Reducer = reducer;
        Outcome = default;
        Error = null;
        Ticket = default;
        Waiter.Prepare();
    }
}
