using Interstice.Abi.Types;

namespace Interstice.Abi.Tests;

public class TypeSyntaxTests
{
    [Theory]
    [InlineData("u8")]
    [InlineData("option<vec<Mood>>")]
    [InlineData("(u8, string)")]
    [InlineData("(u8,)")]
    [InlineData("()")]
    [InlineData("vec<(hello.Mood, option<bytes>)>")]
    public void Formatting_a_parsed_type_gives_the_text_back(string text) => Assert.Equal(text, TypeSyntax.Format(TypeSyntax.Parse(text)));

    [Fact]
    public void Whitespace_is_ignored() => Assert.Equal(new VecType(new OptionType(AbiType.U8)), TypeSyntax.Parse(" vec < option<u8> > "));

    [Theory]
    [InlineData("vec<u8", "expected '>'")]
    [InlineData("(u8)", "a one-element tuple is written (T,)")]
    [InlineData("option", "expected '<'")]
    [InlineData("u8 u16", "unexpected text after the type")]
    [InlineData("", "expected a type")]
    [InlineData("<u8>", "unexpected '<'")]
    public void Malformed_types_name_the_problem(string text, string expected) =>
        Assert.Contains(expected, Assert.Throws<FormatException>(() => TypeSyntax.Parse(text)).Message);

    [Fact]
    public void Absurdly_nested_types_are_rejected()
    {
        string text = string.Concat(Enumerable.Repeat("option<", 200)) + "u8" + new string('>', 200);

        Assert.Contains("deeper than 128", Assert.Throws<FormatException>(() => TypeSyntax.Parse(text)).Message);
    }
}
