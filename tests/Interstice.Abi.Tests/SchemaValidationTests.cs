using Interstice.Abi.Encoding;
using Interstice.Abi.Schema;
using Interstice.Abi.Types;

namespace Interstice.Abi.Tests;

/// <summary>Each rule of docs/abi.md section 6 rejects a schema that breaks it, with a message naming the item.</summary>
public class SchemaValidationTests
{
    private static readonly NamedType Row = new("Row");
    private static readonly NamedType Mood = new("Mood");

    /// <summary>A small valid schema: table 'items' (Row: id u64 auto_inc, name string, mood Mood), a reducer, a query, an init handler.</summary>
    private static ModuleSchema Base() => new(
        1, "shop", "1.0.0", Visibility.Private, [],
        [
            new EnumDefinition("Mood", [Variant.Unit("Happy"), Variant.Unit("Sad")]),
            new StructDefinition("Row", [new Field("id", AbiType.U64), new Field("name", AbiType.String), new Field("mood", Mood)]),
        ],
        [new TableSchema("items", "Row", 0, [0], [new IndexSchema("name", [1], IndexKind.Hash, true)], false)],
        [new ReducerSchema("add", [new Field("name", AbiType.String)]), new ReducerSchema("setup", [])],
        [new QuerySchema("count", [], AbiType.U64)],
        [new SubscriptionSchema("setup", ModuleEvent.Init)],
        []);

    private static void AssertInvalid(ModuleSchema schema, string expected)
    {
        var errors = SchemaValidator.Validate(schema);
        Assert.True(errors.Any(e => e.Contains(expected, StringComparison.Ordinal)),
            $"expected an error containing \"{expected}\", got:{Environment.NewLine}{string.Join(Environment.NewLine, errors)}");
    }

    private static ModuleSchema WithTypes(params TypeDefinition[] extra) => Base() with { Types = Base().Types.Concat(extra).OrderBy(t => t.Name, StringComparer.Ordinal).ToArray() };

    private static ModuleSchema WithTable(TableSchema table) => Base() with { Tables = [table] };

    private static ModuleSchema WithReducer(ReducerSchema reducer, SubscriptionSchema subscription, params DependencySchema[] dependencies)
    {
        var b = Base();
        return b with
        {
            Reducers = b.Reducers.Append(reducer).OrderBy(r => r.Name, StringComparer.Ordinal).ToArray(),
            Subscriptions = [subscription, .. b.Subscriptions],
            Dependencies = dependencies,
        };
    }

    [Fact]
    public void The_base_schema_is_valid() => Assert.Empty(SchemaValidator.Validate(Base()));

    [Fact]
    public void Unsupported_abi_version() => AssertInvalid(Base() with { AbiVersion = 2 }, "abi_version 2 is not supported");

    [Theory]
    [InlineData("1shop")]
    [InlineData("my.shop")]
    [InlineData("")]
    public void Bad_module_name(string name) => AssertInvalid(Base() with { Name = name }, $"module name '{name}' must match");

    [Theory]
    [InlineData("1.0")]
    [InlineData("01.0.0")]
    [InlineData("1.0.0-")]
    public void Bad_version(string version) => AssertInvalid(Base() with { Version = version }, "module version:");

    [Fact]
    public void Long_names_are_rejected() =>
        AssertInvalid(Base() with { Reducers = [new ReducerSchema(new string('r', 129), []), new ReducerSchema("setup", [])] }, "the name is not an identifier");

    [Fact]
    public void Bad_authority() => AssertInvalid(Base() with { Authorities = ["gpu-x"] }, "authority 'gpu-x' is not an identifier");

    [Fact]
    public void Duplicate_authority() => AssertInvalid(Base() with { Authorities = ["Gpu", "Gpu"] }, "authority 'Gpu' is declared twice");

    [Fact]
    public void Type_named_like_a_keyword() => AssertInvalid(WithTypes(new StructDefinition("bytes", [])), "type 'bytes': a type name is an identifier (not a type keyword)");

