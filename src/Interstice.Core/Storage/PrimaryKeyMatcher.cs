namespace Interstice.Core.Storage;

/// <summary>Matches row slots by their primary-key array (stored beside the row, see <see cref="RowSlot.Create"/>).</summary>
internal readonly struct PrimaryKeyMatcher : IKeyMatcher<RowSlot>
{
    public int Hash(ReadOnlySpan<byte> key) => KeyComparer.Hash(key);

    public bool HasKey(RowSlot slot, ReadOnlySpan<byte> key) => slot.PrimaryKey.AsSpan().SequenceEqual(key);
}
