using System.Security.Cryptography;
using Interstice.Core.Tests.Support;
using Interstice.Wasm.Tests.TestSupport;

namespace Interstice.Core.Tests.Modules;

/// <summary>Loading, unloading and removing modules: the checks of docs/abi.md section 12 and what a failed load leaves (nothing).</summary>
public class ModuleLoadingTests
{
    private const string World = """{"id":1,"name":"world","mood":"Happy","message":"Hello, world!","count":1}""";

    [Fact]
    public void Init_runs_on_a_modules_first_load_only()
    {
        using var t = new TestNode("hello");
        Assert.Equal([World], t.Rows("hello", "greetings"));
        t.Node.CallReducerJson("hello", "hello", """["Ann", "Grumpy"]""");

        t.Node.UnloadModule("hello");
        t.Node.LoadModule(ExampleModules.Load("hello"));
        Assert.Equal(2, t.Rows("hello", "greetings").Count); // the data stayed, init did not run again

        t.Node.RemoveModule("hello");
        t.Node.LoadModule(ExampleModules.Load("hello"));
        Assert.Equal([World], t.Rows("hello", "greetings")); // a removed module starts over
    }

    [Fact]
    public void A_module_is_identified_by_its_name_and_content_hash()
    {
        using var t = new TestNode("hello");
        var info = Assert.Single(t.Node.Modules);
        Assert.Equal(("hello", "0.1.0"), (info.Name, info.Version));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(ExampleModules.Load("hello"))), info.ContentHash);

        var again = Assert.Throws<ModuleLoadException>(() => t.Node.LoadModule(ExampleModules.Load("hello")));
        Assert.Equal("cannot load module hello: it is already loaded", again.Message);
    }

    [Fact]
    public void Bytes_that_are_not_webassembly_are_refused_with_the_reason()
    {
        using var t = new TestNode();
        var error = Assert.Throws<ModuleLoadException>(() => t.Node.LoadModule([0x00, 0x61, 0x73, 0x6d, 0x02, 0x00]));
        Assert.Contains("not a valid WebAssembly module: malformed module", error.Message);
        Assert.Empty(t.Node.Modules);
    }

    [Fact]
    public void A_webassembly_module_without_a_schema_is_refused()
    {
        using var t = new TestNode();
        var error = Assert.Throws<ModuleLoadException>(() => t.Node.LoadModule(Wat.ToWasm("(module)")));
        Assert.Contains("has no 'interstice.schema' custom section", error.Message);
    }

    [Fact]
    public void Exports_missing_from_the_schema_are_listed()
    {
        using var t = new TestNode();
        byte[] wasm = GuestModule.Build("lacking", $"(module {GuestModule.Runtime})",
            reducers: """[{ "name": "go", "args": [] }]""", queries: """[{ "name": "look", "args": [], "returns": "u64" }]""");
        var error = Assert.Throws<ModuleLoadException>(() => t.Node.LoadModule(wasm));
        Assert.Equal(["export interstice_reducer.go is missing", "export interstice_query.look is missing"], error.Problems);
    }

    [Fact]
    public void The_name_interstice_is_reserved()
    {
        using var t = new TestNode();
        var error = Assert.Throws<ModuleLoadException>(() => t.Node.LoadModule(GuestModule.Build("interstice", $"(module {GuestModule.Runtime})")));
        Assert.Contains("the name `interstice` is reserved", error.Message);
    }

    [Fact]
    public void A_missing_dependency_refuses_the_load_and_leaves_nothing_behind()
    {
        using var t = new TestNode();
        var error = Assert.Throws<ModuleLoadException>(() => t.Node.LoadModule(ExampleModules.Load("caller")));
        Assert.Equal("cannot load module caller: it depends on module hello ^0.1.0, which is not loaded on this node: load it first", error.Message);

        // Nothing of caller stayed: loading it once hello is there creates its tables afresh.
        t.Node.LoadModule(ExampleModules.Load("hello"));
        t.Node.LoadModule(ExampleModules.Load("caller"));
        Assert.Equal(["hello", "caller"], t.Node.Modules.Select(m => m.Name));
    }

    [Fact]
    public void A_dependency_in_a_version_the_requirement_excludes_is_refused()
    {
        using var t = new TestNode("hello");
        byte[] wasm = GuestModule.Build("picky", $"(module {GuestModule.Runtime})", dependencies: """[{ "module": "hello", "version": "^2.0.0", "node": null }]""");
        var error = Assert.Throws<ModuleLoadException>(() => t.Node.LoadModule(wasm));
        Assert.Equal("cannot load module picky: it depends on module hello ^2.0.0, but version 0.1.0 is loaded", error.Message);
    }

    [Fact]
    public void An_imported_type_that_no_longer_matches_the_callee_is_refused()
    {
        using var t = new TestNode("hello");
        byte[] wasm = GuestModule.Build("stale", $"(module {GuestModule.Runtime})",
            types: """[{ "name": "hello.Mood", "enum": [ { "name": "Happy" }, { "name": "Sad" } ] }]""",
            dependencies: """[{ "module": "hello", "version": "^0.1.0", "node": null }]""");
        var error = Assert.Throws<ModuleLoadException>(() => t.Node.LoadModule(wasm));
        Assert.Equal("cannot load module stale: type hello.Mood does not match module hello 0.1.0's definition of `Mood`; regenerate the bindings", error.Message);
    }

    [Fact]
    public void A_module_cannot_be_unloaded_while_a_loaded_module_depends_on_it()
    {
        using var t = new TestNode("hello", "caller");
        var error = Assert.Throws<InvalidOperationException>(() => t.Node.UnloadModule("hello"));
        Assert.Equal("module hello is used by caller: unload it first", error.Message);
        t.Node.UnloadModule("caller");
        t.Node.UnloadModule("hello");
        Assert.Empty(t.Node.Modules);
    }

    [Fact]
    public void A_module_loaded_again_must_declare_the_tables_it_left_the_same_way()
    {
        using var t = new TestNode("hello");
        t.Node.UnloadModule("hello");
        byte[] changed = GuestModule.Build("hello", $"(module {GuestModule.Runtime})",
            types: """[{ "name": "Greetings", "struct": [ { "name": "id", "type": "u64" } ] }]""",
            tables: """[{ "name": "greetings", "row": "Greetings", "primary_key": "id", "auto_inc": [], "indexes": [], "ephemeral": false }]""");
        var error = Assert.Throws<ModuleLoadException>(() => t.Node.LoadModule(changed));
        Assert.Contains("table `greetings` holds data from the module's last load and the new binary declares it differently", error.Message);
        t.Node.LoadModule(ExampleModules.Load("hello"));
        Assert.Equal([World], t.Rows("hello", "greetings"));
    }

    /// <summary>
    /// A module whose last load had no tables cannot add one on its next load either: a table a
    /// reload creates is never logged (only a first load logs the module's tables), so a restart
    /// could not replay its rows and every later snapshot would not fit its catalog.
    /// </summary>
    [Fact]
    public void A_module_that_left_no_tables_must_not_declare_new_ones_when_loaded_again()
    {
        using var t = new TestNode();
        t.Node.LoadModule(GuestModule.Build("grows", $"(module {GuestModule.Runtime})"));
        t.Node.UnloadModule("grows");
        byte[] withTable = GuestModule.Build("grows", $"(module {GuestModule.Runtime})",
            types: """[{ "name": "Item", "struct": [ { "name": "id", "type": "u64" } ] }]""",
            tables: """[{ "name": "items", "row": "Item", "primary_key": "id", "auto_inc": [], "indexes": [], "ephemeral": false }]""");
        var error = Assert.Throws<ModuleLoadException>(() => t.Node.LoadModule(withTable));
        Assert.Contains("table `items` is new: the node does not migrate a module's tables; remove the module first", error.Message);
        t.Node.RemoveModule("grows");
        t.Node.LoadModule(withTable);
        Assert.True(t.Node.Database.TryGetTable("grows", "items", out _));
    }

    [Fact]
    public void A_module_that_cannot_be_instantiated_within_the_limits_is_refused()
    {
        using var t = new TestNode(o => o with { MaxMemoryPages = 4 });
        var error = Assert.Throws<ModuleLoadException>(() => t.Node.LoadModule(ExampleModules.Load("hello")));
        Assert.Contains("it cannot be instantiated", error.Message);
        Assert.Empty(t.Node.Modules);
    }

    [Fact]
    public void A_start_function_cannot_call_the_host()
    {
        using var t = new TestNode();
        byte[] wasm = GuestModule.Build("eager", $$"""
            (module
              (import "interstice" "time_now" (func $now (result i64)))
              {{GuestModule.Runtime}}
              (func $start (drop (call $now)))
              (start $start))
            """);
        var error = Assert.Throws<ModuleLoadException>(() => t.Node.LoadModule(wasm));
        Assert.Contains("host functions can only be called during a reducer or query call", error.Message);
    }

    [Fact]
    public void The_data_directory_keeps_each_loaded_binary_by_content_hash()
    {
        string directory = Path.Combine(Path.GetTempPath(), "interstice-node-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var t = new TestNode(o => o with { Durability = new Interstice.Core.Durability.DurabilityOptions(directory) }, "hello");
            string stored = Path.Combine(directory, "modules", t.Node.Modules[0].ContentHash + ".wasm");
            Assert.Equal(ExampleModules.Load("hello"), File.ReadAllBytes(stored));
        }
        finally
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
    }
}
