using System.Reflection.Emit;
using Interstice.Wasm.Compilation.Versioning;

namespace Interstice.Wasm.Compilation;

internal enum FrameKind : byte
{
    Function,
    Block,
    Loop,
    If,
}

/// <summary>
/// One entry of the control stack while a function is compiled: a structured instruction
/// (or the function body itself) with its types, the operand stack height where it started,
/// and the CIL labels its branches target.
/// </summary>
internal sealed class ControlFrame
{
    public FrameKind Kind;
    public ValueType[] Parameters = [];
    public ValueType[] Results = [];

    /// <summary>Operand stack height below the frame's parameters.</summary>
    public int Height;

    /// <summary>Where branches to this frame go: the end (block, if) or the header (loop).</summary>
    public Label Label;

    /// <summary>Where the false branch of an <c>if</c> starts.</summary>
    public Label ElseLabel;

    public bool HasElse;

    /// <summary>Some branch targets <see cref="Label"/>, so the code after the frame's end is reachable.</summary>
    public bool LabelUsed;

    /// <summary>Opened in unreachable code: nothing is emitted for it.</summary>
    public bool Dead;

    /// <summary>A loop compiled in two versions (see <see cref="FunctionCompiler"/>'s versioning), else null.</summary>
    public VersionedLoop? Versioning;

    /// <summary>A versioned loop: branches back to it count iterations down to the next pass through the guard (see <see cref="VersionedLoop"/>).</summary>
    public bool CountsDown => Versioning is not null;

    /// <summary>The types a branch to this frame carries: a loop's parameters, otherwise the results.</summary>
    public ValueType[] BranchTypes => Kind == FrameKind.Loop ? Parameters : Results;
}
