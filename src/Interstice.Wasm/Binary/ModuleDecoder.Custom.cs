using Interstice.Wasm.Structure;

namespace Interstice.Wasm.Binary;

/// <summary>Custom sections (spec 5.5.3): kept as name and payload range; the first <c>name</c> section is decoded.</summary>
internal sealed partial class ModuleDecoder
{
    private readonly List<CustomSection> _customSections = [];
    private ModuleNames? _names;

    private void ReadCustomSection(ref WasmReader reader)
    {
        string name = reader.ReadName();
        int payloadOffset = reader.Position;
        int payloadLength = reader.Remaining;
        _customSections.Add(new CustomSection(name, payloadOffset, payloadLength));
        if (name == NameSectionDecoder.SectionName && _names is null)
            _names = NameSectionDecoder.TryDecode(_bytes, payloadOffset, payloadOffset + payloadLength) ?? ModuleNames.None;
        reader.Position = reader.End;
    }
}
