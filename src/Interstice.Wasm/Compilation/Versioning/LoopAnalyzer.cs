using Interstice.Wasm.Binary;
using Interstice.Wasm.Structure;
using Interstice.Wasm.Validation;

namespace Interstice.Wasm.Compilation.Versioning;

/// <summary>
/// Decides whether an innermost loop is worth compiling in two versions, and finds which of its
/// memory accesses the fast version may leave unchecked (see <see cref="LoopPlan"/>).
/// </summary>
/// <remarks>
/// <para>
/// Two symbolic passes over the body, each keeping a stack of i32 values as
/// <see cref="LinearForm"/>s (or unknown). The first classifies the i32 locals: those the body
/// never writes are invariant; those it only increments by invariant amounts
/// (<c>x = x + c</c>, <c>x = x + y</c>) are induction variables. Without nested loops, every
/// instruction of the body runs at most once per iteration, so over one iteration an induction
/// variable moves by at most the sum of its positive increments upwards and of its negative
/// ones downwards.
/// </para>
/// <para>
/// The second pass gives every address a form over those locals. Other locals count too while
/// they hold a known form: one written at the top level of the body (not inside a nested block,
/// so that it runs before everything after it in the iteration) holds that form until it is
/// written again. An access whose address has a form lies, during the next K iterations, within
/// a range the guard can compute from the locals' values before them; accesses whose address
/// has no form keep their checks.
/// </para>
/// </remarks>
internal sealed class LoopAnalyzer
{
    /// <summary>Bodies longer than this are not duplicated (compiled code size, JIT limits).</summary>
    public const int MaxBodyInstructions = 1500;

    /// <summary>
    /// About how many instructions of the body the fast version runs between interrupt checks:
    /// a few tens of microseconds even for slow instructions (divisions, square roots).
    /// </summary>
    public const int InstructionsPerGuard = 16_384;

    private const int MaxGroups = 8;
    private const int MaxIncrements = 8;
    private const long MaxInductionCoefficient = 256;
    private const long MaxIncrementCoefficient = 4;
    private const long MaxIncrementConstant = 1L << 31;

    private readonly ModuleDefinition _definition;
    private readonly ValueType[] _localTypes;
    private readonly List<LinearForm?> _stack = [];
    private readonly List<(int Height, int Results, bool Unreachable)> _blocks = [];

    // First pass: what each i32 local is assigned (null: something that is not an increment).
    private readonly Dictionary<int, List<LinearForm>?> _assignments = [];

    // Second pass.
    private Dictionary<int, InductionVariable>? _inductionVariables;
    private readonly Dictionary<int, LinearForm?> _known = [];
    private readonly List<(int Position, LinearForm Address, long End)> _accesses = [];

    private int _instructions;
    private int _reachableInstructions;
    private bool _singlePath;
    private int? _backEdgeCharge;
    private bool _hasCalls;
    private bool _hasBulkOperations;

    private LoopAnalyzer(ModuleDefinition definition, ValueType[] localTypes)
    {
        _definition = definition;
        _localTypes = localTypes;
    }

    /// <summary>
    /// The plan for the loop whose body starts at <paramref name="body"/> (right after its block
    /// type), or null when it should be compiled once as it is: it has parameters, contains a loop,
    /// is too long, has no access the fast version could leave unchecked, or uses an instruction
    /// the analysis does not know.
    /// </summary>
    public static LoopPlan? Analyze(WasmReader body, ModuleDefinition definition, ValueType[] localTypes)
    {
        var analyzer = new LoopAnalyzer(definition, localTypes);
        var second = body;
        int start = body.Position;
        if (!analyzer.Scan(ref body, firstPass: true)) return null;
        analyzer.ClassifyLocals();
        if (!analyzer.Scan(ref second, firstPass: false)) return null;
        return analyzer.BuildPlan(body.Position - start);
    }

