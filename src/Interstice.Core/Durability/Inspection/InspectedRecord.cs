using Interstice.Core.Transactions;

namespace Interstice.Core.Durability.Inspection;

/// <summary>A log record as <see cref="LogInspector"/> shows it: what started it and what it changed, rows in JSON.</summary>
/// <param name="TransactionId">The record's transaction id.</param>
/// <param name="Timestamp">Its timestamp, microseconds since the Unix epoch.</param>
/// <param name="Segment">The segment file that holds it.</param>
/// <param name="Offset">Its byte offset in the segment.</param>
/// <param name="Kind"><c>transaction</c>, <c>module loaded</c> or <c>module removed</c>.</param>
/// <param name="Inputs">For a transaction, what started it (null when its inputs cannot be decoded; see <paramref name="Problem"/>).</param>
/// <param name="Arguments">For a reducer call, its arguments as a JSON array when the schema reads them; otherwise null.</param>
/// <param name="Module">For a node event, its module.</param>
/// <param name="ContentHash">For a module load, the binary's SHA-256 (hex).</param>
/// <param name="Changes">The row changes shown (after filtering).</param>
/// <param name="Sequences">The sequence changes shown (after filtering).</param>
/// <param name="Problem">What could not be decoded (inputs, arguments or rows whose schema is unknown), or null.</param>
public sealed record InspectedRecord(ulong TransactionId, long Timestamp, string Segment, long Offset, string Kind,
    CommitInputs? Inputs, string? Arguments, string? Module, string? ContentHash,
    IReadOnlyList<InspectedChange> Changes, IReadOnlyList<InspectedSequence> Sequences, string? Problem);

/// <summary>A row change of a logged transaction; rows are JSON (or hex, prefixed <c>0x</c>, when no schema reads them).</summary>
public sealed record InspectedChange(string Module, string Table, RowChangeKind Kind, string? OldRow, string? NewRow);

/// <summary>A table's sequence moved on to <paramref name="NextValue"/>.</summary>
public sealed record InspectedSequence(string Module, string Table, ulong NextValue);
