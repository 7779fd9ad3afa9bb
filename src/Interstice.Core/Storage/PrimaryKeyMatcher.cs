namespace Interstice.Core.Storage;

/// <summary>Matches row slots by their primary-key array (held in the slot, see <see cref="RowSlot.PrimaryKey"/>).</summary>
internal readonly struct PrimaryKeyMatcher : IKeyMatcher<RowSlot>
{
    public int Hash(ReadOnlySpan<byte> key) => KeyComparer.Hash(key);

    public bool HasKey(RowSlot slot, ReadOnlySpan<byte> key) => slot.PrimaryKey.SequenceEqual(key);
}
