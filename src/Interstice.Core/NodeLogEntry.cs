using Interstice.Abi;

namespace Interstice.Core;

/// <summary>
/// A log message: written by a module (<c>ctx.log</c>), then <see cref="Module"/> and
/// <see cref="Function"/> name the reducer or query that wrote it; or by the node about a module
/// (a failed handler or scheduled reducer, a stopped cascade) or about its data directory (a
/// durability warning; each snapshot published, at <see cref="LogLevel.Info"/>).
/// </summary>
/// <param name="Level">How important it is.</param>
/// <param name="Module">The module concerned, if any.</param>
/// <param name="Function">The reducer or query concerned, if any.</param>
/// <param name="Message">The text.</param>
/// <param name="FromModule">True when the module wrote it, false when the node did.</param>
public sealed record NodeLogEntry(LogLevel Level, string? Module, string? Function, string Message, bool FromModule)
{
    public override string ToString() =>
        $"[{Level.ToString().ToLowerInvariant()}] {(Module is null ? "" : Function is null ? Module + ": " : $"{Module}.{Function}: ")}{Message}";
}
