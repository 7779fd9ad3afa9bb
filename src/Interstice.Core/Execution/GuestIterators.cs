using Interstice.Abi;
using Interstice.Core.Transactions;

namespace Interstice.Core.Execution;

/// <summary>
/// The iterators a guest has open during one export call, by handle. A handle is a slot number
/// plus a generation in the upper bits, so a handle that was closed does not name the iterator
/// that later reuses its slot. At most <see cref="HostCalls.MaxOpenIterators"/> are open at once.
/// </summary>
internal sealed class GuestIterators
{
    private const int SlotBits = 10;
    private const int SlotMask = (1 << SlotBits) - 1;

    private Slot[] _slots = new Slot[4];
    private int _open;
    private int _generation;

    /// <summary>Registers <paramref name="rows"/>; returns its handle, or -1 when the limit is reached.</summary>
    public int Open(RowIterator rows)
    {
        if (_open >= HostCalls.MaxOpenIterators) return -1;
        int slot = Array.FindIndex(_slots, s => s.Rows == null);
        if (slot < 0)
        {
            slot = _slots.Length;
            Array.Resize(ref _slots, Math.Min(_slots.Length * 2, HostCalls.MaxOpenIterators));
        }
        // Generations wrap below 2^21 so that handles stay non-negative i32s.
        _generation = (_generation + 1) & ((1 << (31 - SlotBits)) - 1);
        _slots[slot] = new Slot { Rows = rows, Generation = _generation };
        _open++;
        return (_generation << SlotBits) | slot;
    }

    /// <summary>The iterator of <paramref name="handle"/>, or null when it is not open.</summary>
    public ref Slot Find(int handle, out bool found)
    {
        int slot = handle & SlotMask;
        if (handle >= 0 && slot < _slots.Length && _slots[slot].Rows != null && _slots[slot].Generation == handle >> SlotBits)
        {
            found = true;
            return ref _slots[slot];
        }
        found = false;
        return ref _slots[0];
    }

    public void Close(int handle)
    {
        ref var slot = ref Find(handle, out bool found);
        if (!found) return;
        slot.Rows!.Dispose();
        slot = default;
        _open--;
    }

    /// <summary>Closes every open iterator (the export call that opened them ended).</summary>
    public void CloseAll()
    {
        if (_open == 0) return;
        for (int i = 0; i < _slots.Length; i++)
        {
            _slots[i].Rows?.Dispose();
            _slots[i] = default;
        }
        _open = 0;
    }

    /// <summary>An open iterator, and the row it read but could not hand over yet (it did not fit after others).</summary>
    internal struct Slot
    {
        public RowIterator? Rows;
        public int Generation;
        public ReadOnlyMemory<byte>? Held;
    }
}
