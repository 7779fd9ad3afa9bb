using System.Text;

namespace Interstice.Abi.Types;

/// <summary>
/// The text form of type expressions used by the JSON schema and the test vectors
/// (docs/abi.md section 7): <c>u32</c>, <c>option&lt;vec&lt;Mood&gt;&gt;</c>, <c>(u8, string)</c>,
/// <c>()</c>, <c>(T,)</c>, <c>hello.Mood</c>.
/// </summary>
public static class TypeSyntax
{
    /// <summary>The keywords that name primitive types and type constructors (not usable as type names).</summary>
    public static IReadOnlySet<string> Keywords { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "bool", "u8", "u16", "u32", "u64", "i8", "i16", "i32", "i64", "f32", "f64", "string", "bytes", "option", "vec",
    };

    /// <summary>Formats <paramref name="type"/> in its text form.</summary>
    public static string Format(AbiType type)
    {
        var builder = new StringBuilder();
        Append(builder, type);
        return builder.ToString();
    }

    private static void Append(StringBuilder builder, AbiType type)
    {
        switch (type)
        {
            case OptionType option:
                builder.Append("option<");
                Append(builder, option.Element);
                builder.Append('>');
                break;
            case VecType vec:
                builder.Append("vec<");
                Append(builder, vec.Element);
                builder.Append('>');
                break;
            case TupleType tuple:
                builder.Append('(');
                for (int i = 0; i < tuple.Elements.Count; i++)
                {
                    if (i > 0) builder.Append(", ");
                    Append(builder, tuple.Elements[i]);
                }
                if (tuple.Elements.Count == 1) builder.Append(',');
                builder.Append(')');
                break;
            case NamedType named:
                builder.Append(named.Name);
                break;
            default:
                builder.Append(PrimitiveName(type.Tag));
                break;
        }
    }

    private static string PrimitiveName(TypeTag tag) => tag switch
    {
        TypeTag.Bool => "bool",
        TypeTag.U8 => "u8",
        TypeTag.U16 => "u16",
        TypeTag.U32 => "u32",
        TypeTag.U64 => "u64",
        TypeTag.I8 => "i8",
        TypeTag.I16 => "i16",
        TypeTag.I32 => "i32",
        TypeTag.I64 => "i64",
        TypeTag.F32 => "f32",
        TypeTag.F64 => "f64",
        TypeTag.String => "string",
        TypeTag.Bytes => "bytes",
        _ => throw new ArgumentOutOfRangeException(nameof(tag), tag, "not a primitive type tag"),
    };

    /// <summary>Parses a type expression; throws <see cref="FormatException"/> naming the position of the problem.</summary>
    public static AbiType Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parser = new Parser(text);
        var type = parser.ParseType(depth: 0);
        parser.SkipSpaces();
        if (!parser.AtEnd) throw parser.Error("unexpected text after the type");
        return type;
    }

    private ref struct Parser(string text)
    {
        private int _pos;

        public readonly bool AtEnd => _pos >= text.Length;

        public void SkipSpaces()
        {
            while (_pos < text.Length && char.IsWhiteSpace(text[_pos])) _pos++;
        }

        public readonly FormatException Error(string message) =>
            new($"type '{text}': {message} at position {_pos}");

        public AbiType ParseType(int depth)
        {
            if (depth > Encoding.ValueCodec.MaxDepth) throw Error($"type nests deeper than {Encoding.ValueCodec.MaxDepth} levels");
            SkipSpaces();
            if (AtEnd) throw Error("expected a type");
            if (text[_pos] == '(') return ParseTuple(depth);
            int start = _pos;
            while (_pos < text.Length && IsNameChar(text[_pos])) _pos++;
            if (_pos == start) throw Error($"unexpected '{text[_pos]}'");
            string word = text[start.._pos];
            switch (word)
            {
                case "bool": return AbiType.Bool;
                case "u8": return AbiType.U8;
                case "u16": return AbiType.U16;
                case "u32": return AbiType.U32;
                case "u64": return AbiType.U64;
                case "i8": return AbiType.I8;
                case "i16": return AbiType.I16;
                case "i32": return AbiType.I32;
                case "i64": return AbiType.I64;
                case "f32": return AbiType.F32;
                case "f64": return AbiType.F64;
                case "string": return AbiType.String;
                case "bytes": return AbiType.Bytes;
                case "option": return new OptionType(ParseArgument(depth));
                case "vec": return new VecType(ParseArgument(depth));
                default: return new NamedType(word);
            }
        }

        private AbiType ParseArgument(int depth)
        {
            Expect('<');
            var element = ParseType(depth + 1);
            Expect('>');
            return element;
        }

        private AbiType ParseTuple(int depth)
        {
            Expect('(');
            var elements = new List<AbiType>();
            bool trailingComma = false;
            SkipSpaces();
            while (!AtEnd && text[_pos] != ')')
            {
                elements.Add(ParseType(depth + 1));
                SkipSpaces();
                trailingComma = false;
                if (!AtEnd && text[_pos] == ',')
                {
                    _pos++;
                    trailingComma = true;
                    SkipSpaces();
                    continue;
                }
                break;
            }
            Expect(')');
            if (elements.Count == 1 && !trailingComma) throw Error("a one-element tuple is written (T,)");
            return elements.Count == 0 ? AbiType.Unit : new TupleType(elements.ToArray());
        }

        private void Expect(char c)
        {
            SkipSpaces();
            if (AtEnd || text[_pos] != c) throw Error($"expected '{c}'");
            _pos++;
        }

        private static bool IsNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.';
    }
}
