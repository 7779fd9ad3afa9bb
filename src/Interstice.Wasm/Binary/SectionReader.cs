namespace Interstice.Wasm.Binary;

/// <summary>
/// Walks the framing of a module binary (spec 5.5.2, 5.5.16): the header, then each section's id
/// and size, without reading any section's content, so that the decoder and the tools that only
/// look for custom sections frame a module the same way, with the same errors (a broken header,
/// a malformed section id, a size past the end of the module).
/// </summary>
internal ref struct SectionReader
{
    private const uint Magic = 0x6D736100; // "\0asm"
    private const uint Version = 1;

    private WasmReader _reader;

    /// <summary>Reads the header of <paramref name="module"/> (the whole binary); throws <see cref="MalformedModuleException"/> when it is not one.</summary>
    public SectionReader(ReadOnlySpan<byte> module)
    {
        _reader = new WasmReader(module, 0, module.Length, "header") { EndReason = WasmReader.ModuleEndReason };
        if (_reader.ReadUInt32Fixed() != Magic) throw _reader.ErrorAt(0, "magic header not detected");
        uint version = _reader.ReadUInt32Fixed();
        if (version != Version) throw _reader.ErrorAt(4, $"unknown binary version {version}");
        End = _reader.Position;
    }

    /// <summary>The current section's id.</summary>
    public SectionId Id { get; private set; }

    /// <summary>The offset of the current section's id byte.</summary>
    public int IdOffset { get; private set; }

    /// <summary>The offset of the current section's content (after its size).</summary>
    public int Start { get; private set; }

    /// <summary>One past the current section's last byte (within the module, checked).</summary>
    public int End { get; private set; }

    /// <summary>Moves to the next section; false after the last one. Throws <see cref="MalformedModuleException"/> when its id or size is broken.</summary>
    public bool MoveNext()
    {
        _reader.Position = End;
        if (_reader.AtEnd) return false;
        _reader.Section = "module";
        IdOffset = _reader.Position;
        byte id = _reader.ReadByte();
        if (id > (byte)SectionIdExtensions.Last) throw _reader.ErrorAt(IdOffset, $"malformed section id {id}");
        Id = (SectionId)id;
        _reader.Section = Id.DisplayName();
        int size = _reader.ReadLength();
        Start = _reader.Position;
        End = Start + size;
        return true;
    }

    /// <summary>An error at <paramref name="offset"/> naming the current section, as its framing errors do.</summary>
    public readonly MalformedModuleException ErrorAt(int offset, string reason) => new(Id.DisplayName(), offset, reason);
}
