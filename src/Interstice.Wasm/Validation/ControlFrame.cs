namespace Interstice.Wasm.Validation;

/// <summary>What opened a control frame.</summary>
internal enum FrameKind : byte
{
    /// <summary>The function body itself: its label is the function's results.</summary>
    Function,
    Block,
    Loop,
    If,
    Else,
}

/// <summary>
/// One entry of the validator's control stack (spec appendix): the block's parameter and result
/// types, the operand stack height at its start, and whether the rest of it is unreachable.
/// </summary>
internal struct ControlFrame
{
    public FrameKind Kind;

    /// <summary>Parameters of the block (empty for <see cref="FrameKind.Function"/>: they are locals).</summary>
    public ValueType[] StartTypes;

    /// <summary>Results of the block.</summary>
    public ValueType[] EndTypes;

    /// <summary>Operand stack height when the block started (after its parameters were popped).</summary>
    public int Height;

    /// <summary>Set after an unconditional branch: the stack is then polymorphic down to <see cref="Height"/>.</summary>
    public bool Unreachable;

    /// <summary>The types a branch to this frame's label carries: a loop's parameters, otherwise the results.</summary>
    public readonly ValueType[] LabelTypes => Kind == FrameKind.Loop ? StartTypes : EndTypes;
}
