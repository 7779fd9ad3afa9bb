namespace Interstice.Abi.Schema;

/// <summary>
/// Something a subscription reacts to: <see cref="InitEvent"/> or a <see cref="TableEvent"/>.
/// <see cref="object.ToString"/> gives the text form (<c>init</c>, <c>hello.greetings.insert</c>).
/// </summary>
public abstract record ModuleEvent
{
    /// <summary>The module's first load on a node.</summary>
    public static InitEvent Init { get; } = new();

    /// <summary>
    /// Parses the text form: <c>init</c>, <c>&lt;module&gt;.&lt;table&gt;.&lt;kind&gt;</c> or
    /// <c>&lt;node&gt;.&lt;module&gt;.&lt;table&gt;.&lt;kind&gt;</c>; throws <see cref="FormatException"/> saying what is wrong.
    /// Names are checked by the schema validator, not here.
    /// </summary>
    public static ModuleEvent Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text == "init") return Init;
        string[] parts = text.Split('.');
        if (parts.Length is not (3 or 4) || Array.Exists(parts, p => p.Length == 0))
            throw new FormatException($"event '{text}' is malformed: expected 'init', '<module>.<table>.<insert|update|delete>' or '<node>.<module>.<table>.<insert|update|delete>'");
        var kind = parts[^1] switch
        {
            "insert" => TableEventKind.Insert,
            "update" => TableEventKind.Update,
            "delete" => TableEventKind.Delete,
            _ => throw new FormatException($"event '{text}' has kind '{parts[^1]}': expected insert, update or delete"),
        };
        return parts.Length == 3
            ? new TableEvent(null, parts[0], parts[1], kind)
            : new TableEvent(parts[0], parts[1], parts[2], kind);
    }
}

/// <summary>The module's first load on a node; the handler takes no arguments.</summary>
public sealed record InitEvent : ModuleEvent
{
    internal InitEvent() { }

    /// <inheritdoc/>
    public override string ToString() => "init";
}

/// <summary>A row of <see cref="Module"/>'s table <see cref="Table"/> was inserted, updated or deleted.</summary>
/// <param name="Node">The node of the module; null for the subscriber's own node.</param>
/// <param name="Module">The module owning the table (possibly the subscriber itself).</param>
/// <param name="Table">The table's name.</param>
/// <param name="Kind">What happened to the row.</param>
public sealed record TableEvent(string? Node, string Module, string Table, TableEventKind Kind) : ModuleEvent
{
    /// <summary>How many row arguments the handler takes: two (old, new) for updates, one otherwise.</summary>
    public int RowArgumentCount => Kind == TableEventKind.Update ? 2 : 1;

    /// <inheritdoc/>
    public override string ToString() =>
        $"{(Node is null ? "" : Node + ".")}{Module}.{Table}.{Kind.ToString().ToLowerInvariant()}";
}

/// <summary>What happened to a row.</summary>
public enum TableEventKind : byte
{
    Insert = 0,
    Update = 1,
    Delete = 2,
}