    [Fact]
    public void Qualified_type_without_dependency() =>
        AssertInvalid(WithTypes(new StructDefinition("bank.Account", [new Field("owner", AbiType.String)])), "type 'bank.Account': is qualified with module 'bank', which is not a declared dependency");

    [Fact]
    public void Duplicate_type() => AssertInvalid(WithTypes(new StructDefinition("Row", [])), "type 'Row' is declared twice");

    [Fact]
    public void Duplicate_field() =>
        AssertInvalid(WithTypes(new StructDefinition("P", [new Field("x", AbiType.U8), new Field("x", AbiType.U8)])), "type 'P': field 'x' is declared twice");

    [Fact]
    public void Bad_field_name() => AssertInvalid(WithTypes(new StructDefinition("P", [new Field("x y", AbiType.U8)])), "type 'P' field 'x y': the name is not an identifier");

    [Fact]
    public void Empty_enum() => AssertInvalid(WithTypes(new EnumDefinition("Never", [])), "type 'Never': an enum needs at least one variant");

    [Fact]
    public void Duplicate_variant() => AssertInvalid(WithTypes(new EnumDefinition("E", [Variant.Unit("A"), Variant.Unit("A")])), "type 'E': variant 'A' is declared twice");

    [Fact]
    public void Unknown_type_in_a_field() =>
        AssertInvalid(WithTypes(new StructDefinition("P", [new Field("m", new OptionType(new VecType(new NamedType("Mode"))))])), "type 'P' field 'm': unknown type 'Mode'");

    [Fact]
    public void Unknown_type_in_a_variant() =>
        AssertInvalid(WithTypes(new EnumDefinition("E", [Variant.Tuple("A", new NamedType("Nope"))])), "type 'E' variant 'A' element 0: unknown type 'Nope'");

    [Fact]
    public void Unknown_type_in_a_query_result() =>
        AssertInvalid(Base() with { Queries = [new QuerySchema("count", [], new NamedType("Count"))] }, "query 'count' result: unknown type 'Count'");

    [Fact]
    public void Out_of_canonical_order() =>
        AssertInvalid(Base() with { Reducers = [new ReducerSchema("setup", []), new ReducerSchema("add", [])] }, "reducer 'add' is out of canonical order");

    [Fact]
    public void A_struct_containing_itself() =>
        AssertInvalid(WithTypes(new StructDefinition("Loop", [new Field("next", new NamedType("Loop"))])), "type 'Loop' has no finite value");

    [Fact]
    public void Structs_containing_each_other_through_a_tuple() =>
        AssertInvalid(WithTypes(
            new StructDefinition("A", [new Field("b", new TupleType([AbiType.U8, new NamedType("B")]))]),
            new StructDefinition("B", [new Field("a", new NamedType("A"))])), "type 'A' has no finite value");

    [Fact]
    public void An_enum_whose_every_variant_recurses() =>
        AssertInvalid(WithTypes(new EnumDefinition("E", [Variant.Tuple("A", new NamedType("E"))])), "type 'E' has no finite value");

    [Fact]
    public void Recursion_through_option_vec_or_a_terminating_variant_is_fine()
    {
        var schema = WithTypes(
            new StructDefinition("List", [new Field("next", new OptionType(new NamedType("List")))]),
            new StructDefinition("Tree", [new Field("children", new VecType(new NamedType("Tree")))]),
            new EnumDefinition("Expr", [Variant.Tuple("Neg", new NamedType("Expr")), Variant.Tuple("Lit", AbiType.I64)]));

        Assert.Empty(SchemaValidator.Validate(schema));
    }

    [Fact]
    public void A_vec_of_zero_sized_elements() =>
        AssertInvalid(WithTypes(new StructDefinition("Empty", []), new StructDefinition("P", [new Field("xs", new VecType(new NamedType("Empty")))])),
            "type 'P' field 'xs': vec<Empty> has elements that encode to zero bytes");

