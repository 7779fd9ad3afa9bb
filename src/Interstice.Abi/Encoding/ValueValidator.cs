using Interstice.Abi.Encoding.Validation;
using Interstice.Abi.Types;
using System.Runtime.CompilerServices;

namespace Interstice.Abi.Encoding;

/// <summary>
/// Checks encoded values of one type, compiled once from the type and its <see cref="TypeTable"/>:
/// it accepts exactly the bytes <see cref="ValueCodec.Validate"/> accepts (counting parts against
/// the same <see cref="ValueCodec.PartsBudget"/>) and throws the same
/// <see cref="AbiDecodeException"/> (message and offset) for the rest, but resolves named types
/// when it is built rather than on every value, and checks consecutive fixed-size fields (and
/// vecs of fixed-size elements) with one bounds check. A named type that is not defined fails
/// when a value reaches it, as with the interpreter. Validation allocates nothing; one instance
/// may be used from any number of threads. Validators of a module's types come from one
/// <see cref="ValueValidators"/>, which compiles each named type once for all of them.
/// </summary>
public sealed class ValueValidator
{
    private readonly ValidationNode _root;

    /// <summary>A validator whose checks <paramref name="root"/> holds; built by <see cref="ValueValidators.For"/>.</summary>
    internal ValueValidator(AbiType type, ValidationNode root)
    {
        Type = type;
        _root = root;
    }

    /// <summary>The type whose values this validator checks.</summary>
    internal AbiType Type { get; }

    /// <summary>Checks that <paramref name="data"/> holds exactly one valid value of <see cref="Type"/>; throws <see cref="AbiDecodeException"/>.</summary>
    // Per row in a start: compiled optimized at once, not left to tiering (docs/durability-measurements.md, A node's first start in a new process).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Validate(ReadOnlySpan<byte> data)
    {
        var reader = new ValueReader(data);
        _root.Skip(ref reader, 0);
        reader.ExpectEnd();
    }

    /// <summary>Moves <paramref name="reader"/> past one valid value of <see cref="Type"/>; throws <see cref="AbiDecodeException"/>.</summary>
    public void Skip(ref ValueReader reader) => _root.Skip(ref reader, 0);
}
