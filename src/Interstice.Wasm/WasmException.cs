namespace Interstice.Wasm;

/// <summary>Base class of every error the engine reports about a module or its execution.</summary>
public abstract class WasmException : Exception
{
    protected WasmException(string message, Exception? inner = null) : base(message, inner) { }
}

/// <summary>
/// The bytes are not a well-formed WebAssembly binary (spec: "malformed"). Names the section,
/// the byte offset from the start of the binary and the reason.
/// </summary>
public sealed class MalformedModuleException : WasmException
{
    public MalformedModuleException(string section, long offset, string reason)
        : base($"malformed module: {reason} (in the {section} section, at byte offset 0x{offset:x})")
    {
        Section = section;
        Offset = offset;
        Reason = reason;
    }

    /// <summary>The section being decoded: <c>header</c>, <c>type</c>, <c>code</c>, <c>custom "name"</c>...</summary>
    public string Section { get; }

    /// <summary>Byte offset of the fault from the start of the binary.</summary>
    public long Offset { get; }

    /// <summary>What is wrong, in the words of the spec's test suite where it has words for it.</summary>
    public string Reason { get; }
}

/// <summary>
/// The binary is well formed but does not validate (spec: "invalid"), e.g. a type mismatch in
/// a function body. Names the item, the byte offset and the reason.
/// </summary>
public sealed class InvalidModuleException : WasmException
{
    public InvalidModuleException(string location, long offset, string reason)
        : base($"invalid module: {reason} (in {location}, at byte offset 0x{offset:x})")
    {
        Location = location;
        Offset = offset;
        Reason = reason;
    }

    /// <summary>The item that failed: <c>function 3 $fib</c>, <c>global 0</c>, <c>export "main"</c>...</summary>
    public string Location { get; }

    /// <summary>Byte offset of the offending instruction or entry from the start of the binary.</summary>
    public long Offset { get; }

    /// <summary>What is wrong, in the words of the spec's test suite where it has words for it.</summary>
    public string Reason { get; }
}

/// <summary>An import could not be satisfied: unknown, or provided with an incompatible type.</summary>
public sealed class LinkException : WasmException
{
    public LinkException(string module, string name, string reason)
        : base($"cannot link import {module}.{name}: {reason}")
    {
        ImportModule = module;
        ImportName = name;
        Reason = reason;
    }

    public string ImportModule { get; }
    public string ImportName { get; }
    public string Reason { get; }
}
