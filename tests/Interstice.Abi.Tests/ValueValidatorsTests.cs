using Interstice.Abi.Encoding;
using Interstice.Abi.Types;

namespace Interstice.Abi.Tests;

/// <summary>
/// <see cref="ValueValidators"/>: the validators of one type table share one compiler, so a named
/// type is compiled once for all of them, and a node compiled for one validator still gives the
/// interpreter's verdicts where another reaches it.
/// </summary>
public class ValueValidatorsTests
{
    [Fact]
    public void A_named_type_is_compiled_once_for_every_validator_of_the_set()
    {
        // S has 2,000 option<u8> fields: compiling it builds thousands of nodes.
        var fields = new Field[2000];
        for (int i = 0; i < fields.Length; i++) fields[i] = new Field($"f{i}", new OptionType(AbiType.U8));
        var types = new TypeTable([new StructDefinition("S", fields)]);
        var s = new NamedType("S");
        var validators = new ValueValidators(types);
        _ = new ValueValidators(TypeTable.Empty).For(AbiType.U8); // the code paths run once before counting

        long first = Allocated(() => validators.For(s));
        long later = Allocated(() =>
        {
            validators.For(s);
            validators.For(new TupleType([s, AbiType.String]));
            validators.For(new VecType(s));
            validators.For(new OptionType(s));
        });
        long alone = Allocated(() => new ValueValidators(types).For(new TupleType([s, AbiType.String])));

        Assert.True(later * 20 < first, $"four more validators reaching S allocated {later} bytes; compiling S took {first}");
        Assert.True(alone > first / 2, $"a validator of a set of its own compiles S again ({alone} bytes, {first} the first time)");
    }

    [Fact]
    public void A_named_type_first_compiled_at_the_depth_limit_checks_values_wherever_it_is_used_later()
    {
        // A chain of 200 structs, each holding the next. Compiling S0 first reaches S127 at the
        // depth limit, so its node leaves S128 onwards to the interpreter; validators compiled
        // afterwards reuse that node at the root.
        var definitions = new List<TypeDefinition>();
        for (int i = 0; i < 199; i++) definitions.Add(new StructDefinition($"S{i}", [new Field("x", AbiType.Bool), new Field("next", new NamedType($"S{i + 1}"))]));
        definitions.Add(new StructDefinition("S199", [new Field("x", AbiType.Bool)]));
        var types = new TypeTable(definitions);
        var validators = new ValueValidators(types);

        var s0 = validators.For(new NamedType("S0"));
        var s127 = validators.For(new NamedType("S127"));
        var pair = validators.For(new TupleType([new NamedType("S120"), AbiType.U8]));

        Assert.Equal("128: value nests deeper than 128 levels", ValidatorAgreement.AssertSame(s0, types, new byte[200]));
        Assert.Equal("ok", ValidatorAgreement.AssertSame(s127, types, new byte[73]));
        Assert.Equal("72: bool must be 0 or 1, found 0x05", ValidatorAgreement.AssertSame(s127, types, [.. new byte[72], 5]));
        Assert.Equal("72: u8 needs 1 byte(s), 0 remain", ValidatorAgreement.AssertSame(s127, types, new byte[72]));
        Assert.Equal("ok", ValidatorAgreement.AssertSame(pair, types, new byte[81]));
        Assert.Equal("79: bool must be 0 or 1, found 0x02", ValidatorAgreement.AssertSame(pair, types, [.. new byte[79], 2, 0]));
    }

    [Fact]
    public void Validators_of_the_set_may_be_built_from_several_threads()
    {
        // The node's own schema is shared by every node of a process, so its set is reached concurrently.
        var types = new TypeTable([
            new EnumDefinition("List", [Variant.Unit("Nil"), Variant.Tuple("Cons", AbiType.U32, new NamedType("List"))]),
            new StructDefinition("Holder", [new Field("list", new NamedType("List")), new Field("flag", AbiType.Bool)]),
        ]);
        var validators = new ValueValidators(types);
        byte[] holder = [1, 7, 0, 0, 0, 0, 1];
        Parallel.For(0, 64, i =>
        {
            var validator = validators.For(i % 2 == 0 ? new NamedType("Holder") : new TupleType([new NamedType("List"), AbiType.Bool]));
            validator.Validate(holder);
            Assert.Throws<AbiDecodeException>(() => validator.Validate([1, 7, 0, 0, 0, 0, 2]));
        });
    }

    private static long Allocated(Action action)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        action();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}
