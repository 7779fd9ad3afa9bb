using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;

namespace Interstice.Wasm.Binary;

/// <summary>
/// Reads the primitive encodings of the binary format (spec 5.2: bytes, LEB128 integers, floats,
/// names) from a span holding the whole module. Positions are absolute byte offsets into the
/// module, so every error names the exact place. Malformed input throws
/// <see cref="MalformedModuleException"/> naming <see cref="Section"/>.
/// </summary>
internal ref partial struct WasmReader
{
    private readonly ReadOnlySpan<byte> _module;
    private int _position;
    private int _end;

    /// <param name="module">The whole module binary.</param>
    /// <param name="start">First byte to read.</param>
    /// <param name="end">One past the last byte this reader may read.</param>
    /// <param name="section">Section name used in error messages.</param>
    public WasmReader(ReadOnlySpan<byte> module, int start, int end, string section)
    {
        _module = module;
        _position = start;
        _end = end;
        Section = section;
        EndReason = SectionEndReason;
    }

    /// <summary>The reason given when a read runs past the end of a section or function body.</summary>
    public const string SectionEndReason = "unexpected end of section or function";

    /// <summary>The reason given when a read runs past the end of the module itself (header, section framing).</summary>
    public const string ModuleEndReason = "unexpected end";

    public string Section { get; set; }

    /// <summary>What running out of input is called: <see cref="SectionEndReason"/> (the default) or <see cref="ModuleEndReason"/>.</summary>
    public string EndReason { get; set; }

    public int Position
    {
        readonly get => _position;
        set => _position = value;
    }

    /// <summary>One past the last readable byte.</summary>
    public int End
    {
        readonly get => _end;
        set => _end = value;
    }

    public readonly bool AtEnd => _position >= _end;
    public readonly int Remaining => _end - _position;

    public readonly MalformedModuleException Error(string reason) => new(Section, _position, reason);
    public readonly MalformedModuleException ErrorAt(int offset, string reason) => new(Section, offset, reason);

    public byte ReadByte()
    {
        if (_position >= _end) throw Error(EndReason);
        return _module[_position++];
    }

    public readonly byte PeekByte()
    {
        if (_position >= _end) throw Error(EndReason);
        return _module[_position];
    }

    public ReadOnlySpan<byte> ReadBytes(int count)
    {
        if (count < 0 || count > _end - _position) throw Error(EndReason);
        var span = _module.Slice(_position, count);
        _position += count;
        return span;
    }

    public uint ReadUInt32Fixed()
    {
        var bytes = ReadBytes(4);
        return BinaryPrimitives.ReadUInt32LittleEndian(bytes);
    }

    public ulong ReadUInt64Fixed()
    {
        var bytes = ReadBytes(8);
        return BinaryPrimitives.ReadUInt64LittleEndian(bytes);
    }

    /// <summary>An unsigned LEB128 integer of at most 32 bits (at most 5 bytes, unused bits zero).</summary>
    public uint ReadVarUInt32()
    {
        // Most indices and immediates fit in one byte.
        if (_position < _end)
        {
            byte first = _module[_position];
            if (first < 0x80)
            {
                _position++;
                return first;
            }
        }
        return ReadVarUInt32MultiByte();
    }

    private uint ReadVarUInt32MultiByte()
    {
        int start = _position;
        uint result = 0;
        for (int shift = 0; ; shift += 7)
        {
            if (_position >= _end) throw ErrorAt(_position, EndReason);
            byte b = _module[_position++];
            if (shift == 28)
            {
                if ((b & 0x80) != 0) throw ErrorAt(start, "integer representation too long");
                if ((b & 0x70) != 0) throw ErrorAt(start, "integer too large");
                return result | ((uint)b << 28);
            }
            result |= (uint)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return result;
        }
    }

    /// <summary>A signed LEB128 integer of at most 32 bits.</summary>
    public int ReadVarInt32()
    {
        // Constants from -64 to 63 fit in one byte.
        if (_position < _end)
        {
            byte first = _module[_position];
            if (first < 0x80)
            {
                _position++;
                return (first << 25) >> 25;
            }
        }
        return ReadVarInt32MultiByte();
    }

    private int ReadVarInt32MultiByte()
    {
        int start = _position;
        int result = 0;
        for (int shift = 0; ; shift += 7)
        {
            if (_position >= _end) throw ErrorAt(_position, EndReason);
            byte b = _module[_position++];
            if (shift == 28)
            {
                if ((b & 0x80) != 0) throw ErrorAt(start, "integer representation too long");
                // The 4 unused bits must be the sign extension of bit 3.
                int high = b & 0x78;
                if (high != 0 && high != 0x78) throw ErrorAt(start, "integer too large");
                return result | (b << 28);
            }
            result |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                int bits = shift + 7;
                return (result << (32 - bits)) >> (32 - bits);
            }
        }
    }

    /// <summary>A signed LEB128 integer of at most 33 bits (block types), returned as a long.</summary>
    public long ReadVarInt33()
    {
        int start = _position;
        long result = 0;
        for (int shift = 0; ; shift += 7)
        {
            if (_position >= _end) throw ErrorAt(_position, EndReason);
            byte b = _module[_position++];
            if (shift == 28)
            {
                if ((b & 0x80) != 0) throw ErrorAt(start, "integer representation too long");
                int high = b & 0x70;
                if (high != 0 && high != 0x70) throw ErrorAt(start, "integer too large");
                result |= (long)(b & 0x7F) << 28;
                return (result << 29) >> 29;
            }
            result |= (long)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                int bits = shift + 7;
                return (result << (64 - bits)) >> (64 - bits);
            }
        }
    }

    /// <summary>A signed LEB128 integer of at most 64 bits.</summary>
    public long ReadVarInt64()
    {
        int start = _position;
        long result = 0;
        for (int shift = 0; ; shift += 7)
        {
            if (_position >= _end) throw ErrorAt(_position, EndReason);
            byte b = _module[_position++];
            if (shift == 63)
            {
                if ((b & 0x80) != 0) throw ErrorAt(start, "integer representation too long");
                // Only bit 0 is significant; the other 6 payload bits must all equal it (sign extension).
                if (b != 0 && b != 0x7F) throw ErrorAt(start, "integer too large");
                return result | ((long)b << 63);
            }
            result |= (long)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                int bits = shift + 7;
                return (result << (64 - bits)) >> (64 - bits);
            }
        }
    }

    /// <summary>
    /// A vector length: a u32 that must not exceed the bytes left (every element takes at least
    /// one), so that no caller allocates from a count the input cannot back.
    /// </summary>
    public int ReadCount()
    {
        int start = _position;
        uint count = ReadVarUInt32();
        if (count > (uint)Remaining) throw CountTooLarge(start, count);
        return (int)count;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private readonly MalformedModuleException CountTooLarge(int start, uint count) =>
        ErrorAt(start, $"{EndReason} (a count of {count} does not fit the {Remaining} bytes left)");

    /// <summary>An index (u32). Indices above <see cref="int.MaxValue"/> keep their bits, so compare them as <c>uint</c>.</summary>
    public int ReadIndex() => (int)ReadVarUInt32();

    /// <summary>A byte length (u32) of what follows, checked against the input left ("length out of bounds").</summary>
    public int ReadLength()
    {
        int start = _position;
        uint length = ReadVarUInt32();
        if (length > (uint)Remaining) throw ErrorAt(start, "length out of bounds");
        return (int)length;
    }

    /// <summary>A name: a length-prefixed UTF-8 string (spec 5.2.4), checked for valid UTF-8.</summary>
    public string ReadName()
    {
        int start = _position;
        var bytes = ReadBytes(ReadLength());
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw ErrorAt(start, "malformed UTF-8 encoding");
        }
    }

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
}
