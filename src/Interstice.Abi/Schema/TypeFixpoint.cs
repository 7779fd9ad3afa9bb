namespace Interstice.Abi.Schema;

/// <summary>
/// The smallest set of named types closed under rules of the form "a type is in the set once
/// every named type of one of its clauses is": which types have a finite value, which encode to
/// zero bytes. Solved by counting, in time linear in the size of the clauses and without
/// recursing along chains of named types: a module's schema may chain any number of them, and
/// a check that recursed per link, or rescanned every type per link, would let a hostile
/// module overflow the stack or stall the node loading it.
/// </summary>
internal static class TypeFixpoint
{
    /// <summary>One rule: <paramref name="Owner"/> is in the set once all of <paramref name="Needs"/> are (at once when it needs none).</summary>
    public readonly record struct Clause(string Owner, HashSet<string> Needs);

    /// <summary>
    /// The set, and the order its members joined it in: topological, each member after every
    /// named type of the clause that brought it in, so a later pass can fold over it without recursing.
    /// </summary>
    public readonly record struct Solution(HashSet<string> Members, List<string> Order);

    public static Solution Solve(IReadOnlyList<Clause> clauses)
    {
        var solved = new HashSet<string>(StringComparer.Ordinal);
        var order = new List<string>();
        var unmet = new int[clauses.Count];
        var waiting = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var ready = new Queue<string>();
        for (int i = 0; i < clauses.Count; i++)
        {
            unmet[i] = clauses[i].Needs.Count;
            if (unmet[i] == 0) ready.Enqueue(clauses[i].Owner);
            foreach (string need in clauses[i].Needs)
            {
                if (!waiting.TryGetValue(need, out var list)) waiting[need] = list = [];
                list.Add(i);
            }
        }
        while (ready.TryDequeue(out string? name))
        {
            if (!solved.Add(name)) continue;
            order.Add(name);
            if (!waiting.TryGetValue(name, out var clauseIndexes)) continue;
            foreach (int i in clauseIndexes)
            {
                if (--unmet[i] == 0) ready.Enqueue(clauses[i].Owner);
            }
        }
        return new Solution(solved, order);
    }
}
