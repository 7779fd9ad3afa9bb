namespace Interstice.Core.Durability.Inspection;

/// <summary>
/// Which records <see cref="LogInspector"/> shows: those of transactions <paramref name="From"/>
/// to <paramref name="To"/> (inclusive) that concern <paramref name="Module"/> and
/// <paramref name="Table"/> (a transaction concerns them when it changes a row of theirs, or
/// for a module, when it called or loaded it); only the matching changes are shown.
/// </summary>
public sealed record InspectionFilter(string? Module = null, string? Table = null, ulong From = 0, ulong To = ulong.MaxValue)
{
    internal bool Includes(ulong transactionId) => transactionId >= From && transactionId <= To;

    internal bool Matches(string module, string table) =>
        (Module is null || Module == module) && (Table is null || Table == table);
}
