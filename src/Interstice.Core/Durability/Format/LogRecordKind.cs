namespace Interstice.Core.Durability.Format;

/// <summary>What a commit log record is. The value is the first byte of the record's body.</summary>
public enum LogRecordKind : byte
{
    /// <summary>A committed transaction: its inputs (opaque to the log) and its change set.</summary>
    Transaction = 1,
    /// <summary>A module was loaded and its tables created: its name, content hash and schema.</summary>
    ModuleLoaded = 2,
    /// <summary>A module was removed, with its tables.</summary>
    ModuleRemoved = 3,
}
