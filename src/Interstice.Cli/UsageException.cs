namespace Interstice.Cli;

/// <summary>The command line is wrong: the message says what, and the command's usage is printed.</summary>
internal sealed class UsageException(string message) : Exception(message);
