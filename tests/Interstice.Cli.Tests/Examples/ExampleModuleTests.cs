using Interstice.Abi.Schema;
using Interstice.Abi.Types;
using Interstice.Cli.Commands.Schema;
using Interstice.Core.Modules;
using Interstice.Wasm;

namespace Interstice.Cli.Tests.Examples;

/// <summary>
/// Each example module built by scripts/build-modules, loaded through the engine's decoder: its
/// schema (read from its custom section, assembled and validated) is what its source declares,
/// and its imports and exports fit that schema.
/// </summary>
public class ExampleModuleTests
{
    private static ModuleContract Load(string name) =>
        ModuleContract.Read(File.ReadAllBytes(Repository.ExampleModule(name)), new Engine());

    private static void AssertDeclares(string module, string expected)
    {
        var contract = Load(module);
        Assert.Empty(contract.InterfaceErrors);
        Assert.Equal(expected.ReplaceLineEndings(), SchemaText.Format(contract.Schema).ReplaceLineEndings());
    }

    [Fact]
    public void Hello() => AssertDeclares("hello", """
        module hello 0.1.0 (public, abi 1)
        types:
          struct Greetings { id: u64, name: string, mood: Mood, message: string, count: u32 }
          enum Mood { Happy, Neutral, Grumpy }
        tables:
          greetings: rows Greetings, primary key id, auto_inc id
              index name: hash unique (name)
        reducers:
          hello(name: string, mood: Mood)
          setup()
        queries:
          count() -> u64
          greeting(name: string) -> option<Greetings>
        subscriptions:
          setup on init

        """);

    [Fact]
    public void Caller() => AssertDeclares("caller", """
        module caller 0.1.0 (private, abi 1)
        types:
          struct Seen { id: u64, greeting_id: u64, name: string, mood: hello.Mood }
          struct hello.Greetings { id: u64, name: string, mood: hello.Mood, message: string, count: u32 }
          enum hello.Mood { Happy, Neutral, Grumpy }
        tables:
          seen: rows Seen, primary key id, auto_inc id
              index greeting_id: btree unique (greeting_id)
        reducers:
          on_greeting(greeting: hello.Greetings)
          on_remote_farewell(greeting: hello.Greetings)
          poke(name: string)
          poke_all(names: vec<string>)
          poke_remote(name: string)
        queries:
          hello_count() -> u64
          seen_count() -> u64
        subscriptions:
          on_greeting on hello.greetings.insert
          on_remote_farewell on eu-1.hello.greetings.delete
        dependencies:
          hello ^0.1.0
          hello ^0.1.0 on node eu-1

        """);

    [Fact]
    public void Bank() => AssertDeclares("bank", """
        module bank 0.1.0 (public, abi 1)
        types:
          struct Accounts { owner: string, balance: u64, frozen: bool }
        tables:
          accounts: rows Accounts, primary key owner
        reducers:
          deposit(owner: string, amount: u64)
          open(owner: string)
          set_frozen(owner: string, frozen: bool)
          transfer(from: string, to: string, amount: u64)
        queries:
          available(owner: string) -> option<u64>

        """);

    [Fact]
    public void Auction() => AssertDeclares("auction", """
        module auction 0.1.0 (public, abi 1)
        authorities: Scheduler
        types:
          struct Bids { id: u64, item: u64, bidder: string, amount: u64, placed_at: u64 }
          enum Category { Art, Books, Games, Other }
          struct Items { id: u64, seller: string, title: string, category: Category, reserve: u64, closes_at: u64, status: Status }
          enum Status { Open, Sold { buyer: string, price: u64 }, Unsold(string) }
          struct Watchers { name: string, item: u64 }
          struct bank.Accounts { owner: string, balance: u64, frozen: bool }
        tables:
          bids: rows Bids, primary key id, auto_inc id
              index amount: btree (amount)
              index bidder: hash (bidder)
              index item: hash (item)
          items: rows Items, primary key id, auto_inc id
              index category: btree (category)
              index closes_at: btree (closes_at)
              index seller: hash (seller)
          watchers: rows Watchers, primary key name, ephemeral
        reducers:
          close_auction(item: u64)
          list_item(seller: string, title: string, category: Category, reserve: u64, duration_secs: u32)
          on_account_update(old: bank.Accounts, new: bank.Accounts)
          place_bid(item: u64, bidder: string, amount: u64)
          watch(name: string, item: u64)
        queries:
          best(item: u64) -> option<Bids>
          bids_from(amount: u64) -> vec<Bids>
          closing_before(time: u64) -> vec<Items>
          open_items(category: Category) -> vec<Items>
        subscriptions:
          on_account_update on bank.accounts.update
        dependencies:
          bank ^0.1.0

        """);

