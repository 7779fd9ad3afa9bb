using System.Buffers;
using System.Text.Unicode;

namespace Interstice.Core.Storage;

/// <summary>
/// Builds an encoded key (see <see cref="KeyEncoding"/>) in a caller-supplied buffer, usually
/// <c>stackalloc</c>'d, so that writing fields allocates nothing. When a key outgrows the
/// buffer the writer continues in an array rented from <see cref="ArrayPool{T}.Shared"/>;
/// <see cref="Dispose"/> returns it. Several fields written one after the other form a
/// composite key that compares field by field.
/// <code>
/// var key = new KeyWriter(stackalloc byte[KeyWriter.StackBufferSize]);
/// try { layout.WritePrimaryKey(row, ref key); Use(key.Written); }
/// finally { key.Dispose(); }
/// </code>
/// </summary>
public ref struct KeyWriter
{
    /// <summary>A buffer size that holds every fixed-width key and most string keys.</summary>
    public const int StackBufferSize = 256;

    private Span<byte> _buffer;
    private byte[]? _rented;
    private int _length;

    /// <summary>Starts an empty key in <paramref name="initialBuffer"/>.</summary>
    public KeyWriter(Span<byte> initialBuffer)
    {
        _buffer = initialBuffer;
        _rented = null;
        _length = 0;
    }

    /// <summary>The number of bytes written so far.</summary>
    public readonly int Length => _length;

    /// <summary>The key written so far. Valid until the next write or <see cref="Dispose"/>.</summary>
    public readonly ReadOnlySpan<byte> Written => _buffer[.._length];

    /// <summary>Forgets what was written, keeping the buffer.</summary>
    public void Reset() => _length = 0;

    /// <summary>Shortens the key to its first <paramref name="length"/> bytes.</summary>
    public void Truncate(int length)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)length, (uint)_length, nameof(length));
        _length = length;
    }

    /// <summary>Copies the key into a new array of exactly its length.</summary>
    public readonly byte[] ToArray() => Written.ToArray();

    public void WriteBool(bool value) => Reserve(1)[0] = value ? (byte)1 : (byte)0;

    public void WriteU8(byte value) => Reserve(1)[0] = value;

    public void WriteU16(ushort value) => KeyEncoding.WriteU16(Reserve(2), value);

    public void WriteU32(uint value) => KeyEncoding.WriteU32(Reserve(4), value);

    public void WriteU64(ulong value) => KeyEncoding.WriteU64(Reserve(8), value);

    public void WriteI8(sbyte value) => Reserve(1)[0] = (byte)(value ^ sbyte.MinValue);

    public void WriteI16(short value) => KeyEncoding.WriteI16(Reserve(2), value);

    public void WriteI32(int value) => KeyEncoding.WriteI32(Reserve(4), value);

    public void WriteI64(long value) => KeyEncoding.WriteI64(Reserve(8), value);

    /// <summary>Writes a String value given as UTF-8 (the form rows hold it in).</summary>
    public void WriteUtf8(scoped ReadOnlySpan<byte> utf8) => WriteBytes(utf8);

    /// <summary>Writes a bytes value.</summary>
    public void WriteBytes(scoped ReadOnlySpan<byte> value)
    {
        var destination = Reserve(KeyEncoding.GetEscapedLength(value));
        KeyEncoding.WriteEscaped(destination, value);
    }

    /// <summary>Writes a String value given as UTF-16; throws on unpaired surrogates.</summary>
    public void WriteString(scoped ReadOnlySpan<char> value)
    {
        byte[]? rented = null;
        int max = value.Length * 3;
        Span<byte> utf8 = max <= 512 ? stackalloc byte[512] : (rented = ArrayPool<byte>.Shared.Rent(max));
        try
        {
            var status = Utf8.FromUtf16(value, utf8, out _, out int written, replaceInvalidSequences: false);
            if (status != OperationStatus.Done)
            {
                throw new ArgumentException("the string is not valid UTF-16 (unpaired surrogate)", nameof(value));
            }
            WriteBytes(utf8[..written]);
        }
        finally
        {
            if (rented != null) ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Appends bytes that are already an encoded key (e.g. a primary key after an index key).</summary>
    public void WriteEncoded(scoped ReadOnlySpan<byte> encoded) => encoded.CopyTo(Reserve(encoded.Length));

    /// <summary>Returns the rented array, if any. The writer must not be used afterwards.</summary>
    public void Dispose()
    {
        var rented = _rented;
        if (rented != null)
        {
            _rented = null;
            _buffer = default;
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private Span<byte> Reserve(int count)
    {
        int end = _length + count;
        if (end > _buffer.Length) Grow(end);
        var span = _buffer.Slice(_length, count);
        _length = end;
        return span;
    }

    private void Grow(int required)
    {
        var larger = ArrayPool<byte>.Shared.Rent(Math.Max(required, Math.Max(_buffer.Length * 2, 64)));
        _buffer[.._length].CopyTo(larger);
        if (_rented != null) ArrayPool<byte>.Shared.Return(_rented);
        _rented = larger;
        _buffer = larger;
    }
}
