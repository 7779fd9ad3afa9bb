using System.Buffers.Binary;
using Interstice.Core.Storage;
using System.Runtime.CompilerServices;

namespace Interstice.Core.Transactions;

/// <summary>
/// Fills a row's auto-increment column from the table's sequence: a 0 there is replaced by the
/// next value; any other value is kept, and the sequence moves past it. The value is patched
/// in place (integers are fixed-width little-endian in rows), at the offset the layout gives.
/// </summary>
// Key buffers are written before they are read: zeroing them first is wasted work.
[SkipLocalsInit]
internal static class AutoIncrement
{
    /// <summary>Patches <paramref name="row"/> if needed; returns the sequence's next value afterwards (0: exhausted, as values start at 1).</summary>
    public static ulong Apply(Table table, AutoIncrementDefinition column, byte[] row, ulong next)
    {
        int width = column.Type.FixedWidth();
        int offset = table.Layout.GetAutoIncrementOffset(row);
        if (offset < 0 || offset > row.Length - width)
        {
            throw new InvalidRowException(table.QualifiedName,
                $"the auto_inc column {column.Column} ({width} bytes at offset {offset}) is outside the {row.Length}-byte row");
        }
        var field = row.AsSpan(offset, width);
        ulong max = MaxValue(column.Type);
        if (IsZero(field))
        {
            if (next == 0 || next > max) throw new SequenceExhaustedException(table.QualifiedName, column.Column, column.Type);
            Write(field, next);
            return After(next, max);
        }
        if (column.Type.IsSigned() && IsNegative(field)) return next;
        ulong given = Read(field);
        return next != 0 && given >= next ? After(given, max) : next;
    }

    /// <summary>The value after <paramref name="value"/>, or 0 (exhausted) when none fits the column.</summary>
    private static ulong After(ulong value, ulong max) => value >= max ? 0 : value + 1;

    private static ulong MaxValue(KeyType type) => type switch
    {
        KeyType.U8 => byte.MaxValue,
        KeyType.U16 => ushort.MaxValue,
        KeyType.U32 => uint.MaxValue,
        KeyType.U64 => ulong.MaxValue,
        KeyType.I8 => (ulong)sbyte.MaxValue,
        KeyType.I16 => (ulong)short.MaxValue,
        KeyType.I32 => int.MaxValue,
        _ => long.MaxValue,
    };

    private static bool IsZero(ReadOnlySpan<byte> field) => !field.ContainsAnyExcept((byte)0);

    private static bool IsNegative(ReadOnlySpan<byte> field) => (field[^1] & 0x80) != 0;

    private static ulong Read(ReadOnlySpan<byte> field)
    {
        Span<byte> wide = stackalloc byte[8];
        wide.Clear();
        field.CopyTo(wide);
        return BinaryPrimitives.ReadUInt64LittleEndian(wide);
    }

    private static void Write(Span<byte> field, ulong value)
    {
        Span<byte> wide = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(wide, value);
        wide[..field.Length].CopyTo(field);
    }
}
