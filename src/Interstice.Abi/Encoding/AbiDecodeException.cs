namespace Interstice.Abi.Encoding;

/// <summary>Encoded bytes do not decode: the message says what was expected and <see cref="Offset"/> where.</summary>
public sealed class AbiDecodeException : Exception
{
    /// <summary>Creates the exception for a problem at byte <paramref name="offset"/> of the input.</summary>
    public AbiDecodeException(string reason, int offset)
        : base($"at byte {offset}: {reason}")
    {
        Reason = reason;
        Offset = offset;
    }

    /// <summary>What is wrong, without the offset.</summary>
    public string Reason { get; }

    /// <summary>The byte offset in the decoded input where the problem was found.</summary>
    public int Offset { get; }
}
