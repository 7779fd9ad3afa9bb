namespace Interstice.Bench;

/// <summary>A benchmark cannot run or its results disagree; the message says which and why.</summary>
internal sealed class BenchmarkException(string message) : Exception(message);
