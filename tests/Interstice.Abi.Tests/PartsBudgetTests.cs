using System.Buffers;
using Interstice.Abi.Encoding;
using Interstice.Abi.Types;

namespace Interstice.Abi.Tests;

/// <summary>
/// The parts budget (docs/abi.md section 6): an input of n bytes decodes to at most
/// 1,024 + 8n parts, counted the same way by <see cref="ValueCodec.Decode"/>, the interpreter's
/// validation and the compiled <see cref="ValueValidator"/>, so inputs whose values carry
/// zero-byte parts cannot grow into millions of values.
/// </summary>
public class PartsBudgetTests
{
    private const string Budget1002 = "the budget of 9040 parts for 1002 input byte(s) (1024 + 8 per byte)";

    /// <summary><c>Carrier { a: u8, z: Big }</c>, <c>Big</c> a struct of 1,000 units: one byte, 1,003 parts.</summary>
    private static readonly TypeTable Carriers = new([
        new StructDefinition("Carrier", [new Field("a", AbiType.U8), new Field("z", new NamedType("Big"))]),
        Units("Big", 1000),
    ]);

    [Fact]
    public void A_vec_of_bytes_each_carrying_a_large_zero_byte_struct_is_refused()
    {
        // 1,000 elements: 1,002 bytes that would decode to 1 + 1,000 * 1,003 parts.
        var type = new VecType(new NamedType("Carrier"));
        byte[] input = [.. Leb(1000), .. new byte[1000]];

        // Parts 1 (the vec) and 9 * 1,003 leave 12 of 9,040 for element 9 (at byte 11): the
        // struct, its u8, Big and 9 units; the 10th unit, after the u8, is one too many.
        string expected = $"12: the value holds more parts than {Budget1002}";
        Assert.Equal(expected, Outcome(() => ValueCodec.Decode(type, input, Carriers)));
        Assert.Equal(expected, ValidatorAgreement.AssertSame(type, Carriers, input));
        Assert.Equal(expected, ValidatorAgreement.AssertSame(new ValueValidators(Carriers).For(type), Carriers, input));
    }

    [Fact]
    public void Vecs_of_vecs_of_units_are_refused_at_the_count_that_exceeds_the_budget()
    {
        // (vec<vec<()>>, bytes): every inner count may reach the bytes that remain (the blob), so
        // n inner vecs of L units each would be n * L parts from about L bytes.
        var type = TypeSyntax.Parse("(vec<vec<()>>, bytes)");
        var output = new ArrayBufferWriter<byte>();
        var writer = new ValueWriter(output);
        writer.WriteLength(10);
        for (int i = 0; i < 10; i++) writer.WriteLength(1000);
        writer.WriteBytes(new byte[1000]);
        byte[] input = output.WrittenSpan.ToArray();
        Assert.Equal(1023, input.Length);

        // Budget 1,024 + 8 * 1,023 = 9,208. The tuple, the outer vec and 9 inner vecs of 1,001
        // parts leave 9,208 - 2 - 9,009 = 197; the 10th inner vec takes one, and its count (at
        // byte 1 + 9 * 2) asks for 1,000 more: refused before its elements are allocated.
        string expected = "19: count 1000 exceeds the 196 part(s) left of the budget of 9208 parts for 1023 input byte(s) (1024 + 8 per byte)";
        Assert.Equal(expected, Outcome(() => ValueCodec.Decode(type, input, TypeTable.Empty)));
        Assert.Equal(expected, ValidatorAgreement.AssertSame(type, TypeTable.Empty, input));
    }

    [Fact]
    public void A_vec_count_past_the_remaining_bytes_is_refused_whatever_the_element()
    {
        // A 5-byte count of 10^9 units with nothing after it: refused by the bytes check, before the budget.
        var type = TypeSyntax.Parse("vec<()>");
        byte[] input = Leb(1_000_000_000);

        string expected = "0: count 1000000000 exceeds the 0 remaining byte(s)";
        Assert.Equal(expected, Outcome(() => ValueCodec.Decode(type, input, TypeTable.Empty)));
        Assert.Equal(expected, ValidatorAgreement.AssertSame(type, TypeTable.Empty, input));
    }

    [Fact]
    public void A_zero_byte_value_holds_at_most_the_schema_bound_of_parts()
    {
        // A struct of 1,023 units is 1,024 parts from zero bytes: exactly the budget of an empty input.
        var fits = new TypeTable([Units("Z", 1023)]);
        var over = new TypeTable([Units("Z", 1024)]);
        var type = new NamedType("Z");

        var value = ValueCodec.Decode(type, [], fits);
        Assert.Equal(1024, Parts(value));
        Assert.Equal("ok", ValidatorAgreement.AssertSame(type, fits, []));
        string expected = "0: the value holds more parts than the budget of 1024 parts for 0 input byte(s) (1024 + 8 per byte)";
        Assert.Equal(expected, Outcome(() => ValueCodec.Decode(type, [], over)));
        Assert.Equal(expected, ValidatorAgreement.AssertSame(type, over, []));
    }

