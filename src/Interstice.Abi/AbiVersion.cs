namespace Interstice.Abi;

/// <summary>The version of the module contract (docs/abi.md) this library implements.</summary>
public static class AbiVersion
{
    /// <summary>The <c>abi_version</c> of modules this library reads and writes.</summary>
    public const uint Current = 1;
}
