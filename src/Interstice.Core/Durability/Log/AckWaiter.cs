using System.Threading.Tasks.Sources;

namespace Interstice.Core.Durability.Log;

/// <summary>
/// What an asynchronous wait on a <see cref="LogTicket"/> suspends on: a reusable
/// <see cref="IValueTaskSource"/> that the log's writer completes. Returned to its pool once the
/// awaiting code has read the result, so waits allocate nothing in steady state.
/// </summary>
internal sealed class AckWaiter : IValueTaskSource
{
    private readonly Action<AckWaiter> _return;
    private ManualResetValueTaskSourceCore<bool> _core = new() { RunContinuationsAsynchronously = true };

    public AckWaiter(Action<AckWaiter> returnToPool) => _return = returnToPool;

    /// <summary>The ticket waited for.</summary>
    public long Sequence { get; set; }

    public short Version => _core.Version;

    public void Complete() => _core.SetResult(true);

    public void Fail(Exception error) => _core.SetException(error);

    public void GetResult(short token)
    {
        try
        {
            _core.GetResult(token);
        }
        finally
        {
            _core.Reset();
            _return(this);
        }
    }

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
