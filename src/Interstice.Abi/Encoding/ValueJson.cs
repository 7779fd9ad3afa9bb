using System.Globalization;
using System.Text;
using System.Text.Json;
using Interstice.Abi.Types;

namespace Interstice.Abi.Encoding;

/// <summary>
/// Converts values to and from JSON, directed by their type (docs/abi.md section 7): how the CLI
/// and the node take reducer arguments and show results. Malformed input throws
/// <see cref="FormatException"/> naming the JSON path (<c>$.args[1].name</c>) and what was expected.
/// </summary>
public static class ValueJson
{
    private const uint DefaultNaN32 = 0x7FC0_0000;
    private const ulong DefaultNaN64 = 0x7FF8_0000_0000_0000;

    /// <summary>The JSON text of <paramref name="value"/> (compact).</summary>
    public static string Format(AbiType type, AbiValue value, TypeTable types)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            Write(writer, type, value, types);
        }
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Writes <paramref name="value"/> of <paramref name="type"/> as JSON.</summary>
    public static void Write(Utf8JsonWriter writer, AbiType type, AbiValue value, TypeTable types)
    {
        ArgumentNullException.ThrowIfNull(writer);
        WriteValue(writer, type, value, types, 0);
    }

    /// <summary>Parses JSON text into a value of <paramref name="type"/>.</summary>
    public static AbiValue Parse(string json, AbiType type, TypeTable types)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new FormatException($"not valid JSON: {e.Message}", e);
        }
        using (document) return Read(document.RootElement, type, types);
    }

    /// <summary>Reads a value of <paramref name="type"/> from a JSON element.</summary>
    public static AbiValue Read(JsonElement element, AbiType type, TypeTable types)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(types);
        return ReadValue(element, type, types, "$", 0);
    }

    private static void WriteValue(Utf8JsonWriter writer, AbiType type, AbiValue value, TypeTable types, int depth)
    {
        if (depth > ValueCodec.MaxDepth) throw new ArgumentException($"value nests deeper than {ValueCodec.MaxDepth} levels");
        switch (type)
        {
            case { Tag: TypeTag.Bool }:
                writer.WriteBooleanValue(((BoolValue)value).Value);
                return;
            case { IsInteger: true }:
            {
                var integer = ((IntegerValue)value).Value;
                if (integer < 0) writer.WriteNumberValue((long)integer);
                else writer.WriteNumberValue((ulong)integer);
                return;
            }
            case { Tag: TypeTag.F32 }:
            {
                float f = ((F32Value)value).Value;
                uint bits = BitConverter.SingleToUInt32Bits(f);
                if (float.IsFinite(f)) writer.WriteNumberValue(f);
                else if (float.IsInfinity(f)) writer.WriteStringValue(f > 0 ? "Infinity" : "-Infinity");
                else if (bits == DefaultNaN32) writer.WriteStringValue("NaN");
                else writer.WriteStringValue($"bits:0x{bits:x8}");
                return;
            }
            case { Tag: TypeTag.F64 }:
            {
                double d = ((F64Value)value).Value;
                ulong bits = BitConverter.DoubleToUInt64Bits(d);
                if (double.IsFinite(d)) writer.WriteNumberValue(d);
                else if (double.IsInfinity(d)) writer.WriteStringValue(d > 0 ? "Infinity" : "-Infinity");
                else if (bits == DefaultNaN64) writer.WriteStringValue("NaN");
                else writer.WriteStringValue($"bits:0x{bits:x16}");
                return;
            }
            case { Tag: TypeTag.String }:
                writer.WriteStringValue(((StringValue)value).Value);
                return;
            case { Tag: TypeTag.Bytes }:
                writer.WriteStringValue(Convert.ToHexStringLower(((BytesValue)value).Value.AsSpan()));
                return;
            case OptionType option:
            {
                var inner = ((OptionValue)value).Value;
                if (inner is null)
                {
                    writer.WriteNullValue();
                }
                else if (option.Element is OptionType)
                {
                    writer.WriteStartObject();
                    writer.WritePropertyName("some");
                    WriteValue(writer, option.Element, inner, types, depth + 1);
                    writer.WriteEndObject();
                }
                else
                {
                    WriteValue(writer, option.Element, inner, types, depth + 1);
                }
                return;
            }
            case VecType vec:
                writer.WriteStartArray();
                foreach (var item in ((VecValue)value).Items) WriteValue(writer, vec.Element, item, types, depth + 1);
                writer.WriteEndArray();
                return;
            case TupleType tuple:
            {
                var items = ((TupleValue)value).Items;
                writer.WriteStartArray();
                for (int i = 0; i < tuple.Elements.Count; i++) WriteValue(writer, tuple.Elements[i], items[i], types, depth + 1);
                writer.WriteEndArray();
                return;
            }
            case NamedType named:
                switch (types.Get(named.Name))
                {
                    case StructDefinition s:
                        WriteObject(writer, s.Fields, ((StructValue)value).Fields, types, depth + 1);
                        return;
                    case EnumDefinition e:
                    {
                        var enumValue = (EnumValue)value;
                        var variant = e.Variants[enumValue.Variant];
                        if (variant.Kind == VariantKind.Unit)
                        {
                            writer.WriteStringValue(variant.Name);
                            return;
                        }
                        writer.WriteStartObject();
                        writer.WritePropertyName(variant.Name);
                        if (variant.Kind == VariantKind.Struct)
                        {
                            WriteObject(writer, variant.Fields, enumValue.Fields, types, depth + 1);
                        }
                        else
                        {
                            writer.WriteStartArray();
                            for (int i = 0; i < variant.Fields.Count; i++) WriteValue(writer, variant.Fields[i].Type, enumValue.Fields[i], types, depth + 1);
                            writer.WriteEndArray();
                        }
                        writer.WriteEndObject();
                        return;
                    }
                }
                break;
        }
        throw new ArgumentException($"unsupported type {type}");
    }

    private static void WriteObject(Utf8JsonWriter writer, EquatableArray<Field> fields, EquatableArray<AbiValue> values, TypeTable types, int depth)
    {
        writer.WriteStartObject();
        for (int i = 0; i < fields.Count; i++)
        {
            writer.WritePropertyName(fields[i].Name);
            WriteValue(writer, fields[i].Type, values[i], types, depth);
        }
        writer.WriteEndObject();
    }

    private static AbiValue ReadValue(JsonElement element, AbiType type, TypeTable types, string path, int depth)
    {
        if (depth > ValueCodec.MaxDepth) throw new FormatException($"{path}: value nests deeper than {ValueCodec.MaxDepth} levels");
        switch (type)
        {
            case { Tag: TypeTag.Bool }:
                return element.ValueKind switch
                {
                    JsonValueKind.True => new BoolValue(true),
                    JsonValueKind.False => new BoolValue(false),
                    _ => throw Expected(path, "true or false", element),
                };
            case { IsInteger: true }:
                return ReadInteger(element, type.Tag, path);
            case { Tag: TypeTag.F32 }:
                return new F32Value(ReadF32(element, path));
            case { Tag: TypeTag.F64 }:
                return new F64Value(ReadF64(element, path));
            case { Tag: TypeTag.String }:
                if (element.ValueKind != JsonValueKind.String) throw Expected(path, "a string", element);
                return new StringValue(element.GetString()!);
            case { Tag: TypeTag.Bytes }:
            {
                if (element.ValueKind != JsonValueKind.String) throw Expected(path, "a string of hex digits", element);
                string hex = element.GetString()!;
                try
                {
                    return new BytesValue(Convert.FromHexString(hex));
                }
                catch (FormatException)
                {
                    throw new FormatException($"{path}: expected an even number of hex digits, found \"{hex}\"");
                }
            }
            case OptionType option:
                if (element.ValueKind == JsonValueKind.Null) return OptionValue.None;
                if (option.Element is OptionType)
                {
                    if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty("some", out var some) || CountProperties(element) != 1)
                        throw Expected(path, "null or {\"some\": value} (the option holds an option)", element);
                    return new OptionValue(ReadValue(some, option.Element, types, path + ".some", depth + 1));
                }
                return new OptionValue(ReadValue(element, option.Element, types, path, depth + 1));
            case VecType vec:
            {
                if (element.ValueKind != JsonValueKind.Array) throw Expected(path, "an array", element);
                var items = new AbiValue[element.GetArrayLength()];
                int i = 0;
                foreach (var item in element.EnumerateArray())
                {
                    items[i] = ReadValue(item, vec.Element, types, $"{path}[{i}]", depth + 1);
                    i++;
                }
                return new VecValue(items);
            }
            case TupleType tuple:
            {
                if (element.ValueKind != JsonValueKind.Array || element.GetArrayLength() != tuple.Elements.Count)
                    throw Expected(path, $"an array of {tuple.Elements.Count} element(s)", element);
                var items = new AbiValue[tuple.Elements.Count];
                int i = 0;
                foreach (var item in element.EnumerateArray())
                {
                    items[i] = ReadValue(item, tuple.Elements[i], types, $"{path}[{i}]", depth + 1);
                    i++;
                }
                return new TupleValue(items);
            }
            case NamedType named:
            {
                var definition = types.Find(named.Name) ?? throw new FormatException($"{path}: type '{named.Name}' is not defined");
                if (definition is StructDefinition s) return new StructValue(ReadObject(element, s.Fields, types, path, depth + 1, s.Name));
                return ReadEnum(element, (EnumDefinition)definition, types, path, depth + 1);
            }
        }
        throw new ArgumentException($"unsupported type {type}");
    }

    private static AbiValue[] ReadObject(JsonElement element, EquatableArray<Field> fields, TypeTable types, string path, int depth, string what)
    {
        if (element.ValueKind != JsonValueKind.Object) throw Expected(path, $"an object ({what})", element);
        var values = new AbiValue[fields.Count];
        var seen = new bool[fields.Count];
        foreach (var property in element.EnumerateObject())
        {
            int index = IndexOf(fields, property.Name);
            if (index < 0) throw new FormatException($"{path}: {what} has no field '{property.Name}'");
            if (seen[index]) throw new FormatException($"{path}: field '{property.Name}' is given twice");
            seen[index] = true;
            values[index] = ReadValue(property.Value, fields[index].Type, types, $"{path}.{property.Name}", depth);
        }
        for (int i = 0; i < fields.Count; i++)
        {
            if (!seen[i]) throw new FormatException($"{path}: field '{fields[i].Name}' of {what} is missing");
        }
        return values;
    }

    private static EnumValue ReadEnum(JsonElement element, EnumDefinition definition, TypeTable types, string path, int depth)
    {
        string variantName;
        JsonElement payload = default;
        if (element.ValueKind == JsonValueKind.String)
        {
            variantName = element.GetString()!;
        }
        else if (element.ValueKind == JsonValueKind.Object && CountProperties(element) == 1)
        {
            var property = element.EnumerateObject().First();
            variantName = property.Name;
            payload = property.Value;
        }
        else
        {
            throw Expected(path, $"\"Variant\" or {{\"Variant\": payload}} (enum {definition.Name})", element);
        }

        int index = -1;
        for (int i = 0; i < definition.Variants.Count; i++)
        {
            if (definition.Variants[i].Name == variantName) index = i;
        }
        if (index < 0) throw new FormatException($"{path}: enum {definition.Name} has no variant '{variantName}'");
        var variant = definition.Variants[index];
        string variantPath = $"{path}.{variantName}";
        switch (variant.Kind)
        {
            case VariantKind.Unit:
                if (element.ValueKind != JsonValueKind.String) throw new FormatException($"{path}: unit variant '{variantName}' is written as the string \"{variantName}\"");
                return new EnumValue(index, EquatableArray<AbiValue>.Empty);
            case VariantKind.Tuple:
            {
                if (element.ValueKind != JsonValueKind.Object || payload.ValueKind != JsonValueKind.Array || payload.GetArrayLength() != variant.Fields.Count)
                    throw Expected(variantPath, $"an array of {variant.Fields.Count} element(s)", payload);
                var values = new AbiValue[variant.Fields.Count];
                int i = 0;
                foreach (var item in payload.EnumerateArray())
                {
                    values[i] = ReadValue(item, variant.Fields[i].Type, types, $"{variantPath}[{i}]", depth);
                    i++;
                }
                return new EnumValue(index, values);
            }
            default:
                if (element.ValueKind != JsonValueKind.Object) throw Expected(variantPath, "an object", element);
                return new EnumValue(index, ReadObject(payload, variant.Fields, types, variantPath, depth, $"{definition.Name}::{variantName}"));
        }
    }

    private static IntegerValue ReadInteger(JsonElement element, TypeTag tag, string path)
    {
        string text = element.ValueKind switch
        {
            JsonValueKind.Number => element.GetRawText(),
            JsonValueKind.String => element.GetString()!,
            _ => throw Expected(path, $"an integer ({AbiType.Primitive(tag)})", element),
        };
        if (!Int128.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            throw new FormatException($"{path}: expected an integer ({AbiType.Primitive(tag)}), found {text}");
        if (!IntegerRange.Contains(tag, value))
            throw new FormatException($"{path}: {value} is out of range for {AbiType.Primitive(tag)} ({IntegerRange.Min(tag)}..{IntegerRange.Max(tag)})");
        return new IntegerValue(tag, value);
    }

    private static float ReadF32(JsonElement element, string path)
    {
        if (element.ValueKind == JsonValueKind.Number)
        {
            string raw = element.GetRawText();
            float f = float.Parse(raw, NumberStyles.Float, CultureInfo.InvariantCulture);
            if (float.IsInfinity(f)) throw new FormatException($"{path}: {raw} is out of range for f32");
            return f;
        }
        return ReadSpecialFloat(element, path, "f32", 8) switch
        {
            SpecialFloat.PositiveInfinity => float.PositiveInfinity,
            SpecialFloat.NegativeInfinity => float.NegativeInfinity,
            SpecialFloat.NaN => BitConverter.UInt32BitsToSingle(DefaultNaN32),
            _ => BitConverter.UInt32BitsToSingle(uint.Parse(element.GetString().AsSpan(7), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture)),
        };
    }

    private static double ReadF64(JsonElement element, string path)
    {
        if (element.ValueKind == JsonValueKind.Number)
        {
            string raw = element.GetRawText();
            double d = double.Parse(raw, NumberStyles.Float, CultureInfo.InvariantCulture);
            if (double.IsInfinity(d)) throw new FormatException($"{path}: {raw} is out of range for f64");
            return d;
        }
        return ReadSpecialFloat(element, path, "f64", 16) switch
        {
            SpecialFloat.PositiveInfinity => double.PositiveInfinity,
            SpecialFloat.NegativeInfinity => double.NegativeInfinity,
            SpecialFloat.NaN => BitConverter.UInt64BitsToDouble(DefaultNaN64),
            _ => BitConverter.UInt64BitsToDouble(ulong.Parse(element.GetString().AsSpan(7), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture)),
        };
    }

    private enum SpecialFloat
    {
        PositiveInfinity,
        NegativeInfinity,
        NaN,
        Bits,
    }

    /// <summary>Classifies a float given as a string; <paramref name="hexDigits"/> is the width of the <c>bits:0x</c> form.</summary>
    private static SpecialFloat ReadSpecialFloat(JsonElement element, string path, string kind, int hexDigits)
    {
        if (element.ValueKind != JsonValueKind.String) throw Expected(path, $"a number ({kind})", element);
        string text = element.GetString()!;
        switch (text)
        {
            case "Infinity": return SpecialFloat.PositiveInfinity;
            case "-Infinity": return SpecialFloat.NegativeInfinity;
            case "NaN": return SpecialFloat.NaN;
        }
        if (text.Length == 7 + hexDigits && text.StartsWith("bits:0x", StringComparison.Ordinal) && IsHex(text.AsSpan(7)))
            return SpecialFloat.Bits;
        throw new FormatException($"{path}: expected a number, \"NaN\", \"Infinity\", \"-Infinity\" or \"bits:0x\" and {hexDigits} hex digits ({kind}), found \"{text}\"");
    }

    private static bool IsHex(ReadOnlySpan<char> digits)
    {
        foreach (char c in digits)
        {
            if (!char.IsAsciiHexDigit(c)) return false;
        }
        return true;
    }

    private static int IndexOf(EquatableArray<Field> fields, string name)
    {
        for (int i = 0; i < fields.Count; i++)
        {
            if (fields[i].Name == name) return i;
        }
        return -1;
    }

    private static int CountProperties(JsonElement element)
    {
        int count = 0;
        foreach (var _ in element.EnumerateObject()) count++;
        return count;
    }

    private static FormatException Expected(string path, string what, JsonElement found) =>
        new($"{path}: expected {what}, found {Describe(found)}");

    private static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Undefined => "nothing",
        JsonValueKind.String => $"the string \"{element.GetString()}\"",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        _ => element.GetRawText(),
    };
}
