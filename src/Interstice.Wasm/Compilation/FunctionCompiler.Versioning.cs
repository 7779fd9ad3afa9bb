using System.Reflection.Emit;
using Interstice.Wasm.Binary;
using Interstice.Wasm.Compilation.Versioning;
using Interstice.Wasm.Runtime;

namespace Interstice.Wasm.Compilation;

/// <summary>
/// Loop versioning: an innermost loop whose accesses have addresses linear in its induction
/// variables and invariant locals (see <see cref="LoopAnalyzer"/>) is compiled twice. A guard
/// computes from the locals' current values how many iterations (at most
/// <see cref="LoopPlan.IterationsPerGuard"/>) certainly keep all those accesses in bounds; the
/// fast version runs that many without checking them, counting down, then goes back through
/// the guard. When not even one iteration is certain, the guard sends the loop to the checked
/// version for the rest of its run, where an out-of-bounds access traps exactly as usual. A loop
/// may start with a few checked iterations (<see cref="LoopPlan.WarmUpIterations"/>), so that
/// short loops skip the guard. Memory
/// never shrinks, so calls and <c>memory.grow</c> in the body cannot invalidate the guard.
/// The guard is also where the fast version checks for interrupts (once per pass) and, with
/// fuel metering, when all iterations charge the same and the body makes no calls, where the fuel
/// for the pass is set aside: the fast version then neither checks nor charges fuel on its back
/// edges (see <see cref="VersionedLoop.FuelBase"/>).
/// </summary>
internal sealed partial class FunctionCompiler
{
    /// <summary>How much loop code a function may duplicate, in bytes of the code section: the JIT optimises less in very large methods.</summary>
    private const int MaxVersionedBytes = 16_000;

    private int _versionedBytes;

    /// <summary>The loop whose fast version is being compiled, if any.</summary>
    private VersionedLoop? _fastLoop;

    /// <summary>Where the reader goes next (the start of a loop body to compile again), or -1.</summary>
    private int _rewindTo = -1;

    /// <summary>Code offset of the instruction being compiled (what <see cref="LoopPlan.UncheckedAccesses"/> holds).</summary>
    private int _instructionStart;

    /// <summary>The plan for a loop whose body starts at <paramref name="body"/>, if it is worth compiling in two versions.</summary>
    private LoopPlan? PlanVersions(WasmReader body, int parameterCount)
    {
        if (parameterCount != 0 || _memorySize is null) return null;
        var plan = LoopAnalyzer.Analyze(body, _definition, _localTypes);
        if (plan is null || _body.CodeLength + _versionedBytes + plan.BodyBytes > MaxVersionedBytes) return null;
        _versionedBytes += plan.BodyBytes;
        _module.VersionedLoopWarmUps.Add(plan.WarmUpIterations);
        return plan;
    }

    /// <summary>Emits the guard and starts the fast version; returns the state kept on the loop's frame.</summary>
    private VersionedLoop BeginVersionedLoop(LoopPlan plan, int bodyStart, bool callsEveryIteration)
    {
        bool countsFuel = _fuel is not null && !plan.HasCalls && plan.IterationCharge is not null;
        var loop = new VersionedLoop
        {
            Plan = plan,
            BodyStart = bodyStart,
            Guard = _il.DefineLabel(),
            FastHeader = _il.DefineLabel(),
            CheckedHeader = _il.DefineLabel(),
            After = _il.DefineLabel(),
            Countdown = _temps.Rent(typeof(int)),
            FuelBase = countsFuel ? _temps.Rent(typeof(long)) : null,
            CallsEveryIteration = callsEveryIteration,
        };
        if (plan.WarmUpIterations > 0)
        {
            // Enter through the checked version for a few iterations: loops that end sooner (the
            // scans of a quicksort partition) never pay for the guard. The branch is conditional
            // (always taken) so that the guard after it keeps the evaluation stack of the entry.
            _il.Emit(OpCodes.Ldc_I4, plan.WarmUpIterations);
            _il.Emit(OpCodes.Dup);
            _il.Emit(OpCodes.Stloc, loop.Countdown);
            _il.Emit(OpCodes.Brtrue, loop.CheckedHeader);
        }
        _il.MarkLabel(loop.Guard);
        EmitGuard(loop);
        _il.MarkLabel(loop.FastHeader);
        _fastLoop = loop;
        return loop;
    }

