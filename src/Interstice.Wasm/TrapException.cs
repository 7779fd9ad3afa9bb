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
    public TrapException(TrapKind kind, IReadOnlyList<WasmFrame>? backtrace = null, string? detail = null)
        : base(FormatMessage(kind, backtrace, detail))
    {
        Kind = kind;
        Backtrace = backtrace ?? [];
        Detail = detail;
    }

    public TrapKind Kind { get; }

    /// <summary>WebAssembly frames, innermost first. Empty when the trap happened outside any function.</summary>
    public IReadOnlyList<WasmFrame> Backtrace { get; }

    /// <summary>Extra context, e.g. the address and size of an out-of-bounds access.</summary>
    public string? Detail { get; }

    private static string FormatMessage(TrapKind kind, IReadOnlyList<WasmFrame>? backtrace, string? detail)
    {
        var sb = new System.Text.StringBuilder("wasm trap: ").Append(kind.ToSpecMessage());
        if (detail is not null) sb.Append(" (").Append(detail).Append(')');
        if (backtrace is { Count: > 0 })
        {
            sb.Append("\nwasm backtrace:");
            for (int i = 0; i < backtrace.Count; i++) sb.Append("\n  ").Append(i).Append(": ").Append(backtrace[i]);
        }
        return sb.ToString();
    }
}
