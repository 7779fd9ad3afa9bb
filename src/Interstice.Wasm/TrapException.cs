namespace Interstice.Wasm;

/// <summary>One frame of a WebAssembly backtrace.</summary>
/// <param name="ModuleName">The module's name from its <c>name</c> section, if any.</param>
/// <param name="FunctionIndex">Index in the module's function index space.</param>
/// <param name="FunctionName">The function's name from the <c>name</c> section, if any.</param>
public readonly record struct WasmFrame(string? ModuleName, int FunctionIndex, string? FunctionName)
{
    public override string ToString() =>
        $"{ModuleName ?? "<module>"}!{FunctionName ?? $"<func {FunctionIndex}>"}";
}

/// <summary>
/// Execution trapped. Carries the kind and the WebAssembly backtrace (innermost frame first).
/// </summary>
public sealed class TrapException : WasmException
{
    private IReadOnlyList<WasmFrame>? _backtrace;

    /// <param name="kind">Why execution trapped.</param>
    /// <param name="backtrace">The WebAssembly frames; when null, they are worked out from the exception's .NET stack trace on first use.</param>
    /// <param name="detail">Extra context for the message.</param>
    public TrapException(TrapKind kind, IReadOnlyList<WasmFrame>? backtrace = null, string? detail = null)
        : base(FormatMessage(kind, null, detail))
    {
        Kind = kind;
        _backtrace = backtrace;
        Detail = detail;
    }

    public TrapKind Kind { get; }

    /// <summary>
    /// WebAssembly frames, innermost first, from the throw to where the exception was caught
    /// (worked out from the .NET stack trace on first use, so a trap that is never inspected costs
    /// nothing). Empty when the trap happened outside any function (e.g. in a data segment).
    /// </summary>
    public IReadOnlyList<WasmFrame> Backtrace => _backtrace ??= Runtime.Backtraces.Capture(this);

    /// <summary>Extra context, e.g. the address and size of an out-of-bounds access.</summary>
    public string? Detail { get; }

    /// <summary>The trap's kind and detail, then the backtrace, one frame a line.</summary>
    public override string Message => FormatMessage(Kind, Backtrace, Detail);

    /// <summary>The message lists at most this many frames (a runaway recursion has thousands); <see cref="Backtrace"/> has them all.</summary>
    private const int MaxFramesInMessage = 32;

    private static string FormatMessage(TrapKind kind, IReadOnlyList<WasmFrame>? backtrace, string? detail)
    {
        var sb = new System.Text.StringBuilder("wasm trap: ").Append(kind.ToSpecMessage());
        if (detail is not null) sb.Append(" (").Append(detail).Append(')');
        if (backtrace is { Count: > 0 })
        {
            sb.Append("\nwasm backtrace:");
            int shown = Math.Min(backtrace.Count, MaxFramesInMessage);
            for (int i = 0; i < shown; i++) sb.Append("\n  ").Append(i).Append(": ").Append(backtrace[i]);
            if (backtrace.Count > shown) sb.Append("\n  ... ").Append(backtrace.Count - shown).Append(" more frames");
        }
        return sb.ToString();
    }
}
