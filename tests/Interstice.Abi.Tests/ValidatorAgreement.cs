using Interstice.Abi.Encoding;
using Interstice.Abi.Types;

namespace Interstice.Abi.Tests;

/// <summary>Runs the interpreter (<see cref="ValueCodec"/>) and a compiled <see cref="ValueValidator"/> on the same bytes and asserts the same outcome.</summary>
internal static class ValidatorAgreement
{
    private delegate void SkipOne(ref ValueReader reader);

    /// <summary>
    /// Asserts that <see cref="ValueCodec.Validate"/> and <see cref="ValueValidator.Validate"/> both
    /// accept <paramref name="bytes"/> or both throw the same message at the same offset, and that
    /// the Skip forms stop at the same position; returns the outcome ("ok" or "offset: reason").
    /// </summary>
    public static string AssertSame(ValueValidator validator, TypeTable types, byte[] bytes)
    {
        string expected = Outcome(() => ValueCodec.Validate(validator.Type, bytes, types));
        string actual = Outcome(() => validator.Validate(bytes));
        Assert.True(expected == actual, $"{validator.Type} on {Convert.ToHexStringLower(bytes)}: the interpreter gives '{expected}', the compiled validator '{actual}'");

        string expectedSkip = SkipOutcome(bytes, (ref ValueReader r) => ValueCodec.Skip(ref r, validator.Type, types));
        string actualSkip = SkipOutcome(bytes, validator.Skip);
        Assert.True(expectedSkip == actualSkip, $"{validator.Type} on {Convert.ToHexStringLower(bytes)}: Skip in the interpreter gives '{expectedSkip}', in the compiled validator '{actualSkip}'");
        return actual;
    }

    /// <summary>Compiles a validator for <paramref name="type"/> and asserts it agrees with the interpreter on <paramref name="bytes"/>.</summary>
    public static string AssertSame(AbiType type, TypeTable types, byte[] bytes) => AssertSame(new ValueValidators(types).For(type), types, bytes);

    private static string Outcome(Action validate)
    {
        try
        {
            validate();
            return "ok";
        }
        catch (AbiDecodeException e)
        {
            return $"{e.Offset}: {e.Reason}";
        }
        catch (Exception e)
        {
            return $"{e.GetType().Name}: {e.Message}";
        }
    }

    private static string SkipOutcome(byte[] bytes, SkipOne skip)
    {
        var reader = new ValueReader(bytes);
        try
        {
            skip(ref reader);
            return $"ok, at {reader.Position}";
        }
        catch (AbiDecodeException e)
        {
            return $"{e.Offset}: {e.Reason}";
        }
        catch (Exception e)
        {
            return $"{e.GetType().Name}: {e.Message}";
        }
    }
}
