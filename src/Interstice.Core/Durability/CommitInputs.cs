using Interstice.Core.Durability.Format;

namespace Interstice.Core.Durability;

/// <summary>
/// What started a logged transaction, as the node writes it into the inputs of its log record
/// (the log itself treats inputs as opaque bytes): everything of a <see cref="CommitRecord"/>
/// but its sequence number and timestamp (the record header has them) and its change set (the
/// record's body). Replay does not need it (it applies the changes); <c>interstice log
/// inspect</c> shows it.
/// <para>
/// Encoding (version 1): version u8 (1), kind u8 (<see cref="CommitKind"/>), module
/// <c>string</c>, function <c>string</c> (empty: none), caller <c>string</c>, arguments
/// <c>bytes</c>, random seed u64, trigger <c>string</c> (empty: none), depth <c>varint</c>;
/// integers little-endian, <c>varint</c> LEB128, <c>bytes</c> a varint length then the bytes,
/// <c>string</c> UTF-8 <c>bytes</c>.
/// </para>
/// </summary>
/// <param name="Kind">What started the transaction.</param>
/// <param name="Module">The module called, loaded or removed.</param>
/// <param name="Function">The reducer that ran; null for module management.</param>
/// <param name="Caller"><c>client</c> or <c>node</c>.</param>
/// <param name="Arguments">The encoded arguments.</param>
/// <param name="RandomSeed">The seed of the transaction's random stream.</param>
/// <param name="Trigger">For a handler the event, for a scheduled call its schedule; otherwise null.</param>
/// <param name="Depth">For a handler, its depth in the subscription cascade; otherwise 0.</param>
public sealed record CommitInputs(CommitKind Kind, string Module, string? Function, string Caller, ReadOnlyMemory<byte> Arguments,
    ulong RandomSeed, string? Trigger, int Depth)
{
    private const byte Version = 1;

    /// <summary>These inputs encoded as the node logs them (what <see cref="Decode"/> reads): for tools that write a log.</summary>
    public byte[] Encode()
    {
        var inputs = new byte[Size(Module, Function, Caller, Arguments.Length, Trigger, Depth)];
        Write(Kind, Module, Function, Caller, Arguments.Span, RandomSeed, Trigger, Depth, inputs);
        return inputs;
    }

    /// <summary>Decodes inputs written by <see cref="Write(CommitRecord, Span{byte})"/> or <see cref="Encode"/>; throws <see cref="FormatException"/> saying what is wrong.</summary>
    public static CommitInputs Decode(ReadOnlySpan<byte> inputs)
    {
        var reader = new FieldReader(inputs);
        try
        {
            byte version = reader.ReadByte();
            if (version != Version) throw new FormatException($"the inputs are in version {version} of their encoding; this node reads version {Version}");
            byte kind = reader.ReadByte();
            if (!Enum.IsDefined((CommitKind)kind)) throw new FormatException($"unknown commit kind {kind}");
            string module = reader.ReadString("module");
            string function = reader.ReadString("function");
            string caller = reader.ReadString("caller");
            byte[] arguments = reader.ReadBytes("arguments").ToArray();
            ulong seed = reader.ReadUInt64();
            string trigger = reader.ReadString("trigger");
            ulong depth = reader.ReadVarUInt();
            if (depth > int.MaxValue) throw new FormatException($"depth {depth} is out of range");
            reader.ExpectEnd("the inputs");
            return new CommitInputs((CommitKind)kind, module, function.Length == 0 ? null : function, caller, arguments, seed,
                trigger.Length == 0 ? null : trigger, (int)depth);
        }
        catch (MalformedDataException e)
        {
            throw new FormatException($"{e.Reason} (at byte {e.Position} of the inputs)");
        }
    }

    /// <summary>The encoded size of <paramref name="record"/>'s inputs.</summary>
    internal static int Measure(CommitRecord record) =>
        Size(record.Module, record.Function, record.Caller, record.Arguments.Length, record.Trigger, record.Depth);

    /// <summary>Writes <paramref name="record"/>'s inputs into <paramref name="destination"/>, exactly <see cref="Measure"/> bytes.</summary>
    internal static void Write(CommitRecord record, Span<byte> destination) =>
        Write(record.Kind, record.Module, record.Function, record.Caller, record.Arguments.Span, record.RandomSeed, record.Trigger, record.Depth, destination);

    private static int Size(string module, string? function, string caller, int arguments, string? trigger, int depth) =>
        2 + FieldWriter.StringSize(module) + FieldWriter.StringSize(function ?? "") + FieldWriter.StringSize(caller)
        + FieldWriter.BytesSize(arguments) + 8 + FieldWriter.StringSize(trigger ?? "") + FieldWriter.VarUIntSize((ulong)depth);

    private static void Write(CommitKind kind, string module, string? function, string caller, ReadOnlySpan<byte> arguments,
        ulong seed, string? trigger, int depth, Span<byte> destination)
    {
        var writer = new FieldWriter(destination);
        writer.WriteByte(Version);
        writer.WriteByte((byte)kind);
        writer.WriteString(module);
        writer.WriteString(function ?? "");
        writer.WriteString(caller);
        writer.WriteBytes(arguments);
        writer.WriteUInt64(seed);
        writer.WriteString(trigger ?? "");
        writer.WriteVarUInt((ulong)depth);
    }
}
