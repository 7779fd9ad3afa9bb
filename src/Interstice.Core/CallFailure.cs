namespace Interstice.Core;

/// <summary>Why a reducer or query call failed (see <see cref="CallFailedException"/>).</summary>
public enum CallFailure
{
    /// <summary>No module of that name is loaded.</summary>
    NoSuchModule,

    /// <summary>The module has no such reducer or query, or the reducer handles a subscription (only the node calls those).</summary>
    NoSuchFunction,

    /// <summary>The module is private: only modules on the same node may call it.</summary>
    PermissionDenied,

    /// <summary>The arguments do not decode as the function's argument types.</summary>
    InvalidArguments,

    /// <summary>The function returned a failure; the message is its own.</summary>
    Failed,

    /// <summary>The function trapped (a panic, an out-of-bounds access, stack exhaustion...).</summary>
    Trapped,

    /// <summary>The call tree used up the fuel the node gives each call.</summary>
    OutOfFuel,

    /// <summary>The call tree ran past the node's deadline for a call.</summary>
    DeadlineExceeded,
}

/// <summary>
/// A reducer or query called from outside failed. Everything the call tree wrote was rolled back.
/// The message names the module and function and says why: <c>hello.hello: a greeting needs a name</c>.
/// </summary>
public sealed class CallFailedException : Exception
{
    public CallFailedException(string module, string function, CallFailure failure, string reason)
        : base($"{module}.{function}: {reason}")
    {
        Module = module;
        Function = function;
        Failure = failure;
        Reason = reason;
    }

    /// <summary>The module called.</summary>
    public string Module { get; }

    /// <summary>The reducer or query called.</summary>
    public string Function { get; }

    public CallFailure Failure { get; }

    /// <summary>The message without the <c>module.function: </c> prefix.</summary>
    public string Reason { get; }
}
