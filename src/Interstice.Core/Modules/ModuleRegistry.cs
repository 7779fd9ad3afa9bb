namespace Interstice.Core.Modules;

/// <summary>
/// The loaded modules, by name and in load order. Changed only by the executor (module loads and
/// unloads are serialized with calls); read by anyone without locking: each change publishes a new
/// snapshot.
/// </summary>
internal sealed class ModuleRegistry
{
    private Snapshot _snapshot = new(new Dictionary<string, LoadedModule>(StringComparer.Ordinal), []);

    /// <summary>The loaded modules in load order.</summary>
    public IReadOnlyList<LoadedModule> All => Volatile.Read(ref _snapshot).InOrder;

    public bool TryGet(string name, out LoadedModule module) => Volatile.Read(ref _snapshot).ByName.TryGetValue(name, out module!);

    public bool IsLoaded(string name) => Volatile.Read(ref _snapshot).ByName.ContainsKey(name);

    public void Add(LoadedModule module)
    {
        var current = _snapshot;
        var byName = new Dictionary<string, LoadedModule>(current.ByName, StringComparer.Ordinal) { [module.Name] = module };
        Volatile.Write(ref _snapshot, new Snapshot(byName, [.. current.InOrder, module]));
    }

    public void Remove(LoadedModule module)
    {
        var current = _snapshot;
        var byName = new Dictionary<string, LoadedModule>(current.ByName, StringComparer.Ordinal);
        byName.Remove(module.Name);
        Volatile.Write(ref _snapshot, new Snapshot(byName, Array.FindAll(current.InOrder, m => m != module)));
    }

    private sealed record Snapshot(Dictionary<string, LoadedModule> ByName, LoadedModule[] InOrder);
}
