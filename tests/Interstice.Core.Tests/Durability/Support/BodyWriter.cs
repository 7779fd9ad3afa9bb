using System.Buffers.Binary;
using System.Text;
using Interstice.Core.Durability.Format;

namespace Interstice.Core.Tests.Durability.Support;

/// <summary>Writes the log format's fields (<see cref="FieldWriter"/>'s encoding) into a growing buffer.</summary>
internal sealed class BodyWriter
{
    private readonly MemoryStream _buffer = new();

    public void Byte(byte value) => _buffer.WriteByte(value);

    public void Raw(ReadOnlySpan<byte> value) => _buffer.Write(value);

    public void UInt64(ulong value)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, value);
        _buffer.Write(bytes);
    }

    public void VarUInt(ulong value)
    {
        while (value >= 0x80)
        {
            _buffer.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }
        _buffer.WriteByte((byte)value);
    }

    public void Bytes(ReadOnlySpan<byte> value)
    {
        VarUInt((ulong)value.Length);
        _buffer.Write(value);
    }

    public void String(string value) => Bytes(Encoding.UTF8.GetBytes(value));

    public byte[] ToArray() => _buffer.ToArray();
}
