namespace Interstice.Core.Execution;

/// <summary>How one export call ended: success (with a query's encoded result), or a failure and its message.</summary>
internal readonly struct CallOutcome
{
    private CallOutcome(CallFailure? failure, string? message, byte[]? result)
    {
        Failure = failure;
        Message = message;
        Result = result;
    }

    /// <summary>Null on success.</summary>
    public CallFailure? Failure { get; }

    /// <summary>Why it failed.</summary>
    public string? Message { get; }

    /// <summary>A query's encoded result.</summary>
    public byte[]? Result { get; }

    public bool Succeeded => Failure == null;

    public static CallOutcome Success(byte[]? result) => new(null, null, result);

    public static CallOutcome Failed(CallFailure failure, string message) => new(failure, message, null);

    /// <summary>The failure as an exception for a caller outside the node.</summary>
    public CallFailedException ToException(string module, string function) => new(module, function, Failure!.Value, Message!);
}