    /// <summary>
    /// A hostile module may chain any number of named types. The checks that follow named types
    /// (finite values, zero-byte vec elements) neither recurse per link (the chain is checked on a
    /// thread with a 256 KiB stack) nor rescan every type per link (quadratic: hours at this size).
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_long_chain_of_named_types_is_checked_without_deep_recursion(bool endsInACycle)
    {
        const int length = 100_000;
        var types = new List<TypeDefinition>(Base().Types);
        for (int i = 0; i < length; i++)
        {
            // Each link's name sorts before the one it holds: the order a pass-per-link check handles worst.
            var next = new NamedType($"C{i + 1:D6}");
            types.Add(new StructDefinition($"C{i:D6}", i < length - 1 ? [new Field("next", next)] : endsInACycle ? [new Field("back", new NamedType("C000000"))] : []));
        }
        types.Add(new StructDefinition("Holder", [new Field("xs", new VecType(new NamedType("C000000")))]));
        types.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        var schema = Base() with { Types = types.ToArray() };

        IReadOnlyList<string> errors = [];
        var thread = new Thread(() => errors = SchemaValidator.Validate(schema), maxStackSize: 256 * 1024);
        thread.Start();
        thread.Join();

        if (endsInACycle)
        {
            Assert.Equal(length, errors.Count(e => e.EndsWith("has no finite value: it contains itself without an option, a vec or an enum variant that ends the recursion", StringComparison.Ordinal)));
            Assert.DoesNotContain(errors, e => e.Contains("zero bytes", StringComparison.Ordinal));
        }
        else
        {
            // Link i holds length - i parts: every link more than 1,024 from the end is over the bound.
            Assert.Equal(length - ValueCodec.MaxZeroByteParts, errors.Count(e => e.EndsWith("encodes to zero bytes yet holds more than 1024 parts", StringComparison.Ordinal)));
            Assert.Contains("type 'C000000': a value of it encodes to zero bytes yet holds more than 1024 parts", errors);
            Assert.DoesNotContain($"type 'C{length - ValueCodec.MaxZeroByteParts:D6}': a value of it encodes to zero bytes yet holds more than 1024 parts", errors);
            Assert.Equal(
                ["type 'Holder' field 'xs': vec<C000000> has elements that encode to zero bytes; such a vec cannot be decoded safely (store a count instead)"],
                errors.Where(e => !e.EndsWith("parts", StringComparison.Ordinal)));
        }
    }

    /// <summary>Z0 { a: Z1, b: Z1 } ... Z24 {}: zero bytes of Z0 would decode to 2^25 - 1 parts.</summary>
    private static StructDefinition[] ZeroByteDag(int levels) =>
        Enumerable.Range(0, levels + 1)
            .Select(i => new StructDefinition($"Z{i:D2}", i < levels ? [new Field("a", new NamedType($"Z{i + 1:D2}")), new Field("b", new NamedType($"Z{i + 1:D2}"))] : []))
            .ToArray();

    [Fact]
    public void A_zero_byte_struct_that_doubles_at_each_level_is_refused()
    {
        var errors = SchemaValidator.Validate(WithTypes(ZeroByteDag(24)));

        // Z(24 - k) holds 2^(k+1) - 1 parts: Z15 holds 1,023 (allowed), Z14 2,047 (refused).
        var expected = Enumerable.Range(0, 15).Select(i => $"type 'Z{i:D2}': a value of it encodes to zero bytes yet holds more than 1024 parts");
        Assert.Equal(expected, errors);
    }

    [Fact]
    public void A_zero_byte_dag_deeper_than_any_count_saturates_instead_of_overflowing()
    {
        var errors = SchemaValidator.Validate(WithTypes(ZeroByteDag(100)));
        Assert.Equal(100 - 9, errors.Count);
        Assert.Contains("type 'Z00': a value of it encodes to zero bytes yet holds more than 1024 parts", errors);
    }

    [Fact]
    public void A_tuple_of_zero_byte_structs_is_bounded_like_a_struct()
    {
        // Z15 holds 1,023 parts: one is allowed, a pair of them (2,047 with the tuple) is not.
        var types = ZeroByteDag(24).Skip(15).ToArray();
        var pair = new TupleType([new NamedType("Z15"), new NamedType("Z15")]);
        var schema = WithTypes(types) with { Queries = [new QuerySchema("count", [], AbiType.U64), new QuerySchema("markers", [new Field("one", new NamedType("Z15"))], pair)] };
        Assert.Equal(["query 'markers' result: a value of (Z15, Z15) encodes to zero bytes yet holds more than 1024 parts"], SchemaValidator.Validate(schema));
    }

