namespace Interstice.Wasm;

/// <summary>Why execution trapped.</summary>
public enum TrapKind
{
    /// <summary>The <c>unreachable</c> instruction ran.</summary>
    Unreachable,
    /// <summary>A load, store or bulk memory operation went outside the memory.</summary>
    MemoryOutOfBounds,
    /// <summary>A table access or bulk table operation went outside the table.</summary>
    TableOutOfBounds,
    /// <summary><c>call_indirect</c> found a null reference at the index.</summary>
    UninitializedElement,
    /// <summary><c>call_indirect</c> found a function of another type.</summary>
    IndirectCallTypeMismatch,
    /// <summary>Integer division or remainder by zero.</summary>
    IntegerDivideByZero,
    /// <summary>Signed division overflow (<c>INT_MIN / -1</c>) or a float-to-int conversion out of range.</summary>
    IntegerOverflow,
    /// <summary>A trapping float-to-int conversion of NaN.</summary>
    InvalidConversionToInteger,
    /// <summary>The call depth limit or the thread's stack was exhausted.</summary>
    CallStackExhausted,
    /// <summary>The fuel given to the instance ran out.</summary>
    OutOfFuel,
    /// <summary>Another thread interrupted the call, or its deadline passed.</summary>
    Interrupted,
    /// <summary><c>call_indirect</c> used an index outside the table.</summary>
    UndefinedElement,
}

public static class TrapKindExtensions
{
    /// <summary>The message the spec test suite uses for this trap.</summary>
    public static string ToSpecMessage(this TrapKind kind) => kind switch
    {
        TrapKind.Unreachable => "unreachable",
        TrapKind.MemoryOutOfBounds => "out of bounds memory access",
        TrapKind.TableOutOfBounds => "out of bounds table access",
        TrapKind.UndefinedElement => "undefined element",
        TrapKind.UninitializedElement => "uninitialized element",
        TrapKind.IndirectCallTypeMismatch => "indirect call type mismatch",
        TrapKind.IntegerDivideByZero => "integer divide by zero",
        TrapKind.IntegerOverflow => "integer overflow",
        TrapKind.InvalidConversionToInteger => "invalid conversion to integer",
        TrapKind.CallStackExhausted => "call stack exhausted",
        TrapKind.OutOfFuel => "out of fuel",
        TrapKind.Interrupted => "interrupted",
        _ => kind.ToString(),
    };
}