    /// <summary>At the end of the fast version: leaves it for <see cref="VersionedLoop.After"/> and starts the checked version.</summary>
    private void BeginCheckedVersion(ControlFrame frame, VersionedLoop loop)
    {
        if (!_unreachable)
        {
            SettleCountedFuel();
            FlushFuel();
            _il.Emit(OpCodes.Br, loop.After);
            loop.AfterUsed = true;
        }
        loop.InFastVersion = false;
        _fastLoop = null;
        ResetStack(frame.Height, frame.Parameters);
        _unreachable = false;
        _pendingFuel = 0;
        _previousOpcode = Opcode.Loop;
        frame.Label = loop.CheckedHeader;
        _frames.Add(frame);
        _il.MarkLabel(loop.CheckedHeader);
        if (!loop.CallsEveryIteration) EmitInterruptCheck();
        _rewindTo = loop.BodyStart;
    }

    /// <summary>After the checked version's end: where the fast version's end joins it.</summary>
    private bool EndVersionedLoop(VersionedLoop loop)
    {
        _temps.Return(loop.Countdown);
        if (loop.FuelBase is { } fuelBase) _temps.Return(fuelBase);
        if (loop.AfterUsed) _il.MarkLabel(loop.After);
        return loop.AfterUsed;
    }

    /// <summary>
    /// A branch back to the header of a versioned loop: count the iteration down, or go back
    /// through the guard. From the fast version counting fuel, the fuel local gets the fuel left,
    /// <c>FuelBase</c>, which the guard made positive, so the fuel check this back edge would
    /// have made cannot fail. From the checked version, the fuel was charged and checked as usual.
    /// </summary>
    private void EmitCountedBackEdge(VersionedLoop loop)
    {
        _il.Emit(OpCodes.Ldloc, loop.Countdown);
        _il.Emit(OpCodes.Ldc_I4_1);
        _il.Emit(OpCodes.Sub);
        _il.Emit(OpCodes.Dup);
        _il.Emit(OpCodes.Stloc, loop.Countdown);
        _il.Emit(OpCodes.Brtrue, loop.InFastVersion ? loop.FastHeader : loop.CheckedHeader);
        if (loop.InFastVersion && loop.FuelBase is { } fuelBase)
        {
            if (_pendingFuel != loop.Plan.IterationCharge)
                throw new InvalidOperationException($"function {_functionIndex}: a counted iteration charges {_pendingFuel}, not {loop.Plan.IterationCharge}");
            _pendingFuel = 0;
            _il.Emit(OpCodes.Ldloc, fuelBase);
            _il.Emit(OpCodes.Stloc, _fuel!);
        }
        _il.Emit(OpCodes.Br, loop.Guard);
    }

    /// <summary>Whether the code being compiled is the fast version of a loop that charges fuel by counting iterations.</summary>
    private bool CountingFuel => _fastLoop is { FuelBase: not null };

    /// <summary>
    /// Pushes the fuel left at this point of a counted fast version, what is pending included:
    /// <c>FuelBase + Countdown × IterationCharge - pending</c>.
    /// </summary>
    private void EmitCountedFuel()
    {
        var loop = _fastLoop!;
        _il.Emit(OpCodes.Ldloc, loop.FuelBase!);
        _il.Emit(OpCodes.Ldloc, loop.Countdown);
        _il.Emit(OpCodes.Conv_I8);
        _il.Emit(OpCodes.Ldc_I8, (long)loop.Plan.IterationCharge!.Value);
        _il.Emit(OpCodes.Mul);
        _il.Emit(OpCodes.Add);
        if (_pendingFuel > 0)
        {
            _il.Emit(OpCodes.Ldc_I8, (long)_pendingFuel);
            _il.Emit(OpCodes.Sub);
        }
    }

