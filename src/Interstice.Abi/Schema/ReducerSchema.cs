using Interstice.Abi.Types;

namespace Interstice.Abi.Schema;

/// <summary>A reducer: a transactional state change taking named arguments (docs/abi.md section 4.4).</summary>
public sealed record ReducerSchema(string Name, EquatableArray<Field> Args)
{
    /// <summary>The type of the encoded arguments: the tuple of the argument types.</summary>
    public TupleType ArgsType => new(Args.Select(static a => a.Type).ToArray());
}

/// <summary>A query: reads tables and returns a value of type <see cref="Returns"/> (docs/abi.md section 4.5).</summary>
public sealed record QuerySchema(string Name, EquatableArray<Field> Args, AbiType Returns)
{
    /// <summary>The type of the encoded arguments: the tuple of the argument types.</summary>
    public TupleType ArgsType => new(Args.Select(static a => a.Type).ToArray());
}

/// <summary>A dependency on another module, optionally on another node (docs/abi.md section 4.8).</summary>
/// <param name="Module">The module's name.</param>
/// <param name="Version">A version requirement such as <c>^0.1.0</c>.</param>
/// <param name="Node">The node the module lives on; null for the same node.</param>
public sealed record DependencySchema(string Module, string Version, string? Node)
{
    internal string SortKey => $"{Module}\u0000{Node}";
}

/// <summary>Reducer <see cref="Reducer"/> handles <see cref="Event"/> (docs/abi.md section 4.6).</summary>
public sealed record SubscriptionSchema(string Reducer, ModuleEvent Event)
{
    internal string SortKey => $"{Reducer}\u0000{Event}";
}
