using Interstice.Wasm.Structure;

namespace Interstice.Wasm.Validation;

/// <summary>Names module items in validation errors.</summary>
internal static class Describe
{
    /// <summary><c>function 3</c>, or <c>function 3 $fib</c> when the name section names it.</summary>
    public static string Function(ModuleDefinition module, int functionIndex) =>
        module.Names.GetFunctionName(functionIndex) is { } name ? $"function {functionIndex} ${name}" : $"function {functionIndex}";
}
