using System.Text.Json;
using Interstice.Abi.Encoding;
using Interstice.Abi.Types;

namespace Interstice.Abi.Tests;

/// <summary>Every vector of abi/vectors/values.json and invalid.json, both ways.</summary>
public class GoldenValueTests
{
    public static TheoryData<string> ValueNames => GoldenVectors.ValueNames;

    public static TheoryData<string> InvalidNames => GoldenVectors.InvalidNames;

    [Theory]
    [MemberData(nameof(ValueNames))]
    public void Encoding_the_value_gives_the_bytes(string name)
    {
        var vector = GoldenVectors.Values[name];
        var type = TypeSyntax.Parse(vector.Type);
        var value = ValueJson.Read(vector.Value, type, GoldenVectors.Types);

        Assert.Equal(Convert.ToHexStringLower(vector.Bytes), Convert.ToHexStringLower(ValueCodec.Encode(type, value, GoldenVectors.Types)));
    }

    [Theory]
    [MemberData(nameof(ValueNames))]
    public void Decoding_the_bytes_gives_the_value(string name)
    {
        var vector = GoldenVectors.Values[name];
        var type = TypeSyntax.Parse(vector.Type);
        var expected = ValueJson.Read(vector.Value, type, GoldenVectors.Types);

        var decoded = ValueCodec.Decode(type, vector.Bytes, GoldenVectors.Types);

        Assert.Equal(expected, decoded);
        ValueCodec.Validate(type, vector.Bytes, GoldenVectors.Types);
        Assert.Equal("ok", ValidatorAgreement.AssertSame(type, GoldenVectors.Types, vector.Bytes));
    }

    [Theory]
    [MemberData(nameof(ValueNames))]
    public void The_json_form_round_trips(string name)
    {
        var vector = GoldenVectors.Values[name];
        var type = TypeSyntax.Parse(vector.Type);
        var value = ValueCodec.Decode(type, vector.Bytes, GoldenVectors.Types);

        string json = ValueJson.Format(type, value, GoldenVectors.Types);

        Assert.Equal(value, ValueJson.Parse(json, type, GoldenVectors.Types));
        Assert.Equal(vector.Type, TypeSyntax.Format(type));
    }

    [Theory]
    [MemberData(nameof(InvalidNames))]
    public void Invalid_bytes_do_not_decode(string name)
    {
        var vector = GoldenVectors.Invalid[name];
        var type = TypeSyntax.Parse(vector.Type);

        Assert.Throws<AbiDecodeException>(() => ValueCodec.Decode(type, vector.Bytes, GoldenVectors.Types));
        Assert.Throws<AbiDecodeException>(() => ValueCodec.Validate(type, vector.Bytes, GoldenVectors.Types));
        Assert.NotEqual("ok", ValidatorAgreement.AssertSame(type, GoldenVectors.Types, vector.Bytes));
    }

    [Fact]
    public void Every_type_of_the_abi_has_a_vector()
    {
        var seen = new HashSet<TypeTag>();
        foreach (var vector in GoldenVectors.Values.Values) Collect(TypeSyntax.Parse(vector.Type), seen);

        foreach (var tag in Enum.GetValues<TypeTag>()) Assert.Contains(tag, seen);
    }

    private static void Collect(AbiType type, HashSet<TypeTag> seen, HashSet<string>? visited = null)
    {
        visited ??= [];
        seen.Add(type.Tag);
        switch (type)
        {
            case OptionType o: Collect(o.Element, seen, visited); break;
            case VecType v: Collect(v.Element, seen, visited); break;
            case TupleType t: foreach (var e in t.Elements) Collect(e, seen, visited); break;
            case NamedType n when visited.Add(n.Name) && GoldenVectors.Types.Get(n.Name) is StructDefinition s:
                foreach (var f in s.Fields) Collect(f.Type, seen, visited);
                break;
        }
    }

