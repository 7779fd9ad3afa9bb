using Interstice.Wasm.Binary;

namespace Interstice.Wasm;

/// <summary>
/// Reads a module binary's custom sections (spec 5.5.3) without decoding, validating or compiling
/// anything else: for tools that need what a module says about itself, not its code. Only the
/// framing is checked: the header, each section's id and size, and the custom sections' names.
/// </summary>
public static class CustomSections
{
    /// <summary>
    /// The payloads of the custom sections named <paramref name="name"/>, in order (often zero or
    /// one), as ranges of <paramref name="wasm"/> (no copy). Throws <see cref="MalformedModuleException"/>
    /// naming the offset when the framing is broken.
    /// </summary>
    public static IReadOnlyList<ReadOnlyMemory<byte>> Read(ReadOnlyMemory<byte> wasm, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var bytes = wasm.Span;
        var framing = new SectionReader(bytes);
        var sections = new List<ReadOnlyMemory<byte>>();
        while (framing.MoveNext())
        {
            if (framing.Id != SectionId.Custom) continue;
            var section = new WasmReader(bytes, framing.Start, framing.End, SectionId.Custom.DisplayName());
            if (section.ReadName() == name) sections.Add(wasm[section.Position..framing.End]);
        }
        return sections;
    }
}
