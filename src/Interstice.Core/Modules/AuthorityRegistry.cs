namespace Interstice.Core.Modules;

/// <summary>
/// Which module holds each authority. An authority is granted to at most one module at a time,
/// and only if the node may grant it at all (<see cref="NodeOptions.GrantableAuthorities"/>); a
/// module gets all the authorities it claims or none, and gives them back when it is unloaded.
/// </summary>
internal sealed class AuthorityRegistry(IReadOnlySet<string>? grantable)
{
    private readonly Dictionary<string, string> _holders = new(StringComparer.Ordinal);

    /// <summary>Why <paramref name="module"/> cannot have <paramref name="authorities"/>, one problem per authority.</summary>
    public List<string> Check(string module, IReadOnlyList<string> authorities)
    {
        var problems = new List<string>();
        foreach (string authority in authorities)
        {
            if (grantable != null && !grantable.Contains(authority))
                problems.Add($"authority `{authority}` cannot be granted by this node (it grants: {(grantable.Count == 0 ? "none" : string.Join(", ", grantable.Order(StringComparer.Ordinal)))})");
            else if (_holders.TryGetValue(authority, out string? holder) && holder != module)
                problems.Add($"authority `{authority}` is held by module {holder}; unload it first");
        }
        return problems;
    }

    /// <summary>Grants every authority of the list (checked with <see cref="Check"/> before).</summary>
    public void Claim(string module, IReadOnlyList<string> authorities)
    {
        foreach (string authority in authorities) _holders[authority] = module;
    }

    /// <summary>Takes back every authority <paramref name="module"/> holds.</summary>
    public void Release(string module)
    {
        foreach (var (authority, holder) in _holders.ToArray())
        {
            if (holder == module) _holders.Remove(authority);
        }
    }
}
