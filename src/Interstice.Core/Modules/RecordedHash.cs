using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Interstice.Core.Modules;

/// <summary>
/// A binary's content hash as a row of <c>interstice.modules</c> records it: text read from the
/// log or a snapshot, so nothing guarantees it is a sha-256. It is checked before it becomes part
/// of a path (<see cref="ModuleStore.PathOf"/> refuses one that is not), and before it is printed
/// (a hostile row could hold newlines or terminal escapes): a start and <c>log verify</c> refuse
/// such a row (<see cref="ModuleTable.Inconsistency"/>), <c>log inspect</c> shows it described.
/// </summary>
internal static class RecordedHash
{
    /// <summary>The most characters of a hash that is not a sha-256 that <see cref="Describe"/> shows.</summary>
    private const int ShownCharacters = 64;

    /// <summary>Whether <paramref name="hash"/> is a sha-256 as the node writes it: 64 lowercase hex digits.</summary>
    public static bool IsSha256(string hash)
    {
        if (hash.Length != SHA256.HashSizeInBytes * 2) return false;
        foreach (char c in hash)
        {
            if (!char.IsAsciiDigit(c) && c is not (>= 'a' and <= 'f')) return false;
        }
        return true;
    }

    /// <summary>
    /// <paramref name="hash"/> as it is safe to print: itself when it is a sha-256; otherwise
    /// <c>recorded as "..." (N characters)</c>, its first characters quoted with anything but
    /// printable ASCII escaped.
    /// </summary>
    public static string Describe(string hash)
    {
        if (IsSha256(hash)) return hash;
        var text = new StringBuilder("recorded as \"");
        for (int i = 0; i < hash.Length && i < ShownCharacters; i++)
        {
            char c = hash[i];
            if (c is '"' or '\\') text.Append('\\').Append(c);
            else if (c is >= ' ' and <= '~') text.Append(c);
            else text.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
        }
        text.Append(hash.Length > ShownCharacters ? "\"..." : "\"");
        return text.Append(CultureInfo.InvariantCulture, $" ({hash.Length} characters)").ToString();
    }
}