    [Fact]
    public void Small_zero_byte_structs_are_allowed()
    {
        var schema = WithTypes(
            new StructDefinition("Marker", []),
            new StructDefinition("Markers", [new Field("unit", AbiType.Unit), new Field("marker", new NamedType("Marker")), new Field("both", new TupleType([AbiType.Unit, new NamedType("Marker")]))]),
            new StructDefinition("Tagged", [new Field("id", AbiType.U64), new Field("markers", new NamedType("Markers"))]));
        Assert.Empty(SchemaValidator.Validate(schema with { Reducers = [new ReducerSchema("add", [new Field("markers", new NamedType("Markers"))]), new ReducerSchema("setup", [])] }));
    }

    [Fact]
    public void A_vec_of_units() =>
        AssertInvalid(Base() with { Queries = [new QuerySchema("count", [], new VecType(AbiType.Unit))] }, "vec<()> has elements that encode to zero bytes");

    [Fact]
    public void Duplicate_table() =>
        AssertInvalid(Base() with { Tables = [Base().Tables[0], Base().Tables[0] with { Ephemeral = true }] }, "table 'items' is declared twice");

    [Fact]
    public void Table_with_an_undefined_row_type() => AssertInvalid(WithTable(Base().Tables[0] with { Row = "Item" }), "table 'items': row type 'Item' is not defined");

    [Fact]
    public void Table_whose_rows_are_an_enum() => AssertInvalid(WithTable(Base().Tables[0] with { Row = "Mood" }), "row type 'Mood' is an enum");

    [Fact]
    public void Table_without_columns() =>
        AssertInvalid(WithTypes(new StructDefinition("Nothing", [])) with { Tables = [new TableSchema("items", "Nothing", 0, [], [], false)] }, "row type 'Nothing' has no fields");

    [Fact]
    public void Primary_key_out_of_range() => AssertInvalid(WithTable(Base().Tables[0] with { PrimaryKey = 3, AutoInc = [] }), "table 'items' primary key: column 3 does not exist");

    [Fact]
    public void Primary_key_of_an_unindexable_type()
    {
        var schema = WithTypes(new StructDefinition("Pos", [new Field("x", AbiType.F32)])) with { Tables = [new TableSchema("items", "Pos", 0, [], [], false)] };

        AssertInvalid(schema, "table 'items' primary key 'x': type f32 cannot be a key");
    }

    [Fact]
    public void Auto_inc_on_a_string() => AssertInvalid(WithTable(Base().Tables[0] with { AutoInc = [0, 1] }), "table 'items' column 'name': auto_inc needs an integer column (u8..u64, i8..i64), not string");

    [Fact]
    public void Auto_inc_listed_twice() => AssertInvalid(WithTable(Base().Tables[0] with { AutoInc = [0, 0] }), "table 'items' auto_inc: column 0 is listed twice");

    [Fact]
    public void Index_on_an_unindexable_type()
    {
        var schema = WithTypes(new StructDefinition("Doc", [new Field("id", AbiType.U32), new Field("tags", new VecType(AbiType.String))])) with
        {
            Tables = [new TableSchema("docs", "Doc", 0, [], [new IndexSchema("tags", [1], IndexKind.BTree, false)], false)],
        };

        AssertInvalid(schema, "table 'docs' index 'tags' column 'tags': type vec<string> cannot be indexed");
    }

    [Fact]
    public void Index_on_an_enum_with_payloads()
    {
        var schema = WithTypes(
            new EnumDefinition("Shape", [Variant.Unit("Dot"), Variant.Tuple("Circle", AbiType.F64)]),
            new StructDefinition("Doc", [new Field("id", AbiType.U32), new Field("shape", new NamedType("Shape"))])) with
        {
            Tables = [new TableSchema("docs", "Doc", 0, [], [new IndexSchema("shape", [1], IndexKind.Hash, false)], false)],
        };

        AssertInvalid(schema, "index 'shape' column 'shape': type Shape cannot be indexed");
    }

