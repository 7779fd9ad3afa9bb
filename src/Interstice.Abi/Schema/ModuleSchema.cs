using Interstice.Abi.Encoding;
using Interstice.Abi.Types;

namespace Interstice.Abi.Schema;

/// <summary>
/// A module's interface (docs/abi.md section 4): what it is, its types, tables, reducers, queries,
/// subscriptions and dependencies. Read one from a module with <see cref="SchemaRecords.Assemble"/>,
/// from its canonical encoding with <see cref="SchemaBinary.Decode"/>, or from JSON with
/// <see cref="SchemaJson.Parse"/>; each of those returns a canonical, validated schema.
/// </summary>
public sealed record ModuleSchema(
    uint AbiVersion,
    string Name,
    string Version,
    Visibility Visibility,
    EquatableArray<string> Authorities,
    EquatableArray<TypeDefinition> Types,
    EquatableArray<TableSchema> Tables,
    EquatableArray<ReducerSchema> Reducers,
    EquatableArray<QuerySchema> Queries,
    EquatableArray<SubscriptionSchema> Subscriptions,
    EquatableArray<DependencySchema> Dependencies)
{
    private TypeTable? _typeTable;
    private ValueValidators? _validators;
    private Dictionary<string, int>? _tableIds;
    private Dictionary<string, ReducerSchema>? _reducers;
    private Dictionary<string, QuerySchema>? _queries;

    /// <summary>
    /// Copies every property but none of the lookups built from them: a copy made with
    /// <c>with</c> may change the lists they were built from.
    /// </summary>
    private ModuleSchema(ModuleSchema original)
    {
        AbiVersion = original.AbiVersion;
        Name = original.Name;
        Version = original.Version;
        Visibility = original.Visibility;
        Authorities = original.Authorities;
        Types = original.Types;
        Tables = original.Tables;
        Reducers = original.Reducers;
        Queries = original.Queries;
        Subscriptions = original.Subscriptions;
        Dependencies = original.Dependencies;
    }

    /// <summary>The schema's type definitions by name, to resolve named types.</summary>
    public TypeTable TypeTable => _typeTable ??= new TypeTable(Types);

    /// <summary>
    /// The checks of values of this schema's types (rows, columns, arguments, results), all
    /// compiled by one compiler so that each named type is compiled once for the schema.
    /// </summary>
    public ValueValidators Validators => LazyInitializer.EnsureInitialized(ref _validators, () => new ValueValidators(TypeTable));

    /// <inheritdoc/>
    public bool Equals(ModuleSchema? other) =>
        other is not null
        && AbiVersion == other.AbiVersion && Name == other.Name && Version == other.Version && Visibility == other.Visibility
        && Authorities == other.Authorities && Types == other.Types && Tables == other.Tables && Reducers == other.Reducers
        && Queries == other.Queries && Subscriptions == other.Subscriptions && Dependencies == other.Dependencies;

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Name, Version, Types, Tables, Reducers, Queries, Subscriptions, Dependencies);

    // The lookups below are built on first use: a schema may declare any number of items, and a
    // scan per lookup would make checking or serving a large one quadratic. Where a name is
    // declared twice (an invalid schema) each finds the first, as a scan would.

    /// <summary>The table id (position in <see cref="Tables"/>) of the table named <paramref name="name"/>, or -1.</summary>
    public int FindTable(string name) => (_tableIds ??= IndexTables()).GetValueOrDefault(name, -1);

    /// <summary>The reducer named <paramref name="name"/>, or null.</summary>
    public ReducerSchema? FindReducer(string name) => (_reducers ??= ByName(Reducers, static r => r.Name)).GetValueOrDefault(name);

    /// <summary>The query named <paramref name="name"/>, or null.</summary>
    public QuerySchema? FindQuery(string name) => (_queries ??= ByName(Queries, static q => q.Name)).GetValueOrDefault(name);

    private Dictionary<string, int> IndexTables()
    {
        var ids = new Dictionary<string, int>(Tables.Count, StringComparer.Ordinal);
        for (int i = 0; i < Tables.Count; i++) ids.TryAdd(Tables[i].Name, i);
        return ids;
    }

    private static Dictionary<string, T> ByName<T>(EquatableArray<T> items, Func<T, string> name)
    {
        var byName = new Dictionary<string, T>(items.Count, StringComparer.Ordinal);
        foreach (var item in items) byName.TryAdd(name(item), item);
        return byName;
    }

    /// <summary>The struct that defines the rows of <paramref name="table"/>, or null when the schema does not define it.</summary>
    public StructDefinition? RowType(TableSchema table) => TypeTable.Find(table.Row) as StructDefinition;

    /// <summary>
    /// The same schema with every list in canonical order (docs/abi.md section 4.1). Items that are
    /// exactly equal (identical records) are merged; other duplicates stay for the validator to report.
    /// </summary>
    public ModuleSchema Canonicalize() => this with
    {
        Authorities = Authorities.Order(StringComparer.Ordinal).ToArray(),
        Types = SortDistinct(Types, static t => t.Name),
        Tables = SortDistinct(Tables.Select(static t => t with
        {
            AutoInc = t.AutoInc.Order().ToArray(),
            Indexes = SortDistinct(t.Indexes, static i => i.Name),
        }), static t => t.Name),
        Reducers = SortDistinct(Reducers, static r => r.Name),
        Queries = SortDistinct(Queries, static q => q.Name),
        Subscriptions = SortDistinct(Subscriptions, static s => s.SortKey),
        Dependencies = SortDistinct(Dependencies, static d => d.SortKey),
    };

    private static EquatableArray<T> SortDistinct<T>(IEnumerable<T> items, Func<T, string> key) =>
        items.Distinct().OrderBy(key, StringComparer.Ordinal).ToArray();
}

/// <summary>Who may use a module's reducers, queries and table events (docs/abi.md section 4.7).</summary>
public enum Visibility : byte
{
    /// <summary>Modules on the same node only.</summary>
    Private = 0,

    /// <summary>Also modules on other nodes and clients.</summary>
    Public = 1,
}