    /// <summary>On the way out of a counted fast version: the fuel local gets the fuel left, everything pending charged.</summary>
    private void SettleCountedFuel()
    {
        if (!CountingFuel) return;
        EmitCountedFuel();
        _il.Emit(OpCodes.Stloc, _fuel!);
        _pendingFuel = 0;
    }

    /// <summary>
    /// The guard: interrupt check; countdown = iterations per pass, reduced so that every group of
    /// unchecked accesses stays in bounds and, when counting fuel, to what the fuel pays for; the
    /// checked version when that leaves none.
    /// </summary>
    private void EmitGuard(VersionedLoop loop)
    {
        var plan = loop.Plan;
        var countdown = loop.Countdown;
        EmitInterruptCheck();
        _il.Emit(OpCodes.Ldc_I4, plan.IterationsPerGuard);
        _il.Emit(OpCodes.Stloc, countdown);

        if (loop.FuelBase is not null)
        {
            // At most (fuel - 1) / charge iterations, so that the fuel left after them is positive:
            // no back edge in between could have failed its fuel check (which traps at zero).
            // Dividing only when the fuel does not pay for a whole pass.
            var paid = _il.DefineLabel();
            _il.Emit(OpCodes.Ldloc, _fuel!);
            _il.Emit(OpCodes.Ldc_I8, 1L);
            _il.Emit(OpCodes.Sub);
            _il.Emit(OpCodes.Ldc_I8, (long)plan.IterationsPerGuard * plan.IterationCharge!.Value);
            _il.Emit(OpCodes.Bge, paid);
            _il.Emit(OpCodes.Ldloc, _fuel!);
            _il.Emit(OpCodes.Ldc_I8, 1L);
            _il.Emit(OpCodes.Sub);
            _il.Emit(OpCodes.Ldc_I8, (long)plan.IterationCharge!.Value);
            _il.Emit(OpCodes.Div);
            _il.Emit(OpCodes.Conv_I4);
            _il.Emit(OpCodes.Stloc, countdown);
            _il.MarkLabel(paid);
        }

        var rises = new Dictionary<int, LocalBuilder>();
        var falls = new Dictionary<int, LocalBuilder>();
        foreach (var variable in plan.InductionVariables.Values)
        {
            if (variable.HasConstantIncrements || !UsedByGroups(plan, variable.Local)) continue;
            rises[variable.Local] = EmitMovement(variable, rise: true);
            falls[variable.Local] = EmitMovement(variable, rise: false);
        }

        var baseValue = _temps.Rent(typeof(long));
        foreach (var group in plan.Groups)
        {
            EmitGroupBase(group);
            _il.Emit(OpCodes.Stloc, baseValue);

            // Upper bound: base + High + n × rise <= size.
            var upperOk = _il.DefineLabel();
            _il.Emit(OpCodes.Ldloc, baseValue);
            _il.Emit(OpCodes.Ldc_I8, group.High);
            _il.Emit(OpCodes.Add);
            EmitSlopeTimesCountdown(plan, group, countdown, upper: true, rises, falls);
            _il.Emit(OpCodes.Ldloc, _memorySize!);
            _il.Emit(OpCodes.Ble, upperOk);
            _il.Emit(OpCodes.Ldloc, _memorySize!);
            _il.Emit(OpCodes.Ldloc, baseValue);
            _il.Emit(OpCodes.Sub);
            _il.Emit(OpCodes.Ldc_I8, group.High);
            _il.Emit(OpCodes.Sub);
            EmitSlope(plan, group, upper: true, rises, falls);
            _il.Emit(OpCodes.Ldloc, countdown);
            _il.Emit(OpCodes.Call, RuntimeMembers.LoopGuardFit);
            _il.Emit(OpCodes.Stloc, countdown);
            _il.MarkLabel(upperOk);

            if (!NeedsLowerBound(plan, group)) continue;
            // Lower bound: base + Low + n × fall >= 0 (fall <= 0).
            var lowerOk = _il.DefineLabel();
            _il.Emit(OpCodes.Ldloc, baseValue);
            _il.Emit(OpCodes.Ldc_I8, group.Low);
            _il.Emit(OpCodes.Add);
            EmitSlopeTimesCountdown(plan, group, countdown, upper: false, rises, falls);
            _il.Emit(OpCodes.Ldc_I8, 0L);
            _il.Emit(OpCodes.Bge, lowerOk);
            _il.Emit(OpCodes.Ldloc, baseValue);
            _il.Emit(OpCodes.Ldc_I8, group.Low);
            _il.Emit(OpCodes.Add);
            EmitSlope(plan, group, upper: false, rises, falls);
            _il.Emit(OpCodes.Neg);
            _il.Emit(OpCodes.Ldloc, countdown);
            _il.Emit(OpCodes.Call, RuntimeMembers.LoopGuardFit);
            _il.Emit(OpCodes.Stloc, countdown);
            _il.MarkLabel(lowerOk);
        }
        _temps.Return(baseValue);
        foreach (var local in rises.Values) _temps.Return(local);
        foreach (var local in falls.Values) _temps.Return(local);

        // Not even one iteration is certain: the checked version, practically for good.
        var fast = _il.DefineLabel();
        _il.Emit(OpCodes.Ldloc, countdown);
        _il.Emit(OpCodes.Ldc_I4_0);
        _il.Emit(OpCodes.Bgt, fast);
        _il.Emit(OpCodes.Ldc_I4, int.MaxValue);
        _il.Emit(OpCodes.Stloc, countdown);
        _il.Emit(OpCodes.Br, loop.CheckedHeader);
        _il.MarkLabel(fast);

        if (loop.FuelBase is { } fuelBase)
        {
            // The fuel left once the countdown is over.
            _il.Emit(OpCodes.Ldloc, _fuel!);
            _il.Emit(OpCodes.Ldloc, countdown);
            _il.Emit(OpCodes.Conv_I8);
            _il.Emit(OpCodes.Ldc_I8, (long)plan.IterationCharge!.Value);
            _il.Emit(OpCodes.Mul);
            _il.Emit(OpCodes.Sub);
            _il.Emit(OpCodes.Stloc, fuelBase);
        }
    }

