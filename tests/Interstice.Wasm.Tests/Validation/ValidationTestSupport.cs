using Interstice.Wasm.Binary;
using Interstice.Wasm.Structure;
using Interstice.Wasm.Tests.TestSupport;
using Interstice.Wasm.Validation;

namespace Interstice.Wasm.Tests.Validation;

/// <summary>Runs the validator on modules written in WAT (assembled without wat2wasm's own checks) or by hand.</summary>
internal static class ValidationTestSupport
{
    public static ModuleDefinition Valid(string wat) => Valid(Wat.ToWasm(wat, "--no-check"));

    public static ModuleDefinition Valid(byte[] bytes)
    {
        var module = ModuleDecoder.Decode(bytes);
        ModuleValidator.Validate(module);
        return module;
    }

    public static InvalidModuleException Invalid(string wat) => Invalid(Wat.ToWasm(wat, "--no-check"));

    public static InvalidModuleException Invalid(byte[] bytes)
    {
        var module = ModuleDecoder.Decode(bytes);
        return Assert.Throws<InvalidModuleException>(() => ModuleValidator.Validate(module));
    }

    /// <summary>Asserts that the module is invalid for a reason starting with <paramref name="reason"/>.</summary>
    public static InvalidModuleException AssertInvalid(string reason, string wat)
    {
        var e = Invalid(wat);
        Assert.StartsWith(reason, e.Reason);
        return e;
    }
}
