namespace Interstice.Core.Modules;

/// <summary>Unsigned LEB128 on bytes already validated (rows as stored): no checks, no exceptions.</summary>
internal static class Leb128
{
    /// <summary>Reads a value at the start of <paramref name="data"/>; returns the bytes it takes.</summary>
    public static int Read(ReadOnlySpan<byte> data, out uint value)
    {
        uint result = 0;
        int i = 0;
        while (true)
        {
            byte b = data[i];
            result |= (uint)(b & 0x7F) << (7 * i);
            i++;
            if ((b & 0x80) == 0) break;
        }
        value = result;
        return i;
    }

    /// <summary>The number of bytes <paramref name="value"/> takes.</summary>
    public static int Size(uint value)
    {
        int size = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            size++;
        }
        return size;
    }

    /// <summary>Writes <paramref name="value"/> at the start of <paramref name="destination"/>; returns the bytes written.</summary>
    public static int Write(Span<byte> destination, uint value)
    {
        int i = 0;
        while (value >= 0x80)
        {
            destination[i++] = (byte)(value | 0x80);
            value >>= 7;
        }
        destination[i++] = (byte)value;
        return i;
    }
}
