using Interstice.Abi;
using Interstice.Abi.Schema;
using Interstice.Abi.Types;

namespace Interstice.Core.Modules;

/// <summary>A reducer or query of a loaded module: its schema, export and argument type.</summary>
internal sealed class FunctionBinding
{
    public FunctionBinding(string module, int index, ReducerSchema reducer, bool isHandler)
    {
        Module = module;
        Index = index;
        Name = reducer.Name;
        ArgsType = reducer.ArgsType;
        Args = reducer.Args;
        IsHandler = isHandler;
        ExportName = Exports.Reducer(reducer.Name);
    }

    public FunctionBinding(string module, int index, QuerySchema query)
    {
        Module = module;
        Index = index;
        Name = query.Name;
        ArgsType = query.ArgsType;
        Args = query.Args;
        Returns = query.Returns;
        IsQuery = true;
        ExportName = Exports.Query(query.Name);
    }

    public string Module { get; }

    /// <summary>The position among the module's reducers (or queries), in canonical order.</summary>
    public int Index { get; }

    public string Name { get; }

    /// <summary>The type of the encoded arguments: the tuple of the argument types.</summary>
    public TupleType ArgsType { get; }

    public EquatableArray<Field> Args { get; }

    /// <summary>A query's result type; null for reducers.</summary>
    public AbiType? Returns { get; }

    public bool IsQuery { get; }

    /// <summary>A reducer that handles a subscription: only the node calls it.</summary>
    public bool IsHandler { get; }

    public string ExportName { get; }

    public override string ToString() => Module + "." + Name;
}
