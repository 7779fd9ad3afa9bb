namespace Interstice.Wasm.Structure;

/// <summary>
/// Byte offsets (from the start of the binary) of the entries of sections whose model types do
/// not carry one, index for index, so that validation errors point at the entry at fault.
/// </summary>
internal sealed class EntryOffsets
{
    public static readonly EntryOffsets None = new();

    public int[] Imports { get; init; } = [];

    /// <summary>Entries of the function section (the type index of each defined function).</summary>
    public int[] Functions { get; init; } = [];
    public int[] Tables { get; init; } = [];
    public int[] Memories { get; init; } = [];
    public int[] Globals { get; init; } = [];
    public int[] Exports { get; init; } = [];

    /// <summary>The start section's function index; 0 when there is none.</summary>
    public int Start { get; init; }

    /// <summary>The offset at <paramref name="index"/>, or 0 when it was not recorded.</summary>
    public static int At(int[] offsets, int index) => (uint)index < (uint)offsets.Length ? offsets[index] : 0;
}
