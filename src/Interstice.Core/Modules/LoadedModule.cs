using Interstice.Abi.Schema;
using Interstice.Core.Execution;
using Interstice.Wasm;

namespace Interstice.Core.Modules;

/// <summary>
/// A module running on the node: its schema and compiled code, its tables, reducers and queries,
/// and its instances. Reducers (and queries they call) run on one instance, used only by the
/// executor; queries from outside run on a small pool of instances of their own, concurrently.
/// An instance that trapped is discarded and replaced by a fresh one on next use: its memory is
/// scratch, its state lives in tables.
/// </summary>
internal sealed class LoadedModule
{
    private readonly Stack<GuestInstance> _queryInstances = new();
    private readonly HostEnvironment _environment;
    private GuestInstance? _writer;
    private volatile bool _unloaded;

    public LoadedModule(ModuleContract contract, TableBinding[] tables, HostEnvironment environment)
    {
        Schema = contract.Schema;
        Compiled = contract.Module;
        Tables = tables;
        _environment = environment;
        Functions = new ModuleFunctions(Schema);
        Info = new ModuleInfo(Name, Schema.Version, ContentHash, Schema);
    }

    public string Name => Schema.Name;

    public ModuleSchema Schema { get; }

    public Module Compiled { get; }

    /// <summary>SHA-256 of the module's binary, lowercase hex.</summary>
    public string ContentHash => Compiled.ContentHash;

    public bool IsPublic => Schema.Visibility == Visibility.Public;

    /// <summary>False once the module was unloaded (a caller that found it before may still hold it).</summary>
    public bool IsLoaded => !_unloaded;

    /// <summary>The tables, by table id (position in the schema).</summary>
    public TableBinding[] Tables { get; }

    /// <summary>The reducers and queries.</summary>
    public ModuleFunctions Functions { get; }

    /// <summary>The reducers, in canonical order.</summary>
    public FunctionBinding[] Reducers => Functions.Reducers;

    /// <summary>The queries, in canonical order.</summary>
    public FunctionBinding[] Queries => Functions.Queries;

    public ModuleInfo Info { get; }

    public FunctionBinding? FindReducer(string name) => Functions.FindReducer(name);

    public FunctionBinding? FindQuery(string name) => Functions.FindQuery(name);

    public TableBinding? FindTable(string name)
    {
        int id = Schema.FindTable(name);
        return id < 0 ? null : Tables[id];
    }

    /// <summary>The instance reducers run on (executor only); created on first use, and again after a trap.</summary>
    public GuestInstance Writer
    {
        get
        {
            var writer = _writer;
            if (writer is { IsBroken: false }) return writer;
            writer?.Dispose();
            return _writer = GuestInstance.Create(this, _environment);
        }
    }

    /// <summary>Takes an instance for a query from outside; give it back with <see cref="ReturnQueryInstance"/>.</summary>
    public GuestInstance RentQueryInstance()
    {
        lock (_queryInstances)
        {
            if (_queryInstances.TryPop(out var guest)) return guest;
        }
        return GuestInstance.Create(this, _environment);
    }

    public void ReturnQueryInstance(GuestInstance guest)
    {
        if (!guest.IsBroken)
        {
            lock (_queryInstances)
            {
                if (!_unloaded && _queryInstances.Count < _environment.Options.QueryInstancesPerModule)
                {
                    _queryInstances.Push(guest);
                    return;
                }
            }
        }
        guest.Dispose();
    }

    /// <summary>Releases the instances; queries still running finish on theirs and dispose them.</summary>
    public void Unload()
    {
        lock (_queryInstances)
        {
            _unloaded = true;
            while (_queryInstances.TryPop(out var guest)) guest.Dispose();
        }
        _writer?.Dispose();
        _writer = null;
    }

    public override string ToString() => Name;
}
