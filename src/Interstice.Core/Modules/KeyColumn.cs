using System.Buffers.Binary;
using Interstice.Abi.Encoding;
using Interstice.Abi.Types;
using Interstice.Core.Storage;

namespace Interstice.Core.Modules;

/// <summary>
/// One column of a primary key or an index, with what its ABI type means for keys: bool, an
/// integer, string, bytes, or an enum of unit variants (keyed by variant index). Converts the
/// column's ABI encoding (docs/abi.md section 3) to storage's order-preserving key encoding.
/// </summary>
internal readonly struct KeyColumn
{
    private KeyColumn(int column, string name, AbiType type, TypeTag tag, int variantCount)
    {
        Column = column;
        Name = name;
        Type = type;
        Tag = tag;
        VariantCount = variantCount;
    }

    /// <summary>The column's index in the row struct.</summary>
    public int Column { get; }

    public string Name { get; }

    /// <summary>The column's ABI type (a primitive or a named unit-only enum).</summary>
    public AbiType Type { get; }

    /// <summary>The primitive tag, or <see cref="TypeTag.Named"/> for an enum.</summary>
    public TypeTag Tag { get; }

    /// <summary>The enum's variant count (0 for primitives).</summary>
    public int VariantCount { get; }

    /// <summary>The storage key type: enums are keyed by their variant index, as a u32.</summary>
    public KeyType KeyType => Tag switch
    {
        TypeTag.Bool => KeyType.Bool,
        TypeTag.U8 => KeyType.U8,
        TypeTag.U16 => KeyType.U16,
        TypeTag.U32 => KeyType.U32,
        TypeTag.U64 => KeyType.U64,
        TypeTag.I8 => KeyType.I8,
        TypeTag.I16 => KeyType.I16,
        TypeTag.I32 => KeyType.I32,
        TypeTag.I64 => KeyType.I64,
        TypeTag.String => KeyType.String,
        TypeTag.Bytes => KeyType.Bytes,
        _ => KeyType.U32,
    };

    /// <summary>The key column for field <paramref name="column"/> of a validated schema (the type is indexable).</summary>
    public static KeyColumn For(int column, Field field, TypeTable types)
    {
        if (field.Type is NamedType named)
        {
            var definition = (EnumDefinition)types.Get(named.Name);
            return new KeyColumn(column, field.Name, field.Type, TypeTag.Named, definition.Variants.Count);
        }
        return new KeyColumn(column, field.Name, field.Type, field.Type.Tag, 0);
    }

    /// <summary>
    /// Reads one value of the column from ABI-encoded bytes, checking it as a decoder would
    /// (throws <see cref="AbiDecodeException"/>), and appends its key encoding.
    /// </summary>
    public void Convert(ref ValueReader reader, ref KeyWriter key)
    {
        switch (Tag)
        {
            case TypeTag.Bool: key.WriteBool(reader.ReadBool()); break;
            case TypeTag.U8: key.WriteU8(reader.ReadU8()); break;
            case TypeTag.U16: key.WriteU16(reader.ReadU16()); break;
            case TypeTag.U32: key.WriteU32(reader.ReadU32()); break;
            case TypeTag.U64: key.WriteU64(reader.ReadU64()); break;
            case TypeTag.I8: key.WriteI8(reader.ReadI8()); break;
            case TypeTag.I16: key.WriteI16(reader.ReadI16()); break;
            case TypeTag.I32: key.WriteI32(reader.ReadI32()); break;
            case TypeTag.I64: key.WriteI64(reader.ReadI64()); break;
            case TypeTag.String: key.WriteUtf8(reader.ReadUtf8()); break;
            case TypeTag.Bytes: key.WriteBytes(reader.ReadBytes()); break;
            default: key.WriteU32((uint)reader.ReadVariant(VariantCount)); break;
        }
    }

    /// <summary>
    /// Appends the key encoding of the column's value at the start of <paramref name="value"/>,
    /// a row that was validated when it was written (so nothing is checked again).
    /// </summary>
    public void ConvertTrusted(ReadOnlySpan<byte> value, ref KeyWriter key)
    {
        switch (Tag)
        {
            case TypeTag.Bool: key.WriteBool(value[0] != 0); break;
            case TypeTag.U8: key.WriteU8(value[0]); break;
            case TypeTag.U16: key.WriteU16(BinaryPrimitives.ReadUInt16LittleEndian(value)); break;
            case TypeTag.U32: key.WriteU32(BinaryPrimitives.ReadUInt32LittleEndian(value)); break;
            case TypeTag.U64: key.WriteU64(BinaryPrimitives.ReadUInt64LittleEndian(value)); break;
            case TypeTag.I8: key.WriteI8((sbyte)value[0]); break;
            case TypeTag.I16: key.WriteI16(BinaryPrimitives.ReadInt16LittleEndian(value)); break;
            case TypeTag.I32: key.WriteI32(BinaryPrimitives.ReadInt32LittleEndian(value)); break;
            case TypeTag.I64: key.WriteI64(BinaryPrimitives.ReadInt64LittleEndian(value)); break;
            case TypeTag.String:
            case TypeTag.Bytes:
            {
                int header = Leb128.Read(value, out uint length);
                key.WriteBytes(value.Slice(header, (int)length));
                break;
            }
            default:
            {
                Leb128.Read(value, out uint variant);
                key.WriteU32(variant);
                break;
            }
        }
    }
}
