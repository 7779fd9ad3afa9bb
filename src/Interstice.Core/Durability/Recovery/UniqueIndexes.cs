using System.Runtime.CompilerServices;
using Interstice.Core.Storage;

namespace Interstice.Core.Durability.Recovery;

/// <summary>
/// Checks a recovered row against its table's unique indexes before it is stored: storage files
/// rows under their index keys without checking (a transaction checked them when it ran), so a
/// damaged record could otherwise give two rows one unique key.
/// </summary>
[SkipLocalsInit]
internal static class UniqueIndexes
{
    /// <summary>
    /// What is wrong when a row other than <paramref name="self"/> (the stored row an update
    /// replaces, or null) already has one of
    /// <paramref name="row"/>'s unique index keys (as a phrase: "gives a row of ... the key ..."),
    /// or null.
    /// </summary>
    public static string? Conflict(Table table, byte[] row, byte[]? self)
    {
        var indexes = table.Indexes;
        if (indexes.Length == 0) return null;
        var key = new KeyWriter(stackalloc byte[KeyWriter.StackBufferSize]);
        try
        {
            for (int i = 0; i < indexes.Length; i++)
            {
                if (!indexes[i].Definition.IsUnique) continue;
                key.Reset();
                table.Layout.WriteIndexKey(i, row, ref key);
                var holder = indexes[i].FindAny(key.Written);
                if (holder != null && holder != self)
                {
                    var definition = indexes[i].Definition;
                    return $"gives a row of {table} the key {definition.Column} = {KeyFormatter.Format(definition.KeyType, key.Written)} of unique index {definition.Name}, which another row has";
                }
            }
        }
        finally
        {
            key.Dispose();
        }
        return null;
    }

    /// <summary>The phrase <see cref="Conflict"/> gives, for a conflict a bulk load found.</summary>
    public static string Describe(Table table, UniqueViolationException violation) =>
        violation.Index == UniqueViolationException.PrimaryKeyIndex
            ? $"gives a row of {table} the primary key {violation.Column} = {violation.Key}, which another row has"
            : $"gives a row of {table} the key {violation.Column} = {violation.Key} of unique index {violation.Index}, which another row has";
}
