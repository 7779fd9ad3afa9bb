namespace Interstice.Wasm;

/// <summary>
/// The module uses a WebAssembly feature this engine does not implement yet (e.g. <c>simd</c>).
/// Distinct from <see cref="MalformedModuleException"/> so that tools can count such modules as
/// skipped rather than broken.
/// </summary>
public sealed class UnsupportedFeatureException : WasmException
{
    public UnsupportedFeatureException(string feature, string section, long offset)
        : base($"unsupported feature: {feature} (in the {section} section, at byte offset 0x{offset:x})")
    {
        Feature = feature;
        Section = section;
        Offset = offset;
    }

    /// <summary>The feature's proposal name, e.g. <c>simd</c>.</summary>
    public string Feature { get; }

    /// <summary>The section where the feature was first met.</summary>
    public string Section { get; }

    /// <summary>Byte offset of the first use from the start of the binary.</summary>
    public long Offset { get; }
}
