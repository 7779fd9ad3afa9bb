namespace Interstice.Core;

/// <summary>
/// The node stopped accepting writes: its commit log failed, so a transaction can no longer be
/// known to be durable, or its commit sink did, so the sink missed a committed transaction. Every write after the failure gets this; a call whose own
/// append failed gets it with the failure as <see cref="Exception.InnerException"/> (callers
/// waiting for a record the log failed to make durable get
/// <see cref="Durability.Log.CommitLogFailedException"/> instead). Only a restart (which recovers
/// from the files) makes the node write again. An <see cref="InvalidOperationException"/>, as
/// before it had a type of its own.
/// </summary>
public sealed class NodeFaultedException(string message, Exception? innerException = null) : InvalidOperationException(message, innerException);
