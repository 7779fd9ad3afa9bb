using Interstice.Abi.Encoding;
using Interstice.Abi.Types;

namespace Interstice.Abi.Schema;

/// <summary>
/// Checks every rule of docs/abi.md section 6 and reports each violation with the path of the item
/// concerned (<c>table 'greetings' column 'id'</c>) and what is wrong.
/// </summary>
public static class SchemaValidator
{
    /// <summary>Every problem of <paramref name="schema"/>; empty when it is valid.</summary>
    public static IReadOnlyList<string> Validate(ModuleSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var check = new Checker(schema);
        check.Run();
        return check.Errors;
    }

    /// <summary>Throws <see cref="SchemaException"/> listing every problem unless <paramref name="schema"/> is valid.</summary>
    public static void ThrowIfInvalid(ModuleSchema schema)
    {
        var errors = Validate(schema);
        if (errors.Count > 0) throw new SchemaException(errors);
    }

    // Lookups by name go through hash sets and ModuleSchema's dictionaries, never a scan per item:
    // a hostile schema may declare tens of thousands of reducers, queries or subscriptions.
    private sealed class Checker(ModuleSchema schema)
    {
        private readonly TypeTable _types = schema.TypeTable;
        private readonly HashSet<string> _dependencyModules = schema.Dependencies.Select(static d => d.Module).ToHashSet(StringComparer.Ordinal);
        private readonly HashSet<(string Module, string? Node)> _dependencies = schema.Dependencies.Select(static d => (d.Module, d.Node)).ToHashSet();

        public List<string> Errors { get; } = [];

        public void Run()
        {
            if (schema.AbiVersion != AbiVersion.Current)
                Error($"abi_version {schema.AbiVersion} is not supported (expected {AbiVersion.Current})");
            if (!Names.IsModuleName(schema.Name))
                Error($"module name '{schema.Name}' must match [A-Za-z][A-Za-z0-9_-]* (at most {Names.MaxLength} bytes)");
            if (!SemanticVersion.TryParse(schema.Version, out _, out string? versionError))
                Error($"module version: {versionError}");

            foreach (string authority in schema.Authorities)
            {
                if (!Names.IsIdentifier(authority)) Error($"authority '{authority}' is not an identifier");
            }
            CheckOrder(schema.Authorities, static a => a, "authority");

            CheckTypes();
            CheckTables();
            CheckFunctions();
            CheckSubscriptions();
            CheckDependencies();
        }

        private void CheckTypes()
        {
            CheckOrder(schema.Types, static t => t.Name, "type");
            foreach (var definition in schema.Types)
            {
                string path = $"type '{definition.Name}'";
                if (!Names.TrySplitTypeName(definition.Name, out string? module, out _))
                    Error($"{path}: a type name is an identifier (not a type keyword), or '<module>.<identifier>' for a type imported from a dependency");
                else if (module is not null && !_dependencyModules.Contains(module))
                    Error($"{path}: is qualified with module '{module}', which is not a declared dependency");

                switch (definition)
                {
                    case StructDefinition s:
                        // An empty struct's fields count towards its own parts, reported once for the struct.
                        CheckFields(s.Fields, path, "field", checkZeroByteParts: !ZeroByteParts().ContainsKey(s.Name));
                        break;
                    case EnumDefinition e:
                        if (e.Variants.Count == 0) Error($"{path}: an enum needs at least one variant");
                        CheckDistinct(e.Variants.Select(static v => v.Name), $"{path}", "variant");
                        foreach (var variant in e.Variants)
                        {
                            string variantPath = $"{path} variant '{variant.Name}'";
                            if (!Names.IsIdentifier(variant.Name)) Error($"{variantPath}: the name is not an identifier");
                            if (variant.Kind == VariantKind.Struct) CheckFields(variant.Fields, variantPath, "field");
                            else
                            {
                                foreach (var field in variant.Fields)
                                {
                                    CheckType(field.Type, $"{variantPath} element {field.Name}");
                                    CheckZeroByteParts(field.Type, $"{variantPath} element {field.Name}");
                                }
                            }
                        }
                        break;
                }
            }
            CheckFiniteTypes();
            foreach (var definition in schema.Types)
            {
                if (ZeroByteParts().TryGetValue(definition.Name, out long parts) && parts > ValueCodec.MaxZeroByteParts && ReferenceEquals(_types.Find(definition.Name), definition))
                    Error($"type '{definition.Name}': a value of it encodes to zero bytes yet holds more than {ValueCodec.MaxZeroByteParts} parts");
            }
        }

