using System.Buffers.Binary;
using Interstice.Wasm.Runtime;

namespace Interstice.Wasm;

/// <summary>
/// A linear memory: a byte array of a whole number of 64 KiB pages that can grow up to a maximum.
/// It lives outside the managed heap in an address-space reservation of its maximum size, so its
/// base address never moves. An instance's memory is released when the instance (and every
/// instance that imported it) is disposed, or finalized; a memory created with
/// <see cref="Memory(MemoryType, uint?)"/> is released by <see cref="Dispose"/>.
/// </summary>
/// <remarks>
/// Spans returned by <see cref="GetSpan"/> point into unmanaged memory: do not keep them across
/// a call that may dispose the memory.
/// </remarks>
public sealed unsafe class Memory : IDisposable
{
    // Read by generated code: the base address and the current size in bytes.
    internal byte* Base;
    internal ulong Size;

    private readonly ulong _reservedBytes;
    private readonly bool _createdByHost;
    private int _references = 1;
    private int _released;

    /// <summary>Creates a memory for the host to provide as an import (see <see cref="Linker.Define(string, string, Memory)"/>).</summary>
    /// <param name="type">Initial and maximum size in pages.</param>
    /// <param name="maxPagesLimit">An extra cap on growth below the type's maximum (growing past it fails as <c>memory.grow</c> does, with -1).</param>
    public Memory(MemoryType type, uint? maxPagesLimit = null) : this(type, maxPagesLimit, createdByHost: true) { }

    internal Memory(MemoryType type, uint? maxPagesLimit, bool createdByHost)
    {
        ArgumentNullException.ThrowIfNull(type);
        if (!Environment.Is64BitProcess) throw new PlatformNotSupportedException("linear memories need a 64-bit process");
        Type = type;
        _createdByHost = createdByHost;
        uint max = Math.Min(type.Limits.Maximum ?? MemoryType.MaxPages, MemoryType.MaxPages);
        if (maxPagesLimit is { } limit) max = Math.Min(max, limit);
        if (type.Limits.Minimum > max)
            throw new WasmResourceException($"a memory of {type.Limits.Minimum} pages exceeds the limit of {max} pages");
        MaximumPages = max;
        _reservedBytes = (ulong)max * MemoryType.PageSize;
        if (_reservedBytes > 0)
        {
            Base = VirtualMemory.Reserve((nuint)_reservedBytes);
            if (Base is null) throw new WasmResourceException($"cannot reserve {_reservedBytes} bytes of address space for a memory of at most {max} pages");
            GC.AddMemoryPressure(Math.Min((long)_reservedBytes, 64L << 20));
        }
        if (!GrowTo((ulong)type.Limits.Minimum * MemoryType.PageSize))
        {
            ReleaseNative();
            throw new WasmResourceException($"cannot commit {type.Limits.Minimum} pages of memory");
        }
    }

    ~Memory() => ReleaseNative();

    /// <summary>The memory's declared type (its initial size and maximum).</summary>
    public MemoryType Type { get; }

    /// <summary>The most pages this memory can grow to: the declared maximum, capped by any limit.</summary>
    public uint MaximumPages { get; }

    /// <summary>Current size in bytes.</summary>
    public ulong Length => Size;

    /// <summary>Current size in 64 KiB pages.</summary>
    public uint Pages => (uint)(Size / MemoryType.PageSize);

    /// <summary>
    /// A view of <paramref name="length"/> bytes at <paramref name="address"/>. Throws
    /// <see cref="ArgumentOutOfRangeException"/> when the range is not inside the memory.
    /// </summary>
    public Span<byte> GetSpan(ulong address, int length)
    {
        CheckRange(address, length);
        return new Span<byte>(Base + address, length);
    }

    /// <summary>Copies <paramref name="destination"/>.Length bytes from <paramref name="address"/>.</summary>
    public void Read(ulong address, Span<byte> destination) => GetSpan(address, destination.Length).CopyTo(destination);

