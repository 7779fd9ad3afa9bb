namespace Interstice.Cli.Commands.Wasm.Spec;

/// <summary>One command of a spec test script, with the line of the <c>.wast</c> source it comes from.</summary>
internal abstract record SpecCommand(int Line);

/// <summary>How a module of a script is encoded.</summary>
internal enum SpecModuleType
{
    /// <summary>A <c>.wasm</c> file: the binary format.</summary>
    Binary,

    /// <summary>A <c>.wat</c> file: the text format (only assertions about text parsing use it).</summary>
    Text,
}

/// <summary>
/// <c>module</c>: instantiate a module; it becomes the current module. <c>Name</c> is the script's
/// name for it (<c>$M1</c>) or null; <c>FileName</c> is relative to the script's directory.
/// </summary>
internal sealed record ModuleCommand(int Line, string? Name, string FileName, SpecModuleType ModuleType) : SpecCommand(Line);

/// <summary>
/// <c>register</c>: make a module's exports importable under the module name <c>As</c>. <c>Name</c>
/// is the registered module's script name, or null for the current module.
/// </summary>
internal sealed record RegisterCommand(int Line, string As, string? Name) : SpecCommand(Line);

/// <summary><c>action</c>: perform an action and ignore its results.</summary>
internal sealed record ActionCommand(int Line, SpecAction Action, IReadOnlyList<SpecValue> Expected) : SpecCommand(Line);

/// <summary><c>assert_return</c>: the action returns values matching <paramref name="Expected"/>.</summary>
internal sealed record AssertReturnCommand(int Line, SpecAction Action, IReadOnlyList<SpecValue> Expected) : SpecCommand(Line);

/// <summary>
/// <c>assert_trap</c> with an action: the action traps with a message starting with <c>Text</c>.
/// <c>Expected</c> gives the result types the action would have (values unspecified).
/// </summary>
internal sealed record AssertTrapCommand(int Line, SpecAction Action, string Text, IReadOnlyList<SpecValue> Expected) : SpecCommand(Line);

/// <summary><c>assert_exhaustion</c>: the action exhausts a resource (the call stack).</summary>
internal sealed record AssertExhaustionCommand(int Line, SpecAction Action, string Text, IReadOnlyList<SpecValue> Expected) : SpecCommand(Line);

/// <summary>
/// An assertion that a module is rejected; <c>Text</c> is the expected reason and <c>FileName</c>
/// the module file, relative to the script's directory.
/// </summary>
internal abstract record ModuleAssertion(int Line, string FileName, string Text, SpecModuleType ModuleType) : SpecCommand(Line);

/// <summary><c>assert_malformed</c>: decoding (or parsing the text) must fail.</summary>
internal sealed record AssertMalformedCommand(int Line, string FileName, string Text, SpecModuleType ModuleType)
    : ModuleAssertion(Line, FileName, Text, ModuleType);

/// <summary><c>assert_invalid</c>: the module decodes but validation must fail.</summary>
internal sealed record AssertInvalidCommand(int Line, string FileName, string Text, SpecModuleType ModuleType)
    : ModuleAssertion(Line, FileName, Text, ModuleType);

/// <summary><c>assert_unlinkable</c>: the module is valid but its imports cannot be satisfied.</summary>
internal sealed record AssertUnlinkableCommand(int Line, string FileName, string Text, SpecModuleType ModuleType)
    : ModuleAssertion(Line, FileName, Text, ModuleType);

/// <summary><c>assert_uninstantiable</c>: the module links but instantiation traps (segment out of bounds, start function trap).</summary>
internal sealed record AssertUninstantiableCommand(int Line, string FileName, string Text, SpecModuleType ModuleType)
    : ModuleAssertion(Line, FileName, Text, ModuleType);

/// <summary>What an action does: call an exported function or read an exported global.</summary>
/// <param name="Module">The script name of the module, or null for the current module.</param>
/// <param name="Field">The export's name.</param>
internal abstract record SpecAction(string? Module, string Field);

/// <summary><c>invoke</c>: call the exported function with <paramref name="Args"/>.</summary>
internal sealed record InvokeAction(string? Module, string Field, IReadOnlyList<SpecValue> Args) : SpecAction(Module, Field);

/// <summary><c>get</c>: read the exported global.</summary>
internal sealed record GetAction(string? Module, string Field) : SpecAction(Module, Field);
