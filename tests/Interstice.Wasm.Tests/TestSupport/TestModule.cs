namespace Interstice.Wasm.Tests.TestSupport;

/// <summary>Compiles and instantiates modules written in the text format, for behaviour tests.</summary>
internal static class TestModule
{
    public static Module Compile(string wat, EngineOptions? options = null) =>
        new Engine(options).Compile(Wat.ToWasm(wat, "--debug-names"));

    public static Instance Instantiate(string wat, EngineOptions? options = null, InstanceOptions? instanceOptions = null, Linker? linker = null) =>
        (linker ?? new Linker()).Instantiate(Compile(wat, options), instanceOptions);

    /// <summary>Calls an export with untyped arguments and returns its single result.</summary>
    public static Value Call(this Instance instance, string name, params Value[] arguments)
    {
        var function = instance.GetFunction(name) ?? throw new InvalidOperationException($"no export {name}");
        var results = function.Invoke(arguments);
        return Assert.Single(results);
    }
}