    [Fact]
    public void Index_on_a_unit_only_enum_is_fine() =>
        Assert.Empty(SchemaValidator.Validate(WithTable(Base().Tables[0] with { Indexes = [new IndexSchema("mood", [2], IndexKind.BTree, false)] })));

    [Fact]
    public void Index_without_columns() => AssertInvalid(WithTable(Base().Tables[0] with { Indexes = [new IndexSchema("none", [], IndexKind.Hash, false)] }), "index 'none': an index needs at least one column");

    [Fact]
    public void Index_with_a_repeated_column() => AssertInvalid(WithTable(Base().Tables[0] with { Indexes = [new IndexSchema("n", [1, 1], IndexKind.Hash, false)] }), "index 'n': a column appears twice");

    [Fact]
    public void Index_with_a_missing_column() => AssertInvalid(WithTable(Base().Tables[0] with { Indexes = [new IndexSchema("n", [7], IndexKind.Hash, false)] }), "index 'n': column 7 does not exist");

    [Fact]
    public void Duplicate_index() =>
        AssertInvalid(WithTable(Base().Tables[0] with { Indexes = [new IndexSchema("n", [1], IndexKind.Hash, false), new IndexSchema("n", [2], IndexKind.Hash, false)] }), "table 'items' index 'n' is declared twice");

    [Fact]
    public void Reducer_and_query_with_the_same_name() =>
        AssertInvalid(Base() with { Queries = [new QuerySchema("add", [], AbiType.U8)] }, "reducer 'add': a query has the same name");

    [Fact]
    public void Duplicate_argument() =>
        AssertInvalid(Base() with { Reducers = [new ReducerSchema("add", [new Field("a", AbiType.U8), new Field("a", AbiType.U8)]), new ReducerSchema("setup", [])] }, "reducer 'add': argument 'a' is declared twice");

    [Fact]
    public void Subscription_of_an_unknown_reducer() =>
        AssertInvalid(Base() with { Subscriptions = [new SubscriptionSchema("start", ModuleEvent.Init)] }, "subscription of reducer 'start' to 'init': there is no reducer 'start'");

    [Fact]
    public void Init_handler_with_arguments() =>
        AssertInvalid(Base() with { Subscriptions = [new SubscriptionSchema("add", ModuleEvent.Init)] }, "an init handler takes no arguments, it takes 1");

    [Fact]
    public void Insert_handler_with_two_arguments() =>
        AssertInvalid(WithReducer(new ReducerSchema("on_item", [new Field("a", Row), new Field("b", Row)]), new SubscriptionSchema("on_item", ModuleEvent.Parse("shop.items.insert"))),
            "an insert handler takes one argument, the row; it takes 2");

    [Fact]
    public void Update_handler_with_one_argument() =>
        AssertInvalid(WithReducer(new ReducerSchema("on_item", [new Field("a", Row)]), new SubscriptionSchema("on_item", ModuleEvent.Parse("shop.items.update"))),
            "an update handler takes two arguments, the old row and the new row; it takes 1");

    [Fact]
    public void Handler_of_the_wrong_row_type() =>
        AssertInvalid(WithReducer(new ReducerSchema("on_item", [new Field("row", AbiType.String)]), new SubscriptionSchema("on_item", ModuleEvent.Parse("shop.items.delete"))),
            "argument 'row' has type string; the event passes rows of type Row");

    [Fact]
    public void Subscription_to_a_missing_own_table() =>
        AssertInvalid(WithReducer(new ReducerSchema("on_item", [new Field("row", Row)]), new SubscriptionSchema("on_item", ModuleEvent.Parse("shop.things.insert"))),
            "this module has no table 'things'");

