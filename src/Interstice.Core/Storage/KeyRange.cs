namespace Interstice.Core.Storage;

/// <summary>How one end of a <see cref="KeyRange"/> limits it.</summary>
public enum BoundKind : byte
{
    /// <summary>No limit on this side.</summary>
    Unbounded,
    /// <summary>The bound key itself is in the range.</summary>
    Inclusive,
    /// <summary>The bound key itself is not in the range.</summary>
    Exclusive,
}

/// <summary>
/// One end of a key range: a kind and an encoded key (ignored when unbounded). The key is
/// held by reference: its memory must not change while an iterator over the range is open.
/// </summary>
public readonly struct KeyBound
{
    public KeyBound(BoundKind kind, ReadOnlyMemory<byte> key)
    {
        Kind = kind;
        Key = kind == BoundKind.Unbounded ? default : key;
    }

    public BoundKind Kind { get; }

    /// <summary>The encoded key; empty when <see cref="Kind"/> is <see cref="BoundKind.Unbounded"/>.</summary>
    public ReadOnlyMemory<byte> Key { get; }

    public static KeyBound Unbounded => default;

    public static KeyBound Inclusive(ReadOnlyMemory<byte> key) => new(BoundKind.Inclusive, key);

    public static KeyBound Exclusive(ReadOnlyMemory<byte> key) => new(BoundKind.Exclusive, key);
}

/// <summary>
/// A range of encoded keys, each end inclusive, exclusive or unbounded. Compared with
/// <see cref="KeyComparer"/>; a range whose lower end is above its upper end is empty.
/// </summary>
public readonly struct KeyRange
{
    public KeyRange(KeyBound lower, KeyBound upper)
    {
        Lower = lower;
        Upper = upper;
    }

    public KeyBound Lower { get; }

    public KeyBound Upper { get; }

    /// <summary>Every key.</summary>
    public static KeyRange All => default;

    /// <summary>Exactly one key.</summary>
    public static KeyRange Exactly(ReadOnlyMemory<byte> key) => new(KeyBound.Inclusive(key), KeyBound.Inclusive(key));

    /// <summary>True when <paramref name="key"/> is at or above the lower end.</summary>
    public bool IsAboveLower(ReadOnlySpan<byte> key) => Lower.Kind switch
    {
        BoundKind.Inclusive => KeyComparer.Compare(key, Lower.Key.Span) >= 0,
        BoundKind.Exclusive => KeyComparer.Compare(key, Lower.Key.Span) > 0,
        _ => true,
    };

    /// <summary>True when <paramref name="key"/> is at or below the upper end.</summary>
    public bool IsBelowUpper(ReadOnlySpan<byte> key) => Upper.Kind switch
    {
        BoundKind.Inclusive => KeyComparer.Compare(key, Upper.Key.Span) <= 0,
        BoundKind.Exclusive => KeyComparer.Compare(key, Upper.Key.Span) < 0,
        _ => true,
    };

    /// <summary>True when <paramref name="key"/> is in the range.</summary>
    public bool Contains(ReadOnlySpan<byte> key) => IsAboveLower(key) && IsBelowUpper(key);
}
