using Interstice.Abi.Encoding;
using Interstice.Abi.Types;

namespace Interstice.Abi.Tests;

/// <summary>
/// The compiled validator against the interpreter on random types (every tag, options, vecs,
/// tuples, structs, enums, named types that nest, recur or are undefined) and on byte strings
/// around valid encodings: each encoding, every truncation of it, bytes replaced, bytes appended,
/// and random bytes. Both must accept the same inputs and throw the same message at the same offset.
/// Even seeds build every validator through one <see cref="ValueValidators"/> (named types compiled
/// once, for the first type that reaches them), odd seeds compile each on its own.
/// </summary>
public class ValueValidatorDifferentialTests
{
    private const int TypesPerSeed = 25;
    private const int ValuesPerType = 3;
    /// <summary>Replacements are tried at the first bytes of an encoding only, to bound the run time.</summary>
    private const int ReplacedPositions = 48;

    public static TheoryData<int> Seeds => new(Enumerable.Range(1, 16));

    [Theory]
    [MemberData(nameof(Seeds))]
    public void The_compiled_validator_agrees_with_the_interpreter(int seed)
    {
        var schema = new RandomSchema(seed, definitions: 8);
        var random = new Random(seed);
        var shared = new ValueValidators(schema.Types);
        int accepted = 0, rejected = 0;
        for (int t = 0; t < TypesPerSeed; t++)
        {
            var type = schema.AnyType();
            var validator = seed % 2 == 0 ? shared.For(type) : new ValueValidators(schema.Types).For(type);
            for (int v = 0; v < ValuesPerType; v++)
            {
                if (schema.Value(type) is not { } value) continue;
                byte[] encoded = ValueCodec.Encode(type, value, schema.Types);
                // An encoding decodes unless it holds a vec of elements that encode to zero bytes (schemas forbid those).
                foreach (byte[] variant in Variants(encoded, random).Prepend(encoded))
                {
                    if (ValidatorAgreement.AssertSame(validator, schema.Types, variant) == "ok") accepted++;
                    else rejected++;
                }
            }
            for (int i = 0; i < 8; i++)
            {
                var noise = new byte[random.Next(12)];
                random.NextBytes(noise);
                ValidatorAgreement.AssertSame(validator, schema.Types, noise);
            }
        }
        // Both outcomes must have been exercised for the agreement to mean something.
        Assert.True(accepted > 50 && rejected > 50, $"seed {seed}: {accepted} accepted, {rejected} rejected");
    }

    [Fact]
    public void Every_kind_of_type_is_generated()
    {
        var seen = new HashSet<string>();
        for (int seed = 1; seed <= 16; seed++)
        {
            var schema = new RandomSchema(seed, definitions: 8);
            for (int t = 0; t < TypesPerSeed; t++) Collect(schema.AnyType(), seen);
            foreach (var definition in schema.Definitions)
            {
                seen.Add(definition.GetType().Name);
                var fields = definition switch
                {
                    StructDefinition s => s.Fields.ToArray(),
                    EnumDefinition e => e.Variants.SelectMany(v => v.Fields).ToArray(),
                    _ => [],
                };
                var inside = new HashSet<string>();
                foreach (var field in fields) Collect(field.Type, inside);
                if (inside.Contains(definition.Name)) seen.Add("recursive");
                seen.UnionWith(inside);
            }
        }

        foreach (var tag in Enum.GetValues<TypeTag>()) Assert.Contains(tag.ToString(), seen);
        Assert.Contains(nameof(StructDefinition), seen);
        Assert.Contains(nameof(EnumDefinition), seen);
        Assert.Contains(RandomSchema.Undefined, seen);
        Assert.Contains("recursive", seen);
    }

    private static void Collect(AbiType type, HashSet<string> seen)
    {
        seen.Add(type.Tag.ToString());
        switch (type)
        {
            case OptionType o: Collect(o.Element, seen); break;
            case VecType v: Collect(v.Element, seen); break;
            case TupleType t: foreach (var e in t.Elements) Collect(e, seen); break;
            case NamedType named: seen.Add(named.Name); break;
        }
    }

    /// <summary>The encoding truncated at every length, with bytes replaced, and with bytes appended.</summary>
    private static IEnumerable<byte[]> Variants(byte[] encoded, Random random)
    {
        for (int length = 0; length < encoded.Length; length++) yield return encoded[..length];
        for (int i = 0; i < Math.Min(encoded.Length, ReplacedPositions); i++)
        {
            foreach (byte replacement in new[] { (byte)(encoded[i] ^ 0xFF), (byte)2, (byte)0x80, (byte)random.Next(256) })
            {
                if (replacement == encoded[i]) continue;
                byte[] changed = (byte[])encoded.Clone();
                changed[i] = replacement;
                yield return changed;
            }
        }
        yield return [.. encoded, 0];
        yield return [.. encoded, 1, 2, 3];
    }
}
