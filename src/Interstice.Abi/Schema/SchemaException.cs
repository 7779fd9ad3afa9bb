namespace Interstice.Abi.Schema;

/// <summary>A schema is invalid: <see cref="Errors"/> lists every problem found, each naming the item concerned.</summary>
public sealed class SchemaException : Exception
{
    /// <summary>Creates the exception from the list of problems (at least one).</summary>
    public SchemaException(IReadOnlyList<string> errors)
        : base(errors.Count == 1 ? $"invalid schema: {errors[0]}" : $"invalid schema ({errors.Count} problems):{Environment.NewLine}  - {string.Join(Environment.NewLine + "  - ", errors)}")
        => Errors = errors;

    /// <summary>Every problem found.</summary>
    public IReadOnlyList<string> Errors { get; }
}
