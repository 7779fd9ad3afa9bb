using Interstice.Abi;
using Interstice.Core.Transactions;
using Interstice.Wasm;

namespace Interstice.Core.Execution;

/// <summary>Iterators over rows, many rows per host call (docs/abi.md section 9.3).</summary>
internal sealed partial class GuestInstance
{
    private int OpenIterator(RowIterator rows)
    {
        int handle = _iterators.Open(rows);
        if (handle >= 0) return handle;
        rows.Dispose();
        return Fail(HostErrorCode.LimitExceeded, $"{HostCalls.MaxOpenIterators} iterators are open: close some (iter_close) before opening more");
    }

    /// <summary>
    /// Writes as many whole rows as fit, each framed as LEB128 length + row. When not even the next
    /// row fits, it becomes pending output (the iterator moves past it) and its framed size is
    /// returned. 0 means exhausted, and closes the handle.
    /// </summary>
    private int IterNext(Caller caller, int handle, int outPointer, int outCapacity)
    {
        _ = Scope;
        _pending = null;
        ref var slot = ref _iterators.Find(handle, out bool found);
        if (!found) return Fail(HostErrorCode.InvalidArgument, $"iter_next: {handle} is not an open iterator handle");
        uint capacity = (uint)outCapacity;
        int written = 0;
        Span<byte> output = default;
        while (true)
        {
            ReadOnlyMemory<byte> row;
            if (slot.Held is { } held)
            {
                row = held;
                slot.Held = null;
            }
            else if (slot.Rows!.MoveNext())
            {
                row = slot.Rows.Current;
            }
            else
            {
                if (written == 0) _iterators.Close(handle);
                return written;
            }
            int header = Modules.Leb128.Size((uint)row.Length);
            int framed = header + row.Length;
            if ((uint)(written + framed) > capacity)
            {
                if (written > 0)
                {
                    slot.Held = row;
                    return written;
                }
                var pending = new byte[framed];
                Modules.Leb128.Write(pending, (uint)row.Length);
                row.Span.CopyTo(pending.AsSpan(header));
                _pending = pending;
                return framed;
            }
            if (written == 0 && !TryGuest(outPointer, outCapacity, out output))
            {
                slot.Held = row;
                return BadPointer("the iter_next buffer", outPointer, outCapacity);
            }
            Modules.Leb128.Write(output[written..], (uint)row.Length);
            row.Span.CopyTo(output[(written + header)..]);
            written += framed;
        }
    }

    private int IterClose(Caller caller, int handle)
    {
        _ = Scope;
        _pending = null;
        _iterators.Find(handle, out bool found);
        if (!found) return Fail(HostErrorCode.InvalidArgument, $"iter_close: {handle} is not an open iterator handle");
        _iterators.Close(handle);
        return 0;
    }
}
