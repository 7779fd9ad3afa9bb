using System.Runtime.CompilerServices;
using Interstice.Abi.Encoding;
using Interstice.Abi.Schema;

namespace Interstice.Core.Modules;

/// <summary>
/// The one <see cref="ValueValidators"/> of each module schema: the checks of a module's rows,
/// columns, reducer arguments and query results are all compiled through it, so each of its named
/// types is compiled once. Found by the schema instance, which a load (and recovery, and the log
/// inspector) hands to every table and function binding it makes of the module; it lives as long
/// as the schema does.
/// </summary>
internal static class ModuleValidators
{
    private static readonly ConditionalWeakTable<ModuleSchema, ValueValidators> BySchema = new();

    /// <summary>The validators of <paramref name="schema"/>'s types, created on first use.</summary>
    public static ValueValidators Of(ModuleSchema schema) =>
        BySchema.GetValue(schema, static s => new ValueValidators(s.TypeTable));
}