    /// <summary>Copies <paramref name="source"/> to <paramref name="address"/>.</summary>
    public void Write(ulong address, ReadOnlySpan<byte> source) => source.CopyTo(GetSpan(address, source.Length));

    public byte ReadByte(ulong address) => GetSpan(address, 1)[0];
    public int ReadInt32(ulong address) => BinaryPrimitives.ReadInt32LittleEndian(GetSpan(address, 4));
    public long ReadInt64(ulong address) => BinaryPrimitives.ReadInt64LittleEndian(GetSpan(address, 8));
    public float ReadSingle(ulong address) => BinaryPrimitives.ReadSingleLittleEndian(GetSpan(address, 4));
    public double ReadDouble(ulong address) => BinaryPrimitives.ReadDoubleLittleEndian(GetSpan(address, 8));
    public void WriteByte(ulong address, byte value) => GetSpan(address, 1)[0] = value;
    public void WriteInt32(ulong address, int value) => BinaryPrimitives.WriteInt32LittleEndian(GetSpan(address, 4), value);
    public void WriteInt64(ulong address, long value) => BinaryPrimitives.WriteInt64LittleEndian(GetSpan(address, 8), value);
    public void WriteSingle(ulong address, float value) => BinaryPrimitives.WriteSingleLittleEndian(GetSpan(address, 4), value);
    public void WriteDouble(ulong address, double value) => BinaryPrimitives.WriteDoubleLittleEndian(GetSpan(address, 8), value);

    /// <summary>
    /// Grows the memory by <paramref name="deltaPages"/> pages, as <c>memory.grow</c> does.
    /// Returns the previous size in pages, or -1 (leaving the memory unchanged) when the new
    /// size would exceed <see cref="MaximumPages"/> or the pages cannot be committed.
    /// </summary>
    public int Grow(uint deltaPages)
    {
        ObjectDisposedException.ThrowIf(_released != 0, this);
        return GrowPages(deltaPages);
    }

    /// <summary>Releases a memory created by the host. An instance's memory is released with the instance instead.</summary>
    public void Dispose()
    {
        if (!_createdByHost)
            throw new InvalidOperationException("this memory belongs to an instance: dispose the instance instead");
        Release();
    }

    internal int GrowPages(uint deltaPages)
    {
        uint old = Pages;
        if (deltaPages > MaximumPages - old) return -1;
        return GrowTo(Size + (ulong)deltaPages * MemoryType.PageSize) ? (int)old : -1;
    }

    private bool GrowTo(ulong newSize)
    {
        if (newSize == Size) return true;
        if (!VirtualMemory.Commit(Base + Size, (nuint)(newSize - Size))) return false;
        Size = newSize;
        return true;
    }

    /// <summary>Another instance uses this memory (imported it); it stays alive until that instance releases it.</summary>
    internal void AddReference()
    {
        if (Interlocked.Increment(ref _references) <= 1)
            throw new ObjectDisposedException(nameof(Memory), "the memory was already released");
    }

    internal void Release()
    {
        if (Interlocked.Decrement(ref _references) == 0) ReleaseNative();
    }

    internal void CheckRange(ulong address, int length)
    {
        ObjectDisposedException.ThrowIf(_released != 0, this);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (address > Size || (ulong)length > Size - address)
            throw new ArgumentOutOfRangeException(nameof(address), $"the range [{address}, {address + (ulong)length}) is outside the memory of {Size} bytes");
    }

    private void ReleaseNative()
    {
        if (Interlocked.Exchange(ref _released, 1) != 0) return;
        byte* b = Base;
        Size = 0;
        Base = null;
        if (b is not null)
        {
            VirtualMemory.Release(b, (nuint)_reservedBytes);
            GC.RemoveMemoryPressure(Math.Min((long)_reservedBytes, 64L << 20));
        }
        GC.SuppressFinalize(this);
    }
}
