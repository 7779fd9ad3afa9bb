using Interstice.Wasm.Tests.TestSupport;

namespace Interstice.Wasm.Tests.Runtime;

/// <summary>
/// Unbounded recursion is a catchable trap on any thread, whatever its stack size, with frames
/// small or large; the process survives and the instance can be called again.
/// </summary>
public sealed class StackExhaustionTests
{
    // Large frames (many live locals) run out of native stack long before the depth limit.
    private static readonly Module Recursion = TestModule.Compile("""
        (module
          (func $small (export "small") (param i32) (result i32) (i32.add (call $small (local.get 0)) (i32.const 1)))
          (func $large (export "large") (param i64) (result i64)
            (local i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64)
            (local.set 1 (i64.add (local.get 0) (i64.const 1))) (local.set 2 (i64.mul (local.get 1) (local.get 1)))
            (local.set 3 (i64.add (local.get 2) (local.get 1))) (local.set 4 (i64.mul (local.get 3) (local.get 2)))
            (local.set 5 (i64.add (local.get 4) (local.get 3))) (local.set 6 (i64.mul (local.get 5) (local.get 4)))
            (local.set 7 (i64.add (local.get 6) (local.get 5))) (local.set 8 (i64.mul (local.get 7) (local.get 6)))
            (i64.add (call $large (local.get 8))
              (i64.add (i64.add (i64.add (local.get 1) (local.get 2)) (i64.add (local.get 3) (local.get 4)))
                       (i64.add (i64.add (local.get 5) (local.get 6)) (i64.add (local.get 7) (local.get 8))))))
          (func (export "ok") (result i32) (i32.const 42)))
        """);

    private static void RecurseAndRecover()
    {
        using var instance = new Linker().Instantiate(Recursion, new InstanceOptions { MaxCallDepth = int.MaxValue });
        Assert.Equal(TrapKind.CallStackExhausted, Assert.Throws<TrapException>(() => instance.GetFunction<Func<int, int>>("small")(0)).Kind);
        Assert.Equal(42, instance.GetFunction<Func<int>>("ok")());
        Assert.Equal(TrapKind.CallStackExhausted, Assert.Throws<TrapException>(() => instance.GetFunction("large")!.Invoke(Value.FromI64(0))).Kind);
        Assert.Equal(42, instance.GetFunction<Func<int>>("ok")());
    }

    private static void OnThread(int maxStackSize)
    {
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                RecurseAndRecover();
            }
            catch (Exception e)
            {
                failure = e;
            }
        }, maxStackSize);
        thread.Start();
        thread.Join();
        if (failure is not null) throw new Xunit.Sdk.XunitException($"on a thread with {maxStackSize} bytes of stack: {failure}");
    }

    [Fact]
    public void OnTheTestThread() => RecurseAndRecover();

    [Fact]
    public async Task OnAThreadPoolThread() => await Task.Run(RecurseAndRecover);

    [Fact]
    public void OnADefaultThread() => OnThread(0);

    [Theory]
    [InlineData(256 * 1024)]
    [InlineData(1024 * 1024)]
    public void OnASmallStackThread(int maxStackSize) => OnThread(maxStackSize);

    [Fact]
    public void ThroughAHostFunctionThatCallsBackIn()
    {
        Instance? instance = null;
        var linker = new Linker().DefineFunction("host", "reenter", (int n) => instance!.GetFunction<Func<int, int>>("down")(n + 1));
        instance = TestModule.Instantiate("""
            (module (import "host" "reenter" (func $reenter (param i32) (result i32)))
              (func (export "down") (param i32) (result i32) (call $reenter (local.get 0))))
            """, instanceOptions: new InstanceOptions { MaxCallDepth = int.MaxValue }, linker: linker);
        using (instance)
        {
            Assert.Equal(TrapKind.CallStackExhausted, Assert.Throws<TrapException>(() => instance.GetFunction<Func<int, int>>("down")(0)).Kind);
        }
    }
}
