namespace Interstice.Wasm.Validation;

/// <summary>The validator's stack of open blocks; reused across functions.</summary>
internal sealed class ControlStack
{
    private ControlFrame[] _frames = new ControlFrame[16];

    public int Count { get; private set; }

    /// <summary>The highest <see cref="Count"/> since the last <see cref="Reset"/>.</summary>
    public int MaxCount { get; private set; }

    /// <summary>The innermost frame.</summary>
    public ref ControlFrame Top => ref _frames[Count - 1];

    /// <summary>The frame a branch to label <paramref name="label"/> targets (0 is the innermost); the caller has checked <c>label &lt; Count</c>.</summary>
    public ref ControlFrame Label(int label) => ref _frames[Count - 1 - label];

    public void Reset()
    {
        Count = 0;
        MaxCount = 0;
    }

    public void Push(FrameKind kind, ValueType[] startTypes, ValueType[] endTypes, int height)
    {
        if (Count == _frames.Length) Array.Resize(ref _frames, _frames.Length * 2);
        _frames[Count++] = new ControlFrame
        {
            Kind = kind,
            StartTypes = startTypes,
            EndTypes = endTypes,
            Height = height,
            Unreachable = false,
        };
        if (Count > MaxCount) MaxCount = Count;
    }

    public ControlFrame Pop() => _frames[--Count];
}