    /// <summary>Runs one symbolic pass over the body; false when the loop cannot be versioned.</summary>
    private bool Scan(ref WasmReader reader, bool firstPass)
    {
        _stack.Clear();
        _blocks.Clear();
        _blocks.Add((0, 0, false));
        _instructions = 0;
        _reachableInstructions = 0;
        _singlePath = true;
        _backEdgeCharge = null;
        while (true)
        {
            int position = reader.Position;
            var opcode = reader.ReadOpcode();
            if (++_instructions > MaxBodyInstructions) return false;
            // The compiler charges fuel for the instructions it compiles, the reachable ones.
            if (Reachable) _reachableInstructions++;
            switch (opcode)
            {
                case Opcode.Unreachable or Opcode.Return:
                    EndOfReachableCode();
                    break;
                case Opcode.Nop:
                    break;
                case Opcode.Loop:
                    return false;
                case Opcode.Block or Opcode.If:
                    {
                        var (parameters, results) = BlockArity(reader.ReadBlockType());
                        if (opcode == Opcode.If)
                        {
                            Pop();
                            _singlePath = false;
                        }
                        _blocks.Add((_stack.Count - parameters, results, !Reachable));
                        break;
                    }
                case Opcode.Else:
                    {
                        var (height, results, _) = _blocks[^1];
                        Truncate(height);
                        // The parameters of a block with an else: as many as the if left below (validated).
                        _blocks[^1] = (height, results, false);
                        break;
                    }
                case Opcode.End:
                    {
                        if (_blocks.Count == 1) return true;
                        var (height, results, _) = _blocks[^1];
                        _blocks.RemoveAt(_blocks.Count - 1);
                        Truncate(height);
                        Push(results);
                        break;
                    }
                case Opcode.Br:
                    Branch(reader.ReadVarUInt32());
                    EndOfReachableCode();
                    break;
                case Opcode.BrIf:
                    Branch(reader.ReadVarUInt32());
                    Pop();
                    break;
                case Opcode.BrTable:
                    for (int n = reader.ReadCount(); n >= 0; n--) Branch(reader.ReadVarUInt32());
                    _singlePath = false;
                    Pop();
                    EndOfReachableCode();
                    break;
                case Opcode.Call:
                    {
                        var type = _definition.GetFunctionType((int)reader.ReadVarUInt32());
                        Pop(type.Parameters.Length);
                        Push(type.Results.Length);
                        _hasCalls = true;
                        break;
                    }
                case Opcode.CallIndirect:
                    {
                        var type = _definition.Types[reader.ReadVarUInt32()];
                        reader.ReadVarUInt32();
                        Pop(type.Parameters.Length + 1);
                        Push(type.Results.Length);
                        _hasCalls = true;
                        break;
                    }
                case Opcode.Drop:
                    Pop();
                    break;
                case Opcode.Select or Opcode.SelectTyped:
                    InstructionSkipper.SkipImmediates(opcode, ref reader);
                    Pop(3);
                    Push(1);
                    break;
                case Opcode.LocalGet:
                    _stack.Add(Read((int)reader.ReadVarUInt32(), firstPass));
                    break;
                case Opcode.LocalSet or Opcode.LocalTee:
                    {
                        int local = (int)reader.ReadVarUInt32();
                        var value = Pop();
                        Write(local, value, firstPass);
                        if (opcode == Opcode.LocalTee) _stack.Add(IsInductionVariable(local) ? LinearForm.OfLocal(local) : value);
                        break;
                    }
                case Opcode.GlobalGet or Opcode.TableSize or Opcode.RefFunc or Opcode.RefNull or Opcode.MemorySize
                    or Opcode.I64Const or Opcode.F32Const or Opcode.F64Const:
                    InstructionSkipper.SkipImmediates(opcode, ref reader);
                    Push(1);
                    break;
                case Opcode.GlobalSet:
                    reader.ReadVarUInt32();
                    Pop();
                    break;
                case Opcode.TableGet or Opcode.MemoryGrow or Opcode.RefIsNull:
                    InstructionSkipper.SkipImmediates(opcode, ref reader);
                    Pop();
                    Push(1);
                    break;
                case Opcode.TableSet or Opcode.TableGrow:
                    reader.ReadVarUInt32();
                    Pop(2);
                    if (opcode == Opcode.TableGrow) Push(1);
                    break;
                case >= Opcode.I32Load and <= Opcode.I64Load32U:
                    {
                        var argument = reader.ReadMemoryArgument();
                        var address = Pop();
                        Access(position, opcode, address, argument, firstPass);
                        Push(1);
                        break;
                    }
                case >= Opcode.I32Store and <= Opcode.I64Store32:
                    {
                        var argument = reader.ReadMemoryArgument();
                        Pop();
                        var address = Pop();
                        Access(position, opcode, address, argument, firstPass);
                        break;
                    }
                case Opcode.I32Const:
                    _stack.Add(LinearForm.OfConstant(reader.ReadVarInt32()));
                    break;
                case Opcode.I32Add or Opcode.I32Sub or Opcode.I32Mul or Opcode.I32Shl:
                    {
                        var right = Pop();
                        var left = Pop();
                        _stack.Add(opcode switch
                        {
                            Opcode.I32Add => LinearForm.Add(left, right),
                            Opcode.I32Sub => LinearForm.Subtract(left, right),
                            Opcode.I32Mul => LinearForm.Multiply(left, right),
                            _ => LinearForm.ShiftLeft(left, right),
                        });
                        break;
                    }
                case >= Opcode.I32Eqz and <= Opcode.I64Extend32S:
                    {
                        var signature = InstructionSignatures.Numeric[(int)opcode];
                        Pop(signature.IsBinary ? 2 : 1);
                        Push(1);
                        break;
                    }
                case >= Opcode.I32TruncSatF32S and <= Opcode.I64TruncSatF64U:
                    Pop();
                    Push(1);
                    break;
                case Opcode.MemoryInit or Opcode.MemoryCopy or Opcode.MemoryFill or Opcode.TableInit or Opcode.TableCopy or Opcode.TableFill:
                    InstructionSkipper.SkipImmediates(opcode, ref reader);
                    Pop(3);
                    _hasBulkOperations = true;
                    break;
                case Opcode.DataDrop or Opcode.ElemDrop:
                    reader.ReadVarUInt32();
                    break;
                default:
                    // An instruction this analysis does not model (e.g. SIMD): no versioning.
                    return false;
            }
        }
    }