        private void CheckFields(EquatableArray<Field> fields, string path, string what, bool checkZeroByteParts = true)
        {
            CheckDistinct(fields.Select(static f => f.Name), path, what);
            foreach (var field in fields)
            {
                string fieldPath = $"{path} {what} '{field.Name}'";
                if (!Names.IsIdentifier(field.Name)) Error($"{fieldPath}: the name is not an identifier");
                CheckType(field.Type, fieldPath);
                if (checkZeroByteParts) CheckZeroByteParts(field.Type, fieldPath);
            }
        }

        /// <summary>
        /// An anonymous tuple that encodes to zero bytes is bounded like an empty struct (a named
        /// type is reported where it is defined).
        /// </summary>
        private void CheckZeroByteParts(AbiType type, string path)
        {
            if (type is TupleType && CanBeEmpty(type) && PartsOfZeroBytes(type, ZeroByteParts()) > ValueCodec.MaxZeroByteParts)
                Error($"{path}: a value of {type} encodes to zero bytes yet holds more than {ValueCodec.MaxZeroByteParts} parts");
        }

        /// <summary>Named types resolve, and vec elements cannot encode to zero bytes.</summary>
        private void CheckType(AbiType type, string path)
        {
            switch (type)
            {
                case OptionType option:
                    CheckType(option.Element, path);
                    break;
                case VecType vec:
                    CheckType(vec.Element, path);
                    if (CanBeEmpty(vec.Element)) Error($"{path}: {type} has elements that encode to zero bytes; such a vec cannot be decoded safely (store a count instead)");
                    break;
                case TupleType tuple:
                    foreach (var element in tuple.Elements) CheckType(element, path);
                    break;
                case NamedType named:
                    if (_types.Find(named.Name) is null) Error($"{path}: unknown type '{named.Name}'");
                    break;
            }
        }

        /// <summary>True when a value of <paramref name="type"/> can encode to zero bytes (unit, empty structs, tuples of those).</summary>
        private bool CanBeEmpty(AbiType type) => type switch
        {
            TupleType tuple => tuple.Elements.All(CanBeEmpty),
            NamedType named => ZeroByteParts().ContainsKey(named.Name),
            _ => false,
        };

        private Dictionary<string, long>? _zeroByteParts;

        /// <summary>
        /// The structs whose values encode to zero bytes (every field a unit, an empty struct or a
        /// tuple of those), each with the parts such a value decodes to, saturating just past
        /// <see cref="ValueCodec.MaxZeroByteParts"/>. Counted in the order the fixpoint found them, each
        /// struct after the structs it holds, so a chain of any length costs no recursion.
        /// </summary>
        private Dictionary<string, long> ZeroByteParts()
        {
            if (_zeroByteParts != null) return _zeroByteParts;
            var clauses = new List<TypeFixpoint.Clause>();
            var structs = new Dictionary<string, StructDefinition>(StringComparer.Ordinal);
            foreach (var definition in schema.Types)
            {
                // A name declared twice (reported elsewhere) means the definition named types resolve to.
                if (definition is not StructDefinition s || !ReferenceEquals(_types.Find(s.Name), s)) continue;
                var needs = new HashSet<string>(StringComparer.Ordinal);
                if (s.Fields.All(f => CollectEmptyNeeds(f.Type, needs)))
                {
                    clauses.Add(new(s.Name, needs));
                    structs[s.Name] = s;
                }
            }
            var solution = TypeFixpoint.Solve(clauses);
            var parts = new Dictionary<string, long>(solution.Order.Count, StringComparer.Ordinal);
            foreach (string name in solution.Order)
            {
                long total = 1;
                foreach (var field in structs[name].Fields) total = Saturate(total + PartsOfZeroBytes(field.Type, parts));
                parts[name] = total;
            }
            return _zeroByteParts = parts;
        }

