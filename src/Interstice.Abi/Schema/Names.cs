using Interstice.Abi.Types;

namespace Interstice.Abi.Schema;

/// <summary>The rules for names in a schema (docs/abi.md section 6, rule 2).</summary>
public static class Names
{
    /// <summary>The longest name allowed, in bytes.</summary>
    public const int MaxLength = 128;

    /// <summary>An identifier: <c>[A-Za-z_][A-Za-z0-9_]*</c>, at most <see cref="MaxLength"/> bytes.</summary>
    public static bool IsIdentifier(string name)
    {
        if (name.Length is 0 or > MaxLength) return false;
        if (!(char.IsAsciiLetter(name[0]) || name[0] == '_')) return false;
        foreach (char c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '_')) return false;
        }
        return true;
    }

    /// <summary>A module or node name: <c>[A-Za-z][A-Za-z0-9_-]*</c>, at most <see cref="MaxLength"/> bytes.</summary>
    public static bool IsModuleName(string name)
    {
        if (name.Length is 0 or > MaxLength) return false;
        if (!char.IsAsciiLetter(name[0])) return false;
        foreach (char c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '-')) return false;
        }
        return true;
    }

    /// <summary>
    /// Splits a type name into its module (null for the schema's own types) and its identifier;
    /// false when it is neither an identifier nor <c>module.Identifier</c>, or is a type keyword.
    /// </summary>
    public static bool TrySplitTypeName(string name, out string? module, out string identifier)
    {
        int dot = name.IndexOf('.');
        module = dot < 0 ? null : name[..dot];
        identifier = dot < 0 ? name : name[(dot + 1)..];
        if (name.Length > MaxLength) return false;
        if (module is not null && !IsModuleName(module)) return false;
        return IsIdentifier(identifier) && !TypeSyntax.Keywords.Contains(identifier);
    }
}