    /// <summary>
    /// A branch to label <paramref name="depth"/>. The body stays a single path as long as its
    /// branches leave the loop, except one branch back to the header at the top level: then every
    /// iteration that goes back runs the same instructions, all those before that branch.
    /// </summary>
    private void Branch(uint depth)
    {
        int loop = _blocks.Count - 1;
        if (depth < loop)
        {
            _singlePath = false;
        }
        else if (depth == loop && Reachable)
        {
            if (!AtTopLevel || _backEdgeCharge is not null) _singlePath = false;
            _backEdgeCharge = _reachableInstructions;
        }
    }

    private (int Parameters, int Results) BlockArity(BlockType type) => type.Kind switch
    {
        BlockTypeKind.Empty => (0, 0),
        BlockTypeKind.SingleResult => (0, 1),
        _ => (_definition.Types[type.TypeIndex].Parameters.Length, _definition.Types[type.TypeIndex].Results.Length),
    };

    private bool Reachable => !_blocks[^1].Unreachable;

    private bool AtTopLevel => _blocks.Count == 1;

    /// <summary>After an unconditional branch: nothing runs up to the end (or else) of the block; its operands are unknown.</summary>
    private void EndOfReachableCode()
    {
        var (height, results, _) = _blocks[^1];
        Truncate(height);
        _blocks[^1] = (height, results, true);
    }

    private void Truncate(int height)
    {
        if (_stack.Count > height) _stack.RemoveRange(height, _stack.Count - height);
    }

    private void Push(int count)
    {
        for (int i = 0; i < count; i++) _stack.Add(null);
    }

    /// <summary>The top operand; unknown below the block's height (only in unreachable code, which is polymorphic).</summary>
    private LinearForm? Pop()
    {
        if (_stack.Count <= _blocks[^1].Height) return null;
        var top = _stack[^1];
        _stack.RemoveAt(_stack.Count - 1);
        return top;
    }

    private void Pop(int count)
    {
        for (int i = 0; i < count; i++) Pop();
    }

    private bool IsI32(int local) => _localTypes[local] == ValueType.I32;

    private bool IsInductionVariable(int local) => _inductionVariables is { } variables && variables.ContainsKey(local);

    private bool IsInvariant(int local) => !_assignments.ContainsKey(local);

    private LinearForm? Read(int local, bool firstPass)
    {
        if (!IsI32(local)) return null;
        if (firstPass || IsInvariant(local) || IsInductionVariable(local)) return LinearForm.OfLocal(local);
        return _known.GetValueOrDefault(local);
    }

