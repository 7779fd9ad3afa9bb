namespace Interstice.Wasm;

/// <summary>
/// A function signature: parameter and result types. Structurally compared, so two modules
/// declaring the same signature get equal (but not necessarily identical) instances.
/// </summary>
public sealed class FunctionType : IEquatable<FunctionType>
{
    private readonly ValueType[] _parameters;
    private readonly ValueType[] _results;

    public FunctionType(ReadOnlySpan<ValueType> parameters, ReadOnlySpan<ValueType> results)
    {
        _parameters = parameters.ToArray();
        _results = results.ToArray();
    }

    public static readonly FunctionType Empty = new([], []);

    public ReadOnlySpan<ValueType> Parameters => _parameters;
    public ReadOnlySpan<ValueType> Results => _results;

    public bool Equals(FunctionType? other) =>
        other is not null && (ReferenceEquals(this, other) ||
            (_parameters.AsSpan().SequenceEqual(other._parameters) && _results.AsSpan().SequenceEqual(other._results)));

    public override bool Equals(object? obj) => Equals(obj as FunctionType);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var p in _parameters) hash.Add(p);
        hash.Add(0xFF);
        foreach (var r in _results) hash.Add(r);
        return hash.ToHashCode();
    }

    /// <summary>Text-format rendering, e.g. <c>(func (param i32 i64) (result f32))</c>.</summary>
    public override string ToString()
    {
        var sb = new System.Text.StringBuilder("(func");
        if (_parameters.Length > 0)
        {
            sb.Append(" (param");
            foreach (var p in _parameters) sb.Append(' ').Append(p.ToWatName());
            sb.Append(')');
        }
        if (_results.Length > 0)
        {
            sb.Append(" (result");
            foreach (var r in _results) sb.Append(' ').Append(r.ToWatName());
            sb.Append(')');
        }
        return sb.Append(')').ToString();
    }
}
