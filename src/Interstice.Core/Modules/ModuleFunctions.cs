using Interstice.Abi.Schema;

namespace Interstice.Core.Modules;

/// <summary>
/// A module's reducers and queries as its schema declares them, each bound to its export and the
/// checks of its arguments: what a loaded module calls, and what a start's rehearsal checks
/// calls against without instantiating the module.
/// </summary>
internal sealed class ModuleFunctions
{
    private readonly Dictionary<string, FunctionBinding> _reducers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FunctionBinding> _queries = new(StringComparer.Ordinal);

    public ModuleFunctions(ModuleSchema schema)
    {
        Module = schema.Name;
        var handlers = new HashSet<string>(StringComparer.Ordinal);
        foreach (var subscription in schema.Subscriptions) handlers.Add(subscription.Reducer);
        var validators = schema.Validators;
        Reducers = new FunctionBinding[schema.Reducers.Count];
        for (int i = 0; i < Reducers.Length; i++)
        {
            var reducer = schema.Reducers[i];
            Reducers[i] = new FunctionBinding(schema.Name, i, reducer, handlers.Contains(reducer.Name), validators);
            _reducers.Add(reducer.Name, Reducers[i]);
        }
        Queries = new FunctionBinding[schema.Queries.Count];
        for (int i = 0; i < Queries.Length; i++)
        {
            Queries[i] = new FunctionBinding(schema.Name, i, schema.Queries[i], validators);
            _queries.Add(Queries[i].Name, Queries[i]);
        }
    }

    /// <summary>The module's name.</summary>
    public string Module { get; }

    /// <summary>The reducers, in canonical order.</summary>
    public FunctionBinding[] Reducers { get; }

    /// <summary>The queries, in canonical order.</summary>
    public FunctionBinding[] Queries { get; }

    public FunctionBinding? FindReducer(string name) => _reducers.GetValueOrDefault(name);

    public FunctionBinding? FindQuery(string name) => _queries.GetValueOrDefault(name);
}