    [Fact]
    public void Subscription_to_a_module_that_is_not_a_dependency() =>
        AssertInvalid(WithReducer(new ReducerSchema("on_acc", [new Field("row", new NamedType("bank.Account"))]), new SubscriptionSchema("on_acc", ModuleEvent.Parse("eu.bank.accounts.insert")),
            new DependencySchema("bank", "^1.0.0", null)), "module 'bank' on node 'eu' is not a declared dependency");

    [Fact]
    public void Subscription_argument_not_imported_from_the_module() =>
        AssertInvalid(WithReducer(new ReducerSchema("on_acc", [new Field("row", Row)]), new SubscriptionSchema("on_acc", ModuleEvent.Parse("bank.accounts.insert")),
            new DependencySchema("bank", "^1.0.0", null)), "argument 'row' has type Row; the event passes rows of a type imported from 'bank'");

    [Fact]
    public void Malformed_event_text()
    {
        Assert.Contains("is malformed", Assert.Throws<FormatException>(() => ModuleEvent.Parse("greetings.insert")).Message);
        Assert.Contains("has kind 'upsert'", Assert.Throws<FormatException>(() => ModuleEvent.Parse("hello.greetings.upsert")).Message);
        Assert.Contains("is malformed", Assert.Throws<FormatException>(() => ModuleEvent.Parse("a..b.insert")).Message);
    }

    [Fact]
    public void Malformed_event_in_json_names_the_path()
    {
        string json = File.ReadAllText(RepositoryFiles.Vectors("schema.json")).Replace("\"on\": \"init\"", "\"on\": \"start\"");

        var error = Assert.Throws<FormatException>(() => SchemaJson.Parse(json));

        Assert.Contains("$.subscriptions[3].on: event 'start' is malformed", error.Message);
    }

    [Fact]
    public void Dependency_on_itself() => AssertInvalid(Base() with { Dependencies = [new DependencySchema("shop", "^1.0.0", null)] }, "a module cannot depend on itself");

    [Fact]
    public void Bad_version_requirement() => AssertInvalid(Base() with { Dependencies = [new DependencySchema("bank", "~>1.0", null)] }, "version requirement '~>1.0'");

    [Fact]
    public void Duplicate_dependency() =>
        AssertInvalid(Base() with { Dependencies = [new DependencySchema("bank", "^1.0.0", null), new DependencySchema("bank", "^2.0.0", null)] }, "dependency 'bank' is declared twice");

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var schema = Base() with { Name = "9", Version = "x", Queries = [new QuerySchema("count", [], new NamedType("Nope"))] };

        var error = Assert.Throws<SchemaException>(() => SchemaValidator.ThrowIfInvalid(schema));

        Assert.Equal(3, error.Errors.Count);
    }

    [Theory]
    [InlineData("^1.2.3", "1.2.3", true)]
    [InlineData("^1.2.3", "1.9.0", true)]
    [InlineData("^1.2.3", "2.0.0", false)]
    [InlineData("^1.2.3", "1.2.2", false)]
    [InlineData("^0.2.3", "0.2.9", true)]
    [InlineData("^0.2.3", "0.3.0", false)]
    [InlineData("^0.0.3", "0.0.4", false)]
    [InlineData("~1.2.3", "1.2.9", true)]
    [InlineData("~1.2.3", "1.3.0", false)]
    [InlineData("=1.2.3", "1.2.3+build", true)]
    [InlineData(">=1.0.0", "1.0.0-rc.1", false)]
    [InlineData("<1.0.0", "1.0.0-rc.1", true)]
    [InlineData("1.0.0", "1.5.0", true)]
    public void Version_requirements(string requirement, string version, bool satisfied) =>
        Assert.Equal(satisfied, VersionRequirement.Parse(requirement).IsSatisfiedBy(SemanticVersion.Parse(version)));

    [Fact]
    public void Pre_release_precedence_follows_semver()
    {
        string[] ordered = ["1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0"];
        for (int i = 1; i < ordered.Length; i++)
            Assert.True(SemanticVersion.Parse(ordered[i - 1]).CompareTo(SemanticVersion.Parse(ordered[i])) < 0, $"{ordered[i - 1]} < {ordered[i]}");
    }
}
