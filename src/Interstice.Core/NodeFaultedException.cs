namespace Interstice.Core;

/// <summary>
/// The node stopped accepting writes: its commit log failed, so a transaction can no longer be
/// known to be durable, or its commit sink did, so the sink missed a committed transaction.
/// Every write after the failure gets this. A call whose own append failed gets it with the
/// log's failure as <see cref="Exception.InnerException"/>; a call whose transaction the sink
/// failed on gets it, once the log has made the transaction durable, with the sink's exception
/// as <see cref="Exception.InnerException"/> (or with the log's failure, when the log failed to
/// make it durable). Callers waiting for a record the log failed to make durable get
/// <see cref="Durability.Log.CommitLogFailedException"/> instead. Only a restart (which recovers
/// from the files) makes the node write again. An <see cref="InvalidOperationException"/>, as
/// before it had a type of its own.
/// </summary>
public sealed class NodeFaultedException(string message, Exception? innerException = null) : InvalidOperationException(message, innerException);
