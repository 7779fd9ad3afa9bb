using System.Text;
using Interstice.Core.Durability.Format;

namespace Interstice.Core.Tests.Durability.Support;

/// <summary>Writes the log format's fields with <see cref="FieldWriter"/> into a growing buffer (a forged body's size is not known before it is written).</summary>
internal sealed class BodyWriter
{
    private readonly MemoryStream _buffer = new();

    public void Byte(byte value) => _buffer.WriteByte(value);

    public void Raw(ReadOnlySpan<byte> value) => _buffer.Write(value);

    public void UInt64(ulong value)
    {
        Span<byte> bytes = stackalloc byte[8];
        var writer = new FieldWriter(bytes);
        writer.WriteUInt64(value);
        _buffer.Write(bytes);
    }

    public void VarUInt(ulong value)
    {
        Span<byte> bytes = stackalloc byte[FieldWriter.VarUIntSize(ulong.MaxValue)];
        var writer = new FieldWriter(bytes);
        writer.WriteVarUInt(value);
        _buffer.Write(bytes[..writer.Position]);
    }

    public void Bytes(ReadOnlySpan<byte> value)
    {
        VarUInt((ulong)value.Length);
        _buffer.Write(value);
    }

    public void String(string value) => Bytes(Encoding.UTF8.GetBytes(value));

    public byte[] ToArray() => _buffer.ToArray();
}
