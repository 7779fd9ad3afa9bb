namespace Interstice.Wasm.Compilation.Versioning;

/// <summary>
/// An i32 value as a linear function of locals, <c>Σ coefficient × local + constant</c>, in
/// integers. WebAssembly computes the same value modulo 2^32 (addition, subtraction, multiplication
/// and left shifts all commute with the reduction), so wherever the integer value lies in
/// [0, 2^32) the two are equal: that is what lets a loop guard reason about addresses in plain
/// integers. Forms stay small (<see cref="MaxTerms"/> terms, bounded coefficients and constant) so
/// that the guard's 64-bit arithmetic cannot overflow; anything bigger is not a form (null).
/// </summary>
internal sealed class LinearForm
{
    public const int MaxTerms = 4;
    public const long MaxCoefficient = 1 << 16;
    public const long MaxConstant = 1L << 40;

    private LinearForm((int Local, long Coefficient)[] terms, long constant)
    {
        Terms = terms;
        Constant = constant;
    }

    /// <summary>The terms, ordered by local index, none with a zero coefficient.</summary>
    public (int Local, long Coefficient)[] Terms { get; }

    public long Constant { get; }

    public bool IsConstant => Terms.Length == 0;

    public static LinearForm OfConstant(long value) => new([], value);

    public static LinearForm OfLocal(int local) => new([(local, 1)], 0);

    /// <summary>The coefficient of <paramref name="local"/> (0 when it does not appear).</summary>
    public long CoefficientOf(int local)
    {
        foreach (var (l, c) in Terms)
            if (l == local) return c;
        return 0;
    }

    public static LinearForm? Add(LinearForm? a, LinearForm? b) => Combine(a, b, 1);

    public static LinearForm? Subtract(LinearForm? a, LinearForm? b) => Combine(a, b, -1);

    /// <summary>The product of two forms, when one of them is a constant.</summary>
    public static LinearForm? Multiply(LinearForm? a, LinearForm? b)
    {
        if (a is null || b is null) return null;
        if (a.IsConstant) return b.Scale(a.Constant);
        if (b.IsConstant) return a.Scale(b.Constant);
        return null;
    }

    /// <summary><c>a &lt;&lt; b</c> for a constant shift count (taken modulo 32, as WebAssembly does).</summary>
    public static LinearForm? ShiftLeft(LinearForm? a, LinearForm? b)
    {
        if (a is null || b is null || !b.IsConstant) return null;
        return a.Scale(1L << (int)(b.Constant & 31));
    }

    /// <summary>Whether the form's terms are exactly <paramref name="terms"/> (whatever its constant).</summary>
    public bool HasTerms((int Local, long Coefficient)[] terms)
    {
        if (Terms.Length != terms.Length) return false;
        for (int i = 0; i < terms.Length; i++)
            if (Terms[i] != terms[i]) return false;
        return true;
    }

    private LinearForm? Scale(long factor)
    {
        if (factor == 0) return OfConstant(0);
        if (Math.Abs(factor) > MaxConstant) return null;
        var terms = new (int, long)[Terms.Length];
        for (int i = 0; i < terms.Length; i++)
        {
            long coefficient = Terms[i].Coefficient * factor;
            if (Math.Abs(coefficient) > MaxCoefficient) return null;
            terms[i] = (Terms[i].Local, coefficient);
        }
        return Create(terms, Math.Abs(Constant) > MaxConstant / Math.Abs(factor) ? long.MaxValue : Constant * factor);
    }

    private static LinearForm? Combine(LinearForm? a, LinearForm? b, int sign)
    {
        if (a is null || b is null) return null;
        var terms = new List<(int Local, long Coefficient)>(a.Terms.Length + b.Terms.Length);
        int i = 0, j = 0;
        while (i < a.Terms.Length || j < b.Terms.Length)
        {
            if (j == b.Terms.Length || (i < a.Terms.Length && a.Terms[i].Local < b.Terms[j].Local))
            {
                terms.Add(a.Terms[i++]);
            }
            else if (i == a.Terms.Length || b.Terms[j].Local < a.Terms[i].Local)
            {
                terms.Add((b.Terms[j].Local, sign * b.Terms[j].Coefficient));
                j++;
            }
            else
            {
                long coefficient = a.Terms[i].Coefficient + sign * b.Terms[j].Coefficient;
                if (coefficient != 0) terms.Add((a.Terms[i].Local, coefficient));
                i++;
                j++;
            }
        }
        return Create([.. terms], a.Constant + sign * b.Constant);
    }

    private static LinearForm? Create((int, long)[] terms, long constant)
    {
        if (terms.Length > MaxTerms || Math.Abs(constant) > MaxConstant) return null;
        foreach (var (_, coefficient) in terms)
            if (Math.Abs(coefficient) > MaxCoefficient) return null;
        return new LinearForm(terms, constant);
    }
}