    private static bool UsedByGroups(LoopPlan plan, int local)
    {
        foreach (var group in plan.Groups)
            foreach (var (term, _) in group.Terms)
                if (term == local) return true;
        return false;
    }

    /// <summary>
    /// Whether the group's addresses may go below zero: not when every coefficient is positive,
    /// the smallest constant is not negative and no induction variable of the group can decrease.
    /// </summary>
    private static bool NeedsLowerBound(LoopPlan plan, AccessGroup group)
    {
        if (group.Low < 0) return true;
        foreach (var (local, coefficient) in group.Terms)
        {
            if (coefficient < 0) return true;
            if (plan.InductionVariables.TryGetValue(local, out var variable) && !(variable.HasConstantIncrements && variable.ConstantFall == 0)) return true;
        }
        return false;
    }

    /// <summary>Σ coefficient × (ulong)(uint)local over the group's terms, as a long.</summary>
    private void EmitGroupBase(AccessGroup group)
    {
        _il.Emit(OpCodes.Ldc_I8, 0L);
        foreach (var (local, coefficient) in group.Terms)
        {
            EmitLoadLocal(local);
            _il.Emit(OpCodes.Conv_U8);
            if (coefficient != 1)
            {
                _il.Emit(OpCodes.Ldc_I8, coefficient);
                _il.Emit(OpCodes.Mul);
            }
            _il.Emit(OpCodes.Add);
        }
    }

    /// <summary>
    /// Adds countdown × slope to the long on the stack, where the slope is how far the group's
    /// addresses can move per iteration upwards (<paramref name="upper"/>) or downwards; nothing
    /// when the slope is zero.
    /// </summary>
    private void EmitSlopeTimesCountdown(LoopPlan plan, AccessGroup group, LocalBuilder countdown, bool upper, Dictionary<int, LocalBuilder> rises, Dictionary<int, LocalBuilder> falls)
    {
        if (ConstantSlope(plan, group, upper) == 0) return;
        _il.Emit(OpCodes.Ldloc, countdown);
        _il.Emit(OpCodes.Conv_I8);
        EmitSlope(plan, group, upper, rises, falls);
        _il.Emit(OpCodes.Mul);
        _il.Emit(OpCodes.Add);
    }