    [Fact]
    public void Decode_errors_name_the_offset()
    {
        var error = Assert.Throws<AbiDecodeException>(() => ValueCodec.Decode(TypeSyntax.Parse("(u8, bool)"), [0x01, 0x07], TypeTable.Empty));

        Assert.Equal(1, error.Offset);
        Assert.Contains("bool must be 0 or 1, found 0x07", error.Message);
    }

    [Fact]
    public void Json_numbers_beyond_double_precision_are_exact()
    {
        var value = ValueJson.Parse("\"18446744073709551615\"", AbiType.U64, TypeTable.Empty);

        Assert.Equal(new IntegerValue(TypeTag.U64, ulong.MaxValue), value);
        Assert.Equal("18446744073709551615", ValueJson.Format(AbiType.U64, value, TypeTable.Empty));
    }

    [Theory]
    [InlineData("u8", "256", "$: 256 is out of range for u8")]
    [InlineData("i8", "1.5", "$: expected an integer (i8), found 1.5")]
    [InlineData("vec<bool>", "[true, 1]", "$[1]: expected true or false, found 1")]
    [InlineData("Point", "{\"x\": 1}", "$: field 'y' of Point is missing")]
    [InlineData("Point", "{\"x\": 1, \"y\": 2, \"z\": 3}", "$: Point has no field 'z'")]
    [InlineData("Shape", "\"Square\"", "$: enum Shape has no variant 'Square'")]
    [InlineData("Shape", "{\"Circle\": 1.0}", "$.Circle: expected an array of 1 element(s)")]
    [InlineData("Shape", "\"Circle\"", "$.Circle: expected an array of 1 element(s)")]
    [InlineData("bytes", "\"abc\"", "$: expected an even number of hex digits")]
    [InlineData("f32", "\"bits:0x1\"", "$: expected a number, \"NaN\"")]
    [InlineData("f32", "1e39", "$: 1e39 is out of range for f32")]
    [InlineData("option<option<u8>>", "3", "$: expected null or {\"some\": value}")]
    [InlineData("Wrapper", "{\"inner\": null, \"tags\": [], \"data\": \"\", \"pair\": [1, \"Red\", 2], \"maybe\": null}", "$.pair: expected an array of 2 element(s)")]
    public void Json_errors_name_the_path(string type, string json, string expected)
    {
        var error = Assert.Throws<FormatException>(() => ValueJson.Parse(json, TypeSyntax.Parse(type), GoldenVectors.Types));

        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Encoding_rejects_values_that_do_not_fit_their_type()
    {
        Assert.Throws<ArgumentException>(() => ValueCodec.Encode(AbiType.U8, new IntegerValue(TypeTag.U8, 256), TypeTable.Empty));
        Assert.Throws<ArgumentException>(() => ValueCodec.Encode(AbiType.U8, new IntegerValue(TypeTag.U16, 1), TypeTable.Empty));
        Assert.Throws<ArgumentException>(() => ValueCodec.Encode(AbiType.String, new BoolValue(true), TypeTable.Empty));
        Assert.Throws<ArgumentException>(() => ValueCodec.Encode(AbiType.String, new StringValue("\ud800"), TypeTable.Empty));
        Assert.Throws<ArgumentException>(() => ValueCodec.Encode(new NamedType("Shape"), new EnumValue(9, EquatableArray<AbiValue>.Empty), GoldenVectors.Types));
    }

    [Fact]
    public void The_json_value_form_keeps_float_bits()
    {
        var nan = new F32Value(BitConverter.UInt32BitsToSingle(0x7fc00001));
        string json = ValueJson.Format(AbiType.F32, nan, TypeTable.Empty);

        Assert.Equal("\"bits:0x7fc00001\"", json);
        Assert.Equal(nan, ValueJson.Parse(json, AbiType.F32, TypeTable.Empty));
        Assert.NotEqual(new F64Value(0.0), new F64Value(-0.0));
        using var doc = JsonDocument.Parse("-0.0");
        Assert.Equal(new F64Value(-0.0), ValueJson.Read(doc.RootElement, AbiType.F64, TypeTable.Empty));
    }
}
