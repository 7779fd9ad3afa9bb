using System.Buffers;
using Interstice.Abi.Encoding;
using Interstice.Abi.Types;

namespace Interstice.Abi.Tests;

/// <summary>
/// The compiled validator on each kind of error, where its shortcuts (merged fixed-size fields,
/// vecs of fixed-size elements, named types resolved once) must still give the interpreter's
/// message and offset. Each case states the expected outcome and checks the interpreter agrees.
/// </summary>
public class ValueValidatorTests
{
    /// <summary><c>List { Nil, Cons(u32, List) }</c> and <c>Chain { End(Point), Next(Chain) }</c> with <c>Point { pair: Pair, flag: bool }</c>, <c>Pair { x: u8, y: u16 }</c>.</summary>
    private static readonly TypeTable Recursive = new([
        new EnumDefinition("List", [Variant.Unit("Nil"), Variant.Tuple("Cons", AbiType.U32, new NamedType("List"))]),
        new EnumDefinition("Chain", [Variant.Tuple("End", new NamedType("Point")), Variant.Tuple("Next", new NamedType("Chain"))]),
        new StructDefinition("Point", [new Field("pair", new NamedType("Pair")), new Field("flag", AbiType.Bool)]),
        new StructDefinition("Pair", [new Field("x", AbiType.U8), new Field("y", AbiType.U16)]),
    ]);

    private static readonly TypeTable Flat = new([
        new StructDefinition("Row", [new Field("id", AbiType.U64), new Field("on", AbiType.Bool), new Field("group", AbiType.U32), new Field("key", AbiType.String)]),
        new EnumDefinition("Mood", [Variant.Unit("Happy"), Variant.Unit("Sad"), Variant.Tuple("Other", AbiType.String)]),
    ]);

    [Fact]
    public void Values_may_nest_up_to_the_depth_limit_and_no_deeper()
    {
        var list = new ValueValidators(Recursive).For(new NamedType("List"));

        Assert.Equal("ok", ValidatorAgreement.AssertSame(list, Recursive, ListOf(ValueCodec.MaxDepth - 1)));
        // The 129th enum level starts after 128 Cons cells of 5 bytes each.
        Assert.Equal($"{128 * 5}: value nests deeper than 128 levels", ValidatorAgreement.AssertSame(list, Recursive, ListOf(ValueCodec.MaxDepth)));
    }

    [Fact]
    public void A_fixed_size_struct_at_the_depth_limit_is_checked_level_by_level()
    {
        var chain = new ValueValidators(Recursive).For(new NamedType("Chain"));

        // n Next levels, End, then Point (entered at depth n + 1) and Pair (n + 2): Pair must enter below 128.
        Assert.Equal("ok", ValidatorAgreement.AssertSame(chain, Recursive, ChainOf(125)));
        Assert.Equal("127: value nests deeper than 128 levels", ValidatorAgreement.AssertSame(chain, Recursive, ChainOf(126)));
        Assert.Equal("128: value nests deeper than 128 levels", ValidatorAgreement.AssertSame(chain, Recursive, ChainOf(127)));
        byte[] badFlag = ChainOf(125);
        badFlag[^1] = 7;
        Assert.Equal($"{badFlag.Length - 1}: bool must be 0 or 1, found 0x07", ValidatorAgreement.AssertSame(chain, Recursive, badFlag));
    }

    [Fact]
    public void Types_nested_past_what_the_compiler_recurses_into_are_still_checked()
    {
        // A chain of 200 structs, each holding the next: values nest 200 levels, past the limit.
        var definitions = new List<TypeDefinition>();
        for (int i = 0; i < 199; i++) definitions.Add(new StructDefinition($"S{i}", [new Field("x", AbiType.U8), new Field("next", new NamedType($"S{i + 1}"))]));
        definitions.Add(new StructDefinition("S199", [new Field("x", AbiType.U8)]));
        var chain = new TypeTable(definitions);
        Assert.Equal("128: value nests deeper than 128 levels", ValidatorAgreement.AssertSame(new NamedType("S0"), chain, new byte[200]));
        Assert.Equal("ok", ValidatorAgreement.AssertSame(new NamedType("S100"), chain, new byte[100]));

        // An option nested 300 times, built directly (the parsers stop at 128 levels).
        AbiType deep = AbiType.U8;
        for (int i = 0; i < 300; i++) deep = new OptionType(deep);
        Assert.Equal("ok", ValidatorAgreement.AssertSame(deep, TypeTable.Empty, [0]));
        Assert.Equal("128: value nests deeper than 128 levels", ValidatorAgreement.AssertSame(deep, TypeTable.Empty, Enumerable.Repeat((byte)1, 300).ToArray()));
    }

