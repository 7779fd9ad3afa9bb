using Interstice.Abi;
using Interstice.Abi.Encoding;
using Interstice.Abi.Schema;
using Interstice.Abi.Types;

namespace Interstice.Core.Modules;

/// <summary>
/// A reducer or query of a loaded module: its schema, export, argument type and the checks of its
/// arguments (and a query's result), compiled once through the module's <see cref="ValueValidators"/>.
/// </summary>
internal sealed class FunctionBinding
{
    public FunctionBinding(string module, int index, ReducerSchema reducer, bool isHandler, ValueValidators validators)
    {
        Module = module;
        Index = index;
        Name = reducer.Name;
        ArgsType = reducer.ArgsType;
        ArgsValidator = validators.For(ArgsType);
        Args = reducer.Args;
        IsHandler = isHandler;
        ExportName = Exports.Reducer(reducer.Name);
    }

    public FunctionBinding(string module, int index, QuerySchema query, ValueValidators validators)
    {
        Module = module;
        Index = index;
        Name = query.Name;
        ArgsType = query.ArgsType;
        ArgsValidator = validators.For(ArgsType);
        Args = query.Args;
        Returns = query.Returns;
        ReturnsValidator = validators.For(query.Returns);
        IsQuery = true;
        ExportName = Exports.Query(query.Name);
    }

    public string Module { get; }

    /// <summary>The position among the module's reducers (or queries), in canonical order.</summary>
    public int Index { get; }

    public string Name { get; }

    /// <summary>The type of the encoded arguments: the tuple of the argument types.</summary>
    public TupleType ArgsType { get; }

    /// <summary>Checks encoded arguments against <see cref="ArgsType"/>.</summary>
    public ValueValidator ArgsValidator { get; }

    public EquatableArray<Field> Args { get; }

    /// <summary>A query's result type; null for reducers.</summary>
    public AbiType? Returns { get; }

    /// <summary>Checks a query's encoded result against <see cref="Returns"/>; null for reducers.</summary>
    public ValueValidator? ReturnsValidator { get; }

    public bool IsQuery { get; }

    /// <summary>A reducer that handles a subscription: only the node calls it.</summary>
    public bool IsHandler { get; }

    public string ExportName { get; }

    public override string ToString() => Module + "." + Name;
}
