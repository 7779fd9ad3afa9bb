using System.Globalization;
using System.Text;

namespace Interstice.Core.Storage;

/// <summary>
/// Renders an encoded key readably for error messages: <c>42</c>, <c>-1</c>, <c>true</c>,
/// <c>"alice"</c>, <c>0x00ff</c>. Bytes that are not a valid encoding of the type are shown
/// in hex, marked as such, never thrown about.
/// </summary>
public static class KeyFormatter
{
    /// <summary>Longest String shown before it is cut with an ellipsis.</summary>
    private const int MaxShownChars = 64;

    /// <summary>Renders <paramref name="key"/>, the encoding of one value of <paramref name="type"/>.</summary>
    public static string Format(KeyType type, ReadOnlySpan<byte> key)
    {
        int width = type.FixedWidth();
        if (width > 0)
        {
            return key.Length == width ? FormatFixed(type, key) : Malformed(key);
        }
        if (!KeyEncoding.TryReadEscaped(key, out var value, out int consumed) || consumed != key.Length)
        {
            return Malformed(key);
        }
        return type == KeyType.String ? FormatString(value) : "0x" + Convert.ToHexStringLower(value);
    }

    private static string FormatFixed(KeyType type, ReadOnlySpan<byte> key)
    {
        var culture = CultureInfo.InvariantCulture;
        return type switch
        {
            KeyType.Bool => key[0] switch { 0 => "false", 1 => "true", _ => Malformed(key) },
            KeyType.U8 => key[0].ToString(culture),
            KeyType.I8 => ((sbyte)(key[0] ^ 0x80)).ToString(culture),
            KeyType.U16 => KeyEncoding.ReadU16(key).ToString(culture),
            KeyType.I16 => KeyEncoding.ReadI16(key).ToString(culture),
            KeyType.U32 => KeyEncoding.ReadU32(key).ToString(culture),
            KeyType.I32 => KeyEncoding.ReadI32(key).ToString(culture),
            KeyType.U64 => KeyEncoding.ReadU64(key).ToString(culture),
            KeyType.I64 => KeyEncoding.ReadI64(key).ToString(culture),
            _ => Malformed(key),
        };
    }

    private static string FormatString(byte[] utf8)
    {
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(utf8);
        }
        catch (DecoderFallbackException)
        {
            return "0x" + Convert.ToHexStringLower(utf8) + " (not UTF-8)";
        }
        var builder = new StringBuilder(text.Length + 2).Append('"');
        int shown = 0;
        foreach (char c in text)
        {
            if (shown++ == MaxShownChars)
            {
                builder.Append("...");
                break;
            }
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                default:
                    if (char.IsControl(c)) builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else builder.Append(c);
                    break;
            }
        }
        return builder.Append('"').ToString();
    }

    private static string Malformed(ReadOnlySpan<byte> key) => $"<malformed key 0x{Convert.ToHexStringLower(key)}>";
}