    [Fact]
    public void A_value_of_exactly_the_budget_decodes_and_one_part_more_does_not()
    {
        // vec<Carrier> with one element and Big of m units: 2 bytes, budget 1,040; parts 1 + (m + 3).
        var type = new VecType(new NamedType("Carrier"));
        byte[] input = [1, 7];
        var fits = new TypeTable([new StructDefinition("Carrier", [new Field("a", AbiType.U8), new Field("z", new NamedType("Big"))]), Units("Big", 1036)]);
        var over = new TypeTable([new StructDefinition("Carrier", [new Field("a", AbiType.U8), new Field("z", new NamedType("Big"))]), Units("Big", 1037)]);

        Assert.Equal(ValueCodec.PartsBudget(input.Length), Parts(ValueCodec.Decode(type, input, fits)));
        Assert.Equal("ok", ValidatorAgreement.AssertSame(type, fits, input));
        string expected = "2: the value holds more parts than the budget of 1040 parts for 2 input byte(s) (1024 + 8 per byte)";
        Assert.Equal(expected, Outcome(() => ValueCodec.Decode(type, input, over)));
        Assert.Equal(expected, ValidatorAgreement.AssertSame(type, over, input));
    }

    [Fact]
    public void Dense_ordinary_values_stay_within_the_budget()
    {
        // 10,000 one-byte values each three structs deep: 4 parts a byte, half the allowance.
        var types = new TypeTable([
            new StructDefinition("Outer", [new Field("middle", new NamedType("Middle"))]),
            new StructDefinition("Middle", [new Field("inner", new NamedType("Inner"))]),
            new StructDefinition("Inner", [new Field("flag", AbiType.Bool)]),
        ]);
        var type = new VecType(new NamedType("Outer"));
        byte[] input = [.. Leb(10_000), .. Enumerable.Repeat((byte)1, 10_000)];

        Assert.Equal(1 + 4 * 10_000, Parts(ValueCodec.Decode(type, input, types)));
        Assert.Equal("ok", ValidatorAgreement.AssertSame(type, types, input));
    }

    [Fact]
    public void The_compiled_validator_bounds_zero_byte_parts_it_leaves_to_the_interpreter()
    {
        // R0 { next: R1 } ... R126 { next: Carrier }: compiling R0 first reaches Carrier 127
        // levels down, where the compiler stops and leaves Big to the interpreter. A vec of
        // Carriers validated by the same set then walks Big's 1,001 parts for every byte.
        var definitions = new List<TypeDefinition>();
        for (int i = 0; i < 127; i++)
            definitions.Add(new StructDefinition($"R{i:D3}", [new Field("next", i < 126 ? new NamedType($"R{i + 1:D3}") : new NamedType("Carrier"))]));
        definitions.Add(new StructDefinition("Carrier", [new Field("a", AbiType.U8), new Field("z", new NamedType("Big"))]));
        definitions.Add(Units("Big", 1000));
        var types = new TypeTable(definitions);
        var validators = new ValueValidators(types);
        validators.For(new NamedType("R000"));
        var carriers = validators.For(new VecType(new NamedType("Carrier")));
        byte[] input = [.. Leb(1000), .. new byte[1000]];

        Assert.Equal($"12: the value holds more parts than {Budget1002}", ValidatorAgreement.AssertSame(carriers, types, input));
        // One Carrier (2 bytes, 1,004 parts) fits in the budget of 1,040.
        Assert.Equal("ok", ValidatorAgreement.AssertSame(carriers, types, [1, 0]));
    }

    [Fact]
    public void A_reader_shares_its_budget_among_the_values_it_reads()
    {
        // Two Big values (1,001 parts each) from one empty buffer: the second exceeds the 1,024.
        var reader = new ValueReader([]);
        ValueCodec.Skip(ref reader, new NamedType("Big"), Carriers);
        Assert.Equal(1024 - 1001, reader.PartsLeft);
        var error = Assert.Throws<AbiDecodeException>(() =>
        {
            var again = new ValueReader([]);
            ValueCodec.Skip(ref again, new NamedType("Big"), Carriers);
            ValueCodec.Skip(ref again, new NamedType("Big"), Carriers);
        });
        Assert.Equal("the value holds more parts than the budget of 1024 parts for 0 input byte(s) (1024 + 8 per byte)", error.Reason);
    }

    private static StructDefinition Units(string name, int count) =>
        new(name, Enumerable.Range(0, count).Select(i => new Field($"u{i}", new TupleType([]))).ToArray());

    private static byte[] Leb(uint value)
    {
        var output = new ArrayBufferWriter<byte>();
        new ValueWriter(output).WriteLength(value);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>The parts of a decoded value: itself and, recursively, those it holds.</summary>
    private static long Parts(AbiValue value) => 1 + value switch
    {
        OptionValue { Value: { } inner } => Parts(inner),
        VecValue vec => vec.Items.Sum(Parts),
        TupleValue tuple => tuple.Items.Sum(Parts),
        StructValue s => s.Fields.Sum(Parts),
        EnumValue e => e.Fields.Sum(Parts),
        _ => 0,
    };

    private static string Outcome(Func<AbiValue> decode)
    {
        try
        {
            decode();
            return "ok";
        }
        catch (AbiDecodeException e)
        {
            return $"{e.Offset}: {e.Reason}";
        }
    }
}
