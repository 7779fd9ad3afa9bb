namespace Interstice.Wasm;

/// <summary>Size limits of a memory (in 64 KiB pages) or a table (in elements).</summary>
public readonly record struct Limits(uint Minimum, uint? Maximum)
{
    public override string ToString() => Maximum is { } max ? $"{Minimum}..{max}" : $"{Minimum}..";
}
