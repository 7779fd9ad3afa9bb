namespace Interstice.Core.Storage;

public sealed partial class Database
{
    /// <summary>
    /// Takes the writer's place and shuts readers out until <see cref="ExitExclusive"/>, so that
    /// recovery can apply logged changes straight to the tables (a snapshot's rows, a replayed
    /// record's changes) without building a change set per record. Nothing else may write
    /// meanwhile; creating or dropping tables must wait for <see cref="ExitExclusive"/>.
    /// </summary>
    internal void EnterExclusive(string what)
    {
        EnterBusy(WriterState.Idle, what);
        try
        {
            _gate.EnterWrite();
        }
        catch
        {
            Volatile.Write(ref _writerState, (int)WriterState.Idle);
            throw;
        }
    }

    internal void ExitExclusive()
    {
        _gate.ExitWrite();
        Volatile.Write(ref _writerState, (int)WriterState.Idle);
    }
}
