namespace System.Runtime.CompilerServices;

/// <summary>
/// Recognised by the runtime by name: an assembly carrying it may use the internal members of the
/// named assembly. Applied to every module's dynamic assembly so that generated code can reach the
/// engine's runtime internals, which stay invisible to users.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
internal sealed class IgnoresAccessChecksToAttribute(string assemblyName) : Attribute
{
    public string AssemblyName { get; } = assemblyName;
}
