using Interstice.Abi.Encoding.Validation;
using Interstice.Abi.Types;

namespace Interstice.Abi.Encoding;

/// <summary>
/// The <see cref="ValueValidator"/>s of one <see cref="TypeTable"/> (a module's types): every
/// validator it hands out is compiled by one compiler, so each named type is compiled once
/// however many validators reach it. A schema whose row has many columns of one large struct,
/// and reducers taking it, costs compilation work linear in the schema, not in columns times
/// fields. Validators are built under a lock (building happens when a module is bound, and a
/// node binds its modules one at a time, but schemas such as the node's own are shared by every
/// node of a process); the validators themselves are immutable and serve any number of threads.
/// </summary>
public sealed class ValueValidators
{
    private readonly ValidatorCompiler _compiler;
    private readonly Lock _compiling = new();

    /// <summary>Validators for types whose named types are in <paramref name="types"/>.</summary>
    public ValueValidators(TypeTable types)
    {
        ArgumentNullException.ThrowIfNull(types);
        Types = types;
        _compiler = new ValidatorCompiler(types);
    }

    /// <summary>The types whose definitions named types refer to.</summary>
    public TypeTable Types { get; }

    /// <summary>
    /// A validator for values of <paramref name="type"/>. Its named types share the nodes compiled
    /// for earlier validators of this set; each call builds a new validator for the rest of the type.
    /// </summary>
    public ValueValidator For(AbiType type)
    {
        ArgumentNullException.ThrowIfNull(type);
        lock (_compiling) return new ValueValidator(type, _compiler.Compile(type));
    }
}
