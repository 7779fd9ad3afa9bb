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
        : base(FormatMessage(kind, null, detail))
    {
        Kind = kind;
        Backtrace = backtrace ?? [];
        Detail = detail;
    }

    public TrapKind Kind { get; }

    /// <summary>
    /// WebAssembly frames, innermost first. Attached when the trap leaves WebAssembly code for the
    /// host; empty when the trap happened outside any function (e.g. during instantiation).
    /// </summary>
    public IReadOnlyList<WasmFrame> Backtrace { get; internal set; }

    /// <summary>Extra context, e.g. the address and size of an out-of-bounds access.</summary>
    public string? Detail { get; }

    /// <summary>The trap's kind and detail, then the backtrace, one frame a line.</summary>
    public override string Message => FormatMessage(Kind, Backtrace, Detail);

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
