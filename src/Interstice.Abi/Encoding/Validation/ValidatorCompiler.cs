using System.Diagnostics;
using Interstice.Abi.Types;

namespace Interstice.Abi.Encoding.Validation;

/// <summary>
/// Turns types into <see cref="ValidationNode"/>s: named types are resolved here, each
/// definition compiled to one node that every type this compiler compiles afterwards shares
/// (which is also what lets recursive types refer to themselves), and consecutive fixed-size
/// fields become one <see cref="FixedRunNode"/>. Not thread-safe: a node is published before
/// its parts are complete (<see cref="ValueValidators"/> compiles under a lock).
/// </summary>
internal sealed class ValidatorCompiler
{
    // Leaves hold no state: every validator shares them.
    private static readonly BoolNode BoolLeaf = new();
    private static readonly RawNode Width1 = new(1);
    private static readonly RawNode Width2 = new(2);
    private static readonly RawNode Width4 = new(4);
    private static readonly RawNode Width8 = new(8);
    private static readonly StringNode StringLeaf = new();
    private static readonly BytesNode BytesLeaf = new();

    private readonly TypeTable _types;
    private readonly Dictionary<string, ValidationNode> _named = new(StringComparer.Ordinal);

    /// <summary>A compiler for types whose named types are in <paramref name="types"/>.</summary>
    public ValidatorCompiler(TypeTable types) => _types = types;

    /// <summary>The node that checks one value of <paramref name="type"/>; named types compiled before are reused.</summary>
    public ValidationNode Compile(AbiType type) => AsStep(Node(type, 0));

    /// <summary>
    /// The node of <paramref name="type"/>, <paramref name="level"/> composite types below the root.
    /// Past <see cref="ValueCodec.MaxDepth"/> levels the rest is left to the interpreter: that keeps
    /// the compiler's recursion bounded (a long chain of named types, a deeply built type). A named
    /// type is compiled once, at the level where it is first reached, and that node serves every
    /// later path to it, shallower ones and those of later types included: when it was first
    /// reached near the limit, its parts past the limit stay interpreted wherever it is used.
    /// Verdicts are the same either way (the interpreter is the reference); only speed differs.
    /// </summary>
    private ValidationNode Node(AbiType type, int level)
    {
        switch (type.Tag)
        {
            case TypeTag.Bool: return BoolLeaf;
            case TypeTag.U8 or TypeTag.I8: return Width1;
            case TypeTag.U16 or TypeTag.I16: return Width2;
            case TypeTag.U32 or TypeTag.I32 or TypeTag.F32: return Width4;
            case TypeTag.U64 or TypeTag.I64 or TypeTag.F64: return Width8;
            case TypeTag.String: return StringLeaf;
            case TypeTag.Bytes: return BytesLeaf;
        }
        if (level >= ValueCodec.MaxDepth) return new InterpretedNode(type, _types);
        level++;
        switch (type)
        {
            case OptionType option:
                return new OptionNode(AsStep(Node(option.Element, level)));
            case VecType vec:
                return new VecNode(Node(vec.Element, level));
            case TupleType tuple:
            {
                var node = new SequenceNode();
                var elements = new ValidationNode[tuple.Elements.Count];
                for (int i = 0; i < elements.Length; i++) elements[i] = Node(tuple.Elements[i], level);
                node.Complete(Steps(elements), ShapeOf(elements));
                return node;
            }
            case NamedType named:
                return Named(named, level);
        }
        // AbiType's constructor is private protected: the cases above are all there is.
        throw new UnreachableException($"no validation node for {type.GetType().Name}");
    }

    private ValidationNode Named(NamedType named, int level)
    {
        if (_named.TryGetValue(named.Name, out var existing)) return existing;
        switch (_types.Find(named.Name))
        {
            case null:
            {
                var node = new UndefinedTypeNode(named.Name);
                _named.Add(named.Name, node);
                return node;
            }
            case StructDefinition definition:
            {
                var node = new SequenceNode();
                _named.Add(named.Name, node);
                var fields = Fields(definition.Fields, level);
                node.Complete(Steps(fields), ShapeOf(fields));
                return node;
            }
            case EnumDefinition definition:
            {
                var node = new EnumNode();
                _named.Add(named.Name, node);
                var variants = new ValidationNode[definition.Variants.Count][];
                for (int i = 0; i < variants.Length; i++) variants[i] = Steps(Fields(definition.Variants[i].Fields, level));
                node.Complete(variants);
                return node;
            }
        }
        return new InterpretedNode(named, _types);
    }

    private ValidationNode[] Fields(EquatableArray<Field> fields, int level)
    {
        var nodes = new ValidationNode[fields.Count];
        for (int i = 0; i < nodes.Length; i++) nodes[i] = Node(fields[i].Type, level);
        return nodes;
    }

    /// <summary>A tuple's or struct's shape when all its parts are fixed-size and small enough to merge; null otherwise.</summary>
    private static FixedShape? ShapeOf(ValidationNode[] parts)
    {
        var shapes = new FixedShape[parts.Length];
        long size = 0;
        for (int i = 0; i < parts.Length; i++)
        {
            if (parts[i].Shape is not { } shape) return null;
            shapes[i] = shape;
            size += shape.Size;
        }
        return size <= FixedShape.MaxSize ? FixedShape.Concatenate(shapes, levels: 1) : null;
    }

    /// <summary>The parts as steps: consecutive fixed-size parts merged into runs of at most <see cref="FixedShape.MaxSize"/> bytes.</summary>
    private static ValidationNode[] Steps(ValidationNode[] parts)
    {
        var steps = new List<ValidationNode>(parts.Length);
        var runParts = new List<ValidationNode>();
        var runShapes = new List<FixedShape>();
        int runSize = 0;
        foreach (var part in parts)
        {
            var shape = part.Shape;
            if (shape is null || runSize + shape.Size > FixedShape.MaxSize)
            {
                Flush(runParts, runShapes, steps);
                runSize = 0;
            }
            if (shape is null)
            {
                steps.Add(part);
                continue;
            }
            runParts.Add(part);
            runShapes.Add(shape);
            runSize += shape.Size;
        }
        Flush(runParts, runShapes, steps);
        return steps.ToArray();
    }

    private static void Flush(List<ValidationNode> runParts, List<FixedShape> runShapes, List<ValidationNode> steps)
    {
        if (runParts.Count == 1) steps.Add(AsStep(runParts[0]));
        else if (runParts.Count > 1) steps.Add(new FixedRunNode(runParts.ToArray(), FixedShape.Concatenate(runShapes.ToArray(), levels: 0)));
        runParts.Clear();
        runShapes.Clear();
    }

    /// <summary>A fixed-size tuple or struct checked as one run of bytes; any other node as it is.</summary>
    private static ValidationNode AsStep(ValidationNode node) =>
        node.Shape is { Height: > 0 } shape ? new FixedRunNode([node], shape) : node;
}