        /// <summary>
        /// The parts a zero-byte value of <paramref name="type"/> (a tuple of units and empty
        /// structs, the structs' counts in <paramref name="parts"/>) decodes to, saturating.
        /// Recurses only into nested tuples, whose depth the type syntax bounds.
        /// </summary>
        private static long PartsOfZeroBytes(AbiType type, Dictionary<string, long> parts)
        {
            switch (type)
            {
                case TupleType tuple:
                    long total = 1;
                    foreach (var element in tuple.Elements) total = Saturate(total + PartsOfZeroBytes(element, parts));
                    return total;
                case NamedType named:
                    return parts[named.Name];
                default:
                    throw new InvalidOperationException($"{type} never encodes to zero bytes");
            }
        }

        private static long Saturate(long parts) => Math.Min(parts, ValueCodec.MaxZeroByteParts + 1L);

        /// <summary>
        /// Adds to <paramref name="needs"/> the structs <paramref name="type"/> is made of; false
        /// when it holds anything else (which never encodes to zero bytes).
        /// </summary>
        private bool CollectEmptyNeeds(AbiType type, HashSet<string> needs)
        {
            switch (type)
            {
                case TupleType tuple:
                    return tuple.Elements.All(e => CollectEmptyNeeds(e, needs));
                case NamedType named when _types.Find(named.Name) is StructDefinition:
                    needs.Add(named.Name);
                    return true;
                default:
                    return false;
            }
        }

        /// <summary>
        /// Every type definition must have a finite value: a struct that contains itself without an
        /// option, a vec or an enum variant that ends the recursion could never be encoded.
        /// </summary>
        private void CheckFiniteTypes()
        {
            var clauses = new List<TypeFixpoint.Clause>();
            foreach (var definition in schema.Types)
            {
                switch (definition)
                {
                    case StructDefinition s:
                        clauses.Add(new(s.Name, FiniteNeeds(s.Fields)));
                        break;
                    case EnumDefinition e:
                        // Finite once any one variant is.
                        foreach (var variant in e.Variants) clauses.Add(new(e.Name, FiniteNeeds(variant.Fields)));
                        break;
                    default:
                        clauses.Add(new(definition.Name, []));
                        break;
                }
            }
            var finite = TypeFixpoint.Solve(clauses).Members;
            foreach (var definition in schema.Types)
            {
                if (!finite.Contains(definition.Name) && (definition is not EnumDefinition e || e.Variants.Count > 0))
                    Error($"type '{definition.Name}' has no finite value: it contains itself without an option, a vec or an enum variant that ends the recursion");
            }
        }

        /// <summary>The defined named types that must have finite values for <paramref name="fields"/> to have one (an option or a vec always has: none, empty).</summary>
        private HashSet<string> FiniteNeeds(EquatableArray<Field> fields)
        {
            var needs = new HashSet<string>(StringComparer.Ordinal);
            foreach (var field in fields) CollectFiniteNeeds(field.Type, needs);
            return needs;
        }

        private void CollectFiniteNeeds(AbiType type, HashSet<string> needs)
        {
            switch (type)
            {
                case TupleType tuple:
                    foreach (var element in tuple.Elements) CollectFiniteNeeds(element, needs);
                    break;
                case NamedType named when _types.Find(named.Name) is not null:
                    needs.Add(named.Name);
                    break;
            }
        }

