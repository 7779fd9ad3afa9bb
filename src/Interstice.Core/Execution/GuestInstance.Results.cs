using System.Text;
using Interstice.Abi;
using Interstice.Wasm;

namespace Interstice.Core.Execution;

/// <summary>
/// Output buffers and pending output, error messages, results of the current call
/// (docs/abi.md sections 9.1, 9.4 and 9.7).
/// </summary>
internal sealed partial class GuestInstance
{
    /// <summary>
    /// The output convention: writes <paramref name="output"/> at <paramref name="pointer"/> when
    /// it fits in <paramref name="capacity"/>, otherwise keeps it as pending output; returns its
    /// length either way. The output is not copied when it is kept (stored rows never change).
    /// </summary>
    private int Output(int pointer, int capacity, ReadOnlyMemory<byte> output)
    {
        if ((uint)output.Length > (uint)capacity)
        {
            _pending = output;
            return output.Length;
        }
        if (!TryGuest(pointer, output.Length, out var destination)) return BadPointer("the output buffer", pointer, output.Length);
        output.Span.CopyTo(destination);
        return output.Length;
    }

    private int ReadPending(Caller caller, int pointer, int capacity)
    {
        _ = Scope;
        if (_pending is not { } pending) return Fail(HostErrorCode.InvalidArgument, "read_pending: there is no pending output (only the host call right before may leave some)");
        if ((uint)pending.Length > (uint)capacity)
            return Fail(HostErrorCode.BufferTooSmall, $"read_pending: the pending output is {pending.Length} bytes, the buffer {(uint)capacity}");
        if (!TryGuest(pointer, pending.Length, out var destination)) return BadPointer("the read_pending buffer", pointer, pending.Length);
        pending.Span.CopyTo(destination);
        _pending = null;
        return pending.Length;
    }

    private int ErrorMessage(Caller caller, int pointer, int capacity)
    {
        _ = Scope;
        // Leaves pending output alone: a guest reads the message of a failed call between the
        // call and read_pending of another.
        if (_lastError is null) return 0;
        int length = Encoding.UTF8.GetByteCount(_lastError);
        if ((uint)length > (uint)capacity) return length;
        if (!TryGuest(pointer, length, out var destination)) return -(int)HostErrorCode.InvalidArgument;
        Encoding.UTF8.GetBytes(_lastError, destination);
        return length;
    }

    private int SetResult(Caller caller, int pointer, int length)
    {
        _ = Scope;
        _pending = null;
        if (!_function!.IsQuery) return Fail(HostErrorCode.InvalidArgument, $"set_result: {_function} is a reducer; only queries have results");
        if (!TryGuest(pointer, length, out var result)) return BadPointer("the result", pointer, length);
        _result = result.ToArray();
        return 0;
    }

    private int SetError(Caller caller, int pointer, int length)
    {
        _ = Scope;
        _pending = null;
        if (!TryGuest(pointer, length, out var message)) return BadPointer("the error message", pointer, length);
        _failure = Text(message);
        return 0;
    }
}
