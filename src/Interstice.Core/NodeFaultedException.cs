namespace Interstice.Core;

/// <summary>
/// The node stopped accepting writes: its commit sink or commit log failed, so a transaction can
/// no longer be known to be durable. The call that met the failure gets this with the failure as
/// <see cref="Exception.InnerException"/>; every write after it gets it too. Only a restart (which
/// recovers from the files) makes the node write again. An <see cref="InvalidOperationException"/>,
/// as before it had a type of its own.
/// </summary>
public sealed class NodeFaultedException(string message, Exception? innerException = null) : InvalidOperationException(message, innerException);