        private void CheckTables()
        {
            CheckOrder(schema.Tables, static t => t.Name, "table");
            foreach (var table in schema.Tables)
            {
                string path = $"table '{table.Name}'";
                if (!Names.IsIdentifier(table.Name)) Error($"{path}: the name is not an identifier");
                var definition = _types.Find(table.Row);
                if (definition is not StructDefinition row)
                {
                    Error(definition is null
                        ? $"{path}: row type '{table.Row}' is not defined"
                        : $"{path}: row type '{table.Row}' is an enum; rows are structs");
                    continue;
                }
                if (table.Row.Contains('.')) Error($"{path}: row type '{table.Row}' is imported; a table's rows are one of the module's own structs");
                if (row.Fields.Count == 0)
                {
                    Error($"{path}: row type '{table.Row}' has no fields; a table needs at least its primary key column");
                    continue;
                }

                if (CheckColumn(table.PrimaryKey, row, $"{path} primary key") is { } pk && !_types.IsIndexable(pk.Type))
                    Error($"{path} primary key '{pk.Name}': type {pk.Type} cannot be a key; keys are bool, integers, string, bytes or enums of unit variants");

                CheckAscending(table.AutoInc, $"{path} auto_inc");
                foreach (int column in table.AutoInc)
                {
                    if (CheckColumn(column, row, $"{path} auto_inc") is { } field && !field.Type.IsInteger)
                        Error($"{path} column '{field.Name}': auto_inc needs an integer column (u8..u64, i8..i64), not {field.Type}");
                }

                CheckOrder(table.Indexes, static i => i.Name, $"{path} index");
                foreach (var index in table.Indexes)
                {
                    string indexPath = $"{path} index '{index.Name}'";
                    if (!Names.IsIdentifier(index.Name)) Error($"{indexPath}: the name is not an identifier");
                    if (index.Kind is not (IndexKind.Hash or IndexKind.BTree)) Error($"{indexPath}: unknown index kind {(int)index.Kind}");
                    if (index.Columns.Count == 0) Error($"{indexPath}: an index needs at least one column");
                    if (index.Columns.Distinct().Count() != index.Columns.Count) Error($"{indexPath}: a column appears twice");
                    foreach (int column in index.Columns)
                    {
                        if (CheckColumn(column, row, indexPath) is { } field && !_types.IsIndexable(field.Type))
                            Error($"{indexPath} column '{field.Name}': type {field.Type} cannot be indexed; indexable types are bool, integers, string, bytes and enums of unit variants");
                    }
                }
            }
        }

        private Field? CheckColumn(int column, StructDefinition row, string path)
        {
            if ((uint)column < (uint)row.Fields.Count) return row.Fields[column];
            Error($"{path}: column {column} does not exist (row type '{row.Name}' has {row.Fields.Count} columns)");
            return null;
        }

        private void CheckFunctions()
        {
            CheckOrder(schema.Reducers, static r => r.Name, "reducer");
            CheckOrder(schema.Queries, static q => q.Name, "query");
            foreach (var reducer in schema.Reducers)
            {
                string path = $"reducer '{reducer.Name}'";
                if (!Names.IsIdentifier(reducer.Name)) Error($"{path}: the name is not an identifier");
                if (schema.FindQuery(reducer.Name) is not null) Error($"{path}: a query has the same name; reducers and queries share one name space");
                CheckFields(reducer.Args, path, "argument");
            }
            foreach (var query in schema.Queries)
            {
                string path = $"query '{query.Name}'";
                if (!Names.IsIdentifier(query.Name)) Error($"{path}: the name is not an identifier");
                CheckFields(query.Args, path, "argument");
                CheckType(query.Returns, $"{path} result");
                CheckZeroByteParts(query.Returns, $"{path} result");
            }
        }

