using System.Runtime.InteropServices;

namespace Interstice.Core.Storage;

/// <summary>
/// Scratch memory for a bulk build's temporaries (sort keys, hashes, orders), allocated outside
/// the garbage-collected heap and freed on <see cref="Dispose"/>. A start builds each table of a
/// million rows with about a hundred megabytes of such arrays; as managed arrays they are large
/// objects, and allocating that many triggers full collections that trace every row the start
/// has built so far (docs/durability-measurements.md, Collections in a new process's first start).
/// </summary>
internal sealed unsafe class NativeBuffer<T> : IDisposable where T : unmanaged
{
    private T* _items;

    /// <summary>Allocates room for <paramref name="length"/> items, their contents undefined.</summary>
    public NativeBuffer(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        // At least one item, so that the pointer is never null while the buffer lives: null means disposed.
        _items = (T*)NativeMemory.Alloc((nuint)Math.Max(length, 1), (nuint)sizeof(T));
        Length = length;
    }

    /// <summary>How many items the buffer holds.</summary>
    public int Length { get; }

    /// <summary>The items; throws <see cref="ObjectDisposedException"/> once the buffer is disposed.</summary>
    public Span<T> Span
    {
        get
        {
            ObjectDisposedException.ThrowIf(_items == null, this);
            return new Span<T>(_items, Length);
        }
    }

    /// <summary>Item <paramref name="index"/>, checked against the length (for code that cannot hold a span, such as a lambda).</summary>
    public ref T this[int index]
    {
        get
        {
            ObjectDisposedException.ThrowIf(_items == null, this);
            if ((uint)index >= (uint)Length) throw new IndexOutOfRangeException();
            return ref _items[index];
        }
    }

    /// <summary>Frees the memory; a span taken from the buffer must not be used after this.</summary>
    public void Dispose()
    {
        NativeMemory.Free(_items);
        _items = null;
    }
}
