namespace Interstice.Core.Durability.Format;

/// <summary>What a commit log record is. The value is the first byte of the record's body.</summary>
public enum LogRecordKind : byte
{
    /// <summary>A committed transaction: its inputs (opaque to the log) and its change set.</summary>
    Transaction = 1,
    /// <summary>A module was loaded: its name, content hash and schema.</summary>
    ModuleLoaded = 2,
    /// <summary>A module was unloaded, with its tables.</summary>
    ModuleUnloaded = 3,
    /// <summary>A table was created outside a module load; the definition is opaque to the log.</summary>
    TableCreated = 4,
    /// <summary>A table was dropped outside a module unload.</summary>
    TableDropped = 5,
}