    [Fact]
    public void An_undefined_named_type_fails_only_when_a_value_reaches_it()
    {
        var type = TypeSyntax.Parse("(u16, vec<Missing>)");
        var validator = new ValueValidators(TypeTable.Empty).For(type);

        Assert.Equal("ok", ValidatorAgreement.AssertSame(validator, TypeTable.Empty, [1, 0, 0]));
        Assert.Equal("3: type 'Missing' is not defined", ValidatorAgreement.AssertSame(validator, TypeTable.Empty, [1, 0, 1, 0]));
    }

    [Fact]
    public void A_bool_among_merged_fields_is_checked()
    {
        var row = new ValueValidators(Flat).For(new NamedType("Row"));
        byte[] valid = Encode(new NamedType("Row"), Flat, new StructValue([
            new IntegerValue(TypeTag.U64, 9), new BoolValue(true), new IntegerValue(TypeTag.U32, 3), new StringValue("k")]));
        Assert.Equal("ok", ValidatorAgreement.AssertSame(row, Flat, valid));

        byte[] badBool = (byte[])valid.Clone();
        badBool[8] = 2;
        Assert.Equal("8: bool must be 0 or 1, found 0x02", ValidatorAgreement.AssertSame(row, Flat, badBool));
    }

    [Fact]
    public void Merged_fields_cut_short_fail_at_the_field_that_is_cut()
    {
        var row = new ValueValidators(Flat).For(new NamedType("Row"));
        byte[] valid = Encode(new NamedType("Row"), Flat, new StructValue([
            new IntegerValue(TypeTag.U64, 9), new BoolValue(false), new IntegerValue(TypeTag.U32, 3), new StringValue("k")]));

        Assert.Equal("9: bytes needs 4 byte(s), 1 remain", ValidatorAgreement.AssertSame(row, Flat, valid[..10]));
        Assert.Equal("8: u8 needs 1 byte(s), 0 remain", ValidatorAgreement.AssertSame(row, Flat, valid[..8]));
        Assert.Equal("0: bytes needs 8 byte(s), 3 remain", ValidatorAgreement.AssertSame(row, Flat, valid[..3]));
    }

    [Fact]
    public void A_bad_option_tag_is_an_error()
    {
        Assert.Equal("2: option tag must be 0 or 1, found 0x02", ValidatorAgreement.AssertSame(TypeSyntax.Parse("(u16, option<u32>)"), TypeTable.Empty, [0, 0, 2, 1, 2, 3, 4]));
    }

    [Fact]
    public void An_enum_index_past_the_variants_is_an_error()
    {
        Assert.Equal("0: variant index 3 is out of range (the enum has 3 variants)", ValidatorAgreement.AssertSame(new NamedType("Mood"), Flat, [3]));
        Assert.Equal("ok", ValidatorAgreement.AssertSame(new NamedType("Mood"), Flat, [2, 1, (byte)'x']));
    }

    [Fact]
    public void A_string_that_is_not_utf8_is_an_error()
    {
        Assert.Equal("4: string is not valid UTF-8", ValidatorAgreement.AssertSame(TypeSyntax.Parse("(u32, string)"), TypeTable.Empty, [0, 0, 0, 0, 2, 0xC3, 0x28]));
    }

