using System.Runtime.CompilerServices;

namespace Interstice.Wasm.Validation;

/// <summary>
/// The reasons the function validator gives, built here rather than at the throw sites: string
/// interpolation in a hot method makes the JIT set up its buffers on every call, even when
/// nothing is thrown. Each reason starts with the spec test suite's wording.
/// </summary>
internal static class ValidationMessages
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static string Unknown(string space, uint index) => $"unknown {space} {index}";

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static string Expected(ValueType expected, ValueType found) => $"type mismatch: expected {Name(expected)}, found {Name(found)}";

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static string ExpectedButEmpty(ValueType expected) => $"type mismatch: expected {Name(expected)}, but the stack is empty";

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static string ExtraValues(int count) => $"type mismatch: {count} extra value(s) left at the end of the block";

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static string IfWithoutElse(ValueType[] parameters, ValueType[] results) =>
        $"type mismatch: an if without else must leave its parameters unchanged, but its type is {new FunctionType(parameters, results)}";

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static string BranchTableArity(int arity, int defaultArity) =>
        $"type mismatch: br_table targets carry {arity} and {defaultArity} values";

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static string CallIndirectTable(int table, ValueType elementType) =>
        $"type mismatch: call_indirect needs a funcref table, table {table} holds {elementType.ToWatName()}";

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static string SelectNeedsNumbers(ValueType first, ValueType second) =>
        $"type mismatch: select without a type needs number or vector operands, found {Name(first)} and {Name(second)}";

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static string SelectOperandsDiffer(ValueType first, ValueType second) =>
        $"type mismatch: select operands differ ({Name(first)} and {Name(second)})";

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static string SelectArity(int count) => $"invalid result arity: select takes exactly one type, not {count}";

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static string GlobalImmutable(int index) => $"global is immutable (global {index})";

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static string RefIsNullOperand(ValueType found) => $"type mismatch: ref.is_null needs a reference, found {Name(found)}";

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static string UndeclaredReference(int function) =>
        $"undeclared function reference (function {function} must appear in an element segment, a global or an export to be used by ref.func)";

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static string TableInit(ValueType segment, ValueType table) =>
        $"type mismatch: table.init of a {segment.ToWatName()} segment into a {table.ToWatName()} table";

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static string TableCopy(ValueType source, ValueType destination) =>
        $"type mismatch: table.copy from a {source.ToWatName()} table to a {destination.ToWatName()} table";

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static string LaneIndex(byte lane, int laneCount) => $"invalid lane index: {lane} (there are {laneCount} lanes)";

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static string Alignment(uint alignExponent, int naturalAlignment) =>
        $"alignment must not be larger than natural (2^{alignExponent} > {1 << naturalAlignment} bytes)";

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static string IllegalOpcode(int opcode) =>
        opcode > 0xFF ? $"illegal opcode 0x{opcode >> 12:x2} {opcode & 0xFFF}" : $"illegal opcode 0x{opcode:x2}";

    /// <summary>A type's text-format name; the unknown type of unreachable code reads "anything".</summary>
    public static string Name(ValueType type) => type == OperandStack.Unknown ? "anything" : type.ToWatName();
}