        private void CheckSubscriptions()
        {
            CheckOrder(schema.Subscriptions, static s => s.SortKey, "subscription", static s => $"{s.Reducer} on {s.Event}");
            foreach (var subscription in schema.Subscriptions)
            {
                string path = $"subscription of reducer '{subscription.Reducer}' to '{subscription.Event}'";
                var reducer = schema.FindReducer(subscription.Reducer);
                if (reducer is null)
                {
                    Error($"{path}: there is no reducer '{subscription.Reducer}'");
                    continue;
                }
                if (subscription.Event is not TableEvent e)
                {
                    if (reducer.Args.Count != 0) Error($"{path}: an init handler takes no arguments, it takes {reducer.Args.Count}");
                    continue;
                }

                if (e.Node is not null && !Names.IsModuleName(e.Node)) Error($"{path}: node name '{e.Node}' is not valid");
                if (!Names.IsModuleName(e.Module)) Error($"{path}: module name '{e.Module}' is not valid");
                if (!Names.IsIdentifier(e.Table)) Error($"{path}: table name '{e.Table}' is not an identifier");
                if (reducer.Args.Count != e.RowArgumentCount)
                {
                    Error(e.Kind == TableEventKind.Update
                        ? $"{path}: an update handler takes two arguments, the old row and the new row; it takes {reducer.Args.Count}"
                        : $"{path}: an {e.Kind.ToString().ToLowerInvariant()} handler takes one argument, the row; it takes {reducer.Args.Count}");
                    continue;
                }

                if (e.Node is null && e.Module == schema.Name)
                {
                    int tableId = schema.FindTable(e.Table);
                    if (tableId < 0)
                    {
                        Error($"{path}: this module has no table '{e.Table}'");
                        continue;
                    }
                    var rowType = new NamedType(schema.Tables[tableId].Row);
                    foreach (var arg in reducer.Args)
                    {
                        if (arg.Type != rowType) Error($"{path}: argument '{arg.Name}' has type {arg.Type}; the event passes rows of type {rowType}");
                    }
                    continue;
                }

                if (!_dependencies.Contains((e.Module, e.Node)))
                    Error($"{path}: module '{e.Module}'{(e.Node is null ? "" : $" on node '{e.Node}'")} is not a declared dependency");
                foreach (var arg in reducer.Args)
                {
                    if (arg.Type is not NamedType named || !named.Name.StartsWith(e.Module + ".", StringComparison.Ordinal))
                        Error($"{path}: argument '{arg.Name}' has type {arg.Type}; the event passes rows of a type imported from '{e.Module}' ('{e.Module}.<Row>')");
                }
                if (reducer.Args.Count == 2 && reducer.Args[0].Type != reducer.Args[1].Type)
                    Error($"{path}: the old and new rows must have the same type, not {reducer.Args[0].Type} and {reducer.Args[1].Type}");
            }
        }

        private void CheckDependencies()
        {
            CheckOrder(schema.Dependencies, static d => d.SortKey, "dependency", static d => d.Node is null ? d.Module : $"{d.Module} on node {d.Node}");
            foreach (var dependency in schema.Dependencies)
            {
                string path = $"dependency '{dependency.Module}'";
                if (!Names.IsModuleName(dependency.Module)) Error($"{path}: module name is not valid");
                if (dependency.Node is not null && !Names.IsModuleName(dependency.Node)) Error($"{path}: node name '{dependency.Node}' is not valid");
                if (dependency.Module == schema.Name && dependency.Node is null) Error($"{path}: a module cannot depend on itself");
                if (!VersionRequirement.TryParse(dependency.Version, out _, out string? error)) Error($"{path}: {error}");
            }
        }

        private void CheckOrder<T>(EquatableArray<T> items, Func<T, string> key, string what, Func<T, string>? describe = null)
        {
            describe ??= key;
            for (int i = 1; i < items.Count; i++)
            {
                int c = string.CompareOrdinal(key(items[i - 1]), key(items[i]));
                if (c == 0) Error($"{what} '{describe(items[i])}' is declared twice");
                else if (c > 0) Error($"{what} '{describe(items[i])}' is out of canonical order (lists are sorted by name)");
            }
        }

        private void CheckDistinct(IEnumerable<string> names, string path, string what)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (string name in names)
            {
                if (!seen.Add(name)) Error($"{path}: {what} '{name}' is declared twice");
            }
        }

        private void CheckAscending(EquatableArray<int> columns, string path)
        {
            for (int i = 1; i < columns.Count; i++)
            {
                if (columns[i - 1] == columns[i]) Error($"{path}: column {columns[i]} is listed twice");
                else if (columns[i - 1] > columns[i]) Error($"{path}: columns are not in ascending order");
            }
        }

        private void Error(string message) => Errors.Add(message);
    }
}