    [Fact]
    public void A_length_past_the_end_and_trailing_bytes_are_errors()
    {
        Assert.Equal("1: length 5 exceeds the 2 remaining byte(s)", ValidatorAgreement.AssertSame(TypeSyntax.Parse("(u8, bytes)"), TypeTable.Empty, [0, 5, 1, 2]));
        Assert.Equal("2: 1 unexpected byte(s) after the value", ValidatorAgreement.AssertSame(AbiType.U16, TypeTable.Empty, [0, 0, 9]));
    }

    [Fact]
    public void Vecs_of_fixed_size_elements_find_the_bad_element()
    {
        var type = TypeSyntax.Parse("vec<(u16, bool)>");
        byte[] valid = [3, 1, 0, 1, 2, 0, 0, 3, 0, 1];
        Assert.Equal("ok", ValidatorAgreement.AssertSame(type, TypeTable.Empty, valid));

        byte[] badBool = (byte[])valid.Clone();
        badBool[6] = 9;
        Assert.Equal("6: bool must be 0 or 1, found 0x09", ValidatorAgreement.AssertSame(type, TypeTable.Empty, badBool));
        Assert.Equal("7: bytes needs 2 byte(s), 1 remain", ValidatorAgreement.AssertSame(type, TypeTable.Empty, valid[..8]));
    }

    [Fact]
    public void Fixed_size_values_larger_than_one_merged_run_are_checked_in_parts()
    {
        // 1,000 (u64, bool) pairs: 9,000 bytes, more than one run holds.
        var type = new TupleType(Enumerable.Repeat<AbiType>(TypeSyntax.Parse("(u64, bool)"), 1000).ToArray());
        byte[] valid = new byte[9000];
        Assert.Equal("ok", ValidatorAgreement.AssertSame(type, TypeTable.Empty, valid));

        byte[] badBool = (byte[])valid.Clone();
        badBool[8999] = 2;
        Assert.Equal("8999: bool must be 0 or 1, found 0x02", ValidatorAgreement.AssertSame(type, TypeTable.Empty, badBool));
        Assert.Equal("8991: bytes needs 8 byte(s), 4 remain", ValidatorAgreement.AssertSame(type, TypeTable.Empty, valid[..8995]));
        Assert.Equal("4607: bool must be 0 or 1, found 0x05", ValidatorAgreement.AssertSame(type, TypeTable.Empty, Replace(valid, 4607, 5)));
    }

    [Fact]
    public void Validating_allocates_nothing()
    {
        var row = new ValueValidators(Flat).For(new NamedType("Row"));
        byte[] valid = Encode(new NamedType("Row"), Flat, new StructValue([
            new IntegerValue(TypeTag.U64, 9), new BoolValue(true), new IntegerValue(TypeTag.U32, 3), new StringValue("key-9")]));
        var list = new ValueValidators(Recursive).For(new NamedType("List"));
        byte[] cells = ListOf(100);
        row.Validate(valid);
        list.Validate(cells);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            row.Validate(valid);
            list.Validate(cells);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    /// <summary>A <c>List</c> of <paramref name="cells"/> Cons cells (each 1 + 4 bytes) and a Nil: cells + 1 enum levels.</summary>
    private static byte[] ListOf(int cells)
    {
        var bytes = new List<byte>();
        for (int i = 0; i < cells; i++) bytes.AddRange([1, (byte)i, 0, 0, 0]);
        bytes.Add(0);
        return bytes.ToArray();
    }

    /// <summary>A <c>Chain</c> of <paramref name="links"/> Next levels, then End with a Point (x, y, flag = 1).</summary>
    private static byte[] ChainOf(int links)
    {
        var bytes = new List<byte>();
        for (int i = 0; i < links; i++) bytes.Add(1);
        bytes.AddRange([0, 5, 6, 0, 1]);
        return bytes.ToArray();
    }

    private static byte[] Encode(AbiType type, TypeTable types, AbiValue value)
    {
        var buffer = new ArrayBufferWriter<byte>();
        ValueCodec.Encode(type, value, types, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    private static byte[] Replace(byte[] bytes, int index, byte value)
    {
        byte[] copy = (byte[])bytes.Clone();
        copy[index] = value;
        return copy;
    }
}