    [Fact]
    public void Bench() => AssertDeclares("bench", """
        module bench 0.1.0 (public, abi 1)
        types:
          struct Rows { id: u64, group: u32, key: string, payload: bytes }
        tables:
          rows: rows Rows, primary key id
              index group: btree (group)
              index key: hash unique (key)
        reducers:
          bulk_insert(start: u64, count: u32, payload_len: u32)
          insert_one(id: u64, group: u32, key: string, payload: bytes)
          noop()
        queries:
          by_key(key: string) -> option<Rows>
          get(id: u64) -> option<Rows>
          group_range(from: u32, to: u32) -> vec<u64>
          group_size(group: u32) -> u64

        """);

    [Fact]
    public void Rogue() => AssertDeclares("rogue", """
        module rogue 0.1.0 (public, abi 1)
        authorities: Scheduler
        types:
          struct Echoes { id: u64, hops: u32 }
          struct hello.Greetings { id: u64, name: string, mood: hello.Mood, message: string, count: u32 }
          enum hello.Mood { Happy, Neutral, Grumpy }
        tables:
          echoes: rows Echoes, primary key id, auto_inc id
        reducers:
          audit_greeting(greeting: hello.Greetings)
          echo()
          greet_then_fail(name: string)
          greet_then_trap(name: string)
          greet_twice(name: string)
          hog()
          on_echo(echo: Echoes)
          poke_batches(batches: vec<vec<string>>)
          recurse()
          reenter()
          spin()
          witness_greeting(greeting: hello.Greetings)
        queries:
          echo_count() -> u64
          spin_query() -> u64
        subscriptions:
          audit_greeting on hello.greetings.insert
          on_echo on rogue.echoes.insert
          witness_greeting on hello.greetings.insert
        dependencies:
          hello ^0.1.0

        """);

    [Theory]
    [InlineData("caller", "hello")]
    [InlineData("rogue", "hello")]
    [InlineData("auction", "bank")]
    public void Committed_bindings_match_the_callee(string module, string callee)
    {
        string bindings = File.ReadAllText(Path.Combine(Repository.Root, "modules", module, "bindings", callee + ".json"));

        Assert.Equal(SchemaJson.Format(Load(callee).Schema), bindings);
    }

    [Fact]
    public void Imported_types_copy_the_callee_definitions_with_qualified_names()
    {
        var hello = Load("hello").Schema;
        var caller = Load("caller").Schema;

        foreach (var name in new[] { "Greetings", "Mood" })
        {
            var expected = Qualify(hello.TypeTable.Get(name), "hello");
            Assert.Equal(expected, caller.TypeTable.Get("hello." + name));
        }
    }

    private static TypeDefinition Qualify(TypeDefinition definition, string module) => definition switch
    {
        StructDefinition s => new StructDefinition($"{module}.{s.Name}", s.Fields.Select(f => f with { Type = Qualify(f.Type, module) }).ToArray()),
        EnumDefinition e => new EnumDefinition($"{module}.{e.Name}", e.Variants.Select(v => v with { Fields = v.Fields.Select(f => f with { Type = Qualify(f.Type, module) }).ToArray() }).ToArray()),
        _ => definition,
    };

    private static AbiType Qualify(AbiType type, string module) => type switch
    {
        NamedType n => new NamedType($"{module}.{n.Name}"),
        OptionType o => new OptionType(Qualify(o.Element, module)),
        VecType v => new VecType(Qualify(v.Element, module)),
        TupleType t => new TupleType(t.Elements.Select(e => Qualify(e, module)).ToArray()),
        _ => type,
    };

    [Fact]
    public void Host_imports_are_only_those_the_module_uses()
    {
        var module = new Engine().Compile(File.ReadAllBytes(Repository.ExampleModule("bank")));

        Assert.All(module.Imports, i => Assert.Equal("interstice", i.Module));
        Assert.Contains(module.Imports, i => i.Name == "table_update");
        Assert.DoesNotContain(module.Imports, i => i.Name == "index_range");
    }
}