    private void Write(int local, LinearForm? value, bool firstPass)
    {
        if (!IsI32(local)) return;
        if (firstPass)
        {
            // Each write is an increment (value = local + something) or ends the local's candidacy.
            var increment = value is not null && value.CoefficientOf(local) == 1 ? LinearForm.Subtract(value, LinearForm.OfLocal(local)) : null;
            if (_assignments.TryGetValue(local, out var increments))
            {
                if (increments is not null && increment is not null) increments.Add(increment);
                else _assignments[local] = null;
            }
            else
            {
                _assignments[local] = increment is null ? null : [increment];
            }
            return;
        }
        if (IsInductionVariable(local)) return;
        // A top-level write runs before everything after it in the iteration; any other leaves the local unknown.
        _known[local] = AtTopLevel && Reachable ? value : null;
    }

    private void Access(int position, Opcode opcode, LinearForm? address, MemoryArgument argument, bool firstPass)
    {
        if (firstPass || address is null || !Reachable) return;
        foreach (var (local, coefficient) in address.Terms)
        {
            if (IsInductionVariable(local) && Math.Abs(coefficient) > MaxInductionCoefficient) return;
        }
        int width = 1 << InstructionSignatures.MemoryAccesses[(int)opcode - (int)Opcode.I32Load].NaturalAlignment;
        _accesses.Add((position, address, address.Constant + argument.Offset + width));
    }

    /// <summary>Induction variables: locals whose every write is an increment by a small form over invariant locals.</summary>
    private void ClassifyLocals()
    {
        _inductionVariables = [];
        foreach (var (local, increments) in _assignments)
        {
            if (increments is null || increments.Count > MaxIncrements) continue;
            bool valid = true;
            foreach (var increment in increments)
            {
                valid &= increment.Terms.Length <= 1 && Math.Abs(increment.Constant) <= MaxIncrementConstant;
                foreach (var (other, coefficient) in increment.Terms)
                    valid &= IsInvariant(other) && Math.Abs(coefficient) <= MaxIncrementCoefficient;
            }
            if (valid) _inductionVariables[local] = new InductionVariable { Local = local, Increments = increments };
        }
    }

    /// <summary>
    /// Iterations to run checked before the first pass through the guard: about as many as it
    /// takes the checks the fast version saves to pay for the guard, in a rough model where a
    /// guard costs <see cref="GuardInstructions"/> plus <see cref="GuardInstructionsPerGroup"/>
    /// instructions per group and a check <see cref="CheckInstructions"/>. None when one
    /// iteration pays for it (nbody's 4-iteration loop of 14 accesses); 6 for a one-load scan (a
    /// quicksort partition's); never more than <see cref="MaxWarmUpIterations"/>.
    /// </summary>
    private static int WarmUp(int groups, int accesses)
    {
        int iterations = (GuardInstructions + GuardInstructionsPerGroup * groups + CheckInstructions * accesses - 1) / (CheckInstructions * accesses);
        return iterations <= 1 ? 0 : Math.Min(iterations, MaxWarmUpIterations);
    }

    private const int GuardInstructions = 8;
    private const int GuardInstructionsPerGroup = 10;
    private const int CheckInstructions = 3;
    private const int MaxWarmUpIterations = 16;

    private LoopPlan? BuildPlan(int bodyBytes)
    {
        var groups = new List<AccessGroup>();
        var uncheckedAccesses = new HashSet<int>();
        foreach (var (position, address, end) in _accesses)
        {
            var group = groups.Find(g => address.HasTerms(g.Terms));
            if (group is null)
            {
                if (groups.Count == MaxGroups) continue;
                groups.Add(group = new AccessGroup { Terms = address.Terms, Low = address.Constant, High = end });
            }
            group.Low = Math.Min(group.Low, address.Constant);
            group.High = Math.Max(group.High, end);
            uncheckedAccesses.Add(position);
        }
        if (uncheckedAccesses.Count == 0) return null;
        return new LoopPlan
        {
            WarmUpIterations = WarmUp(groups.Count, uncheckedAccesses.Count),
            UncheckedAccesses = uncheckedAccesses,
            Groups = [.. groups],
            InductionVariables = _inductionVariables!,
            IterationCharge = _singlePath ? _backEdgeCharge : null,
            IterationsPerGuard = _hasBulkOperations ? 1 : Math.Max(1, InstructionsPerGuard / _instructions),
            HasCalls = _hasCalls,
            BodyBytes = bodyBytes,
        };
    }
}