    /// <summary>
    /// Pushes the slope: Σ over induction variables of coefficient × (rise if the coefficient is
    /// positive, else fall) for the upper slope, the other way round for the lower one.
    /// </summary>
    private void EmitSlope(LoopPlan plan, AccessGroup group, bool upper, Dictionary<int, LocalBuilder> rises, Dictionary<int, LocalBuilder> falls)
    {
        long constant = 0;
        bool any = false;
        foreach (var (local, coefficient) in group.Terms)
        {
            if (!plan.InductionVariables.TryGetValue(local, out var variable)) continue;
            bool useRise = upper == coefficient > 0;
            if (variable.HasConstantIncrements)
            {
                constant += coefficient * (useRise ? variable.ConstantRise : variable.ConstantFall);
                continue;
            }
            _il.Emit(OpCodes.Ldloc, useRise ? rises[local] : falls[local]);
            _il.Emit(OpCodes.Ldc_I8, coefficient);
            _il.Emit(OpCodes.Mul);
            if (any) _il.Emit(OpCodes.Add);
            any = true;
        }
        _il.Emit(OpCodes.Ldc_I8, constant);
        if (any) _il.Emit(OpCodes.Add);
    }

    /// <summary>The slope when it is a constant; null when it depends on locals.</summary>
    private static long? ConstantSlope(LoopPlan plan, AccessGroup group, bool upper)
    {
        long constant = 0;
        foreach (var (local, coefficient) in group.Terms)
        {
            if (!plan.InductionVariables.TryGetValue(local, out var variable)) continue;
            if (!variable.HasConstantIncrements) return null;
            constant += coefficient * (upper == coefficient > 0 ? variable.ConstantRise : variable.ConstantFall);
        }
        return constant;
    }

    /// <summary>
    /// Computes into a new long temporary how far an induction variable can move in one
    /// iteration: the sum of its positive increments (<paramref name="rise"/>) or of its negative ones.
    /// </summary>
    private LocalBuilder EmitMovement(InductionVariable variable, bool rise)
    {
        var result = _temps.Rent(typeof(long));
        _il.Emit(OpCodes.Ldc_I8, 0L);
        foreach (var increment in variable.Increments)
        {
            _il.Emit(OpCodes.Ldc_I8, increment.Constant);
            foreach (var (local, coefficient) in increment.Terms)
            {
                EmitLoadLocal(local);
                _il.Emit(OpCodes.Conv_I8);
                _il.Emit(OpCodes.Ldc_I8, coefficient);
                _il.Emit(OpCodes.Mul);
                _il.Emit(OpCodes.Add);
            }
            _il.Emit(OpCodes.Ldc_I8, 0L);
            _il.Emit(OpCodes.Call, rise ? RuntimeMembers.MaxInt64 : RuntimeMembers.MinInt64);
            _il.Emit(OpCodes.Add);
        }
        _il.Emit(OpCodes.Stloc, result);
        return result;
    }

    /// <summary>Pushes a WebAssembly local without touching the tracked operand stack.</summary>
    private void EmitLoadLocal(int index) => _il.Emit(OpCodes.Ldloc, _locals[index]);

    /// <summary>The native address of an access the guard has proven in bounds: base + (uint)address + offset.</summary>
    private void EmitUncheckedAddress(uint offset)
    {
        _il.Emit(OpCodes.Conv_U);
        _il.Emit(OpCodes.Ldloc, _memoryBase!);
        _il.Emit(OpCodes.Add);
        if (offset != 0)
        {
            _il.Emit(OpCodes.Ldc_I8, (long)offset);
            _il.Emit(OpCodes.Conv_U);
            _il.Emit(OpCodes.Add);
        }
    }
}
