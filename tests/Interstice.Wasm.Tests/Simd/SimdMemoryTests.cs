using System.Runtime.Intrinsics;
using Interstice.Wasm.Tests.TestSupport;
using V = System.Runtime.Intrinsics.Vector128<byte>;

namespace Interstice.Wasm.Tests.Simd;

/// <summary>
/// SIMD loads and stores at the end of memory: each is checked for exactly the bytes it touches
/// (16 for whole vectors, 8 for extending loads, the lane's width for lane accesses), with the
/// offset immediate included, and a store that traps writes nothing.
/// </summary>
public sealed class SimdMemoryTests
{
    private const int PageEnd = 65536;

    private const string Wat = """
        (module
          (memory (export "memory") 1)
          (func (export "load") (param i32) (result v128) (v128.load (local.get 0)))
          (func (export "load_offset") (param i32) (result v128) (v128.load offset=65520 align=1 (local.get 0)))
          (func (export "store") (param i32 v128) (v128.store (local.get 0) (local.get 1)))
          (func (export "load32x2_s") (param i32) (result v128) (v128.load32x2_s (local.get 0)))
          (func (export "load8x8_u") (param i32) (result v128) (v128.load8x8_u (local.get 0)))
          (func (export "load16_splat") (param i32) (result v128) (v128.load16_splat (local.get 0)))
          (func (export "load32_zero") (param i32) (result v128) (v128.load32_zero (local.get 0)))
          (func (export "load64_lane") (param i32 v128) (result v128) (v128.load64_lane 1 (local.get 0) (local.get 1)))
          (func (export "load8_lane") (param i32 v128) (result v128) (v128.load8_lane 15 (local.get 0) (local.get 1)))
          (func (export "store8_lane") (param i32 v128) (v128.store8_lane 15 (local.get 0) (local.get 1)))
          (func (export "store32_lane") (param i32 v128) (v128.store32_lane offset=4 2 (local.get 0) (local.get 1))))
        """;

    private readonly Instance _instance = TestModule.Instantiate(Wat);

    private Memory Memory => _instance.GetMemory("memory")!;

    private Func<int, V> Load(string name) => _instance.GetFunction<Func<int, V>>(name);

    private Func<int, V, V> LoadLane(string name) => _instance.GetFunction<Func<int, V, V>>(name);

    private Action<int, V> Store(string name) => _instance.GetFunction<Action<int, V>>(name);

    private static readonly V Pattern = Vector128.Create((byte)0xA0, 0xA1, 0xA2, 0xA3, 0xA4, 0xA5, 0xA6, 0xA7, 0xA8, 0xA9, 0xAA, 0xAB, 0xAC, 0xAD, 0xAE, 0xAF);

    private static void AssertOutOfBounds(Action access) =>
        Assert.Equal(TrapKind.MemoryOutOfBounds, Assert.Throws<TrapException>(access).Kind);

    private void FillEnd()
    {
        var end = Memory.GetSpan(PageEnd - 16, 16);
        for (int i = 0; i < 16; i++) end[i] = (byte)(0x10 + i);
    }

    [Fact]
    public void WholeVectorAccessesFitTheLastSixteenBytesAndNoFurther()
    {
        FillEnd();
        Assert.Equal(Vector128.Create((byte)0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1A, 0x1B, 0x1C, 0x1D, 0x1E, 0x1F), Load("load")(PageEnd - 16));
        AssertOutOfBounds(() => Load("load")(PageEnd - 15));
        AssertOutOfBounds(() => Load("load")(-1));
        Assert.Equal(Load("load")(PageEnd - 16), Load("load_offset")(0));
        AssertOutOfBounds(() => Load("load_offset")(1));

        Store("store")(PageEnd - 16, Pattern);
        Assert.Equal(Pattern, Load("load")(PageEnd - 16));
        FillEnd();
        AssertOutOfBounds(() => Store("store")(PageEnd - 15, Pattern));
        // Nothing of the trapping store reached memory.
        Assert.Equal((byte)0x11, Memory.GetSpan(PageEnd - 15, 1)[0]);
        Assert.Equal((byte)0x1F, Memory.GetSpan(PageEnd - 1, 1)[0]);
    }

    [Fact]
    public void ExtendingSplattingAndZeroingLoadsAreCheckedForTheBytesTheyRead()
    {
        FillEnd();
        // 8 bytes: 0x1B1A1918 and 0x1F1E1D1C, sign-extended (both positive).
        Assert.Equal(Vector128.Create(0x1B1A1918L, 0x1F1E1D1CL).AsByte(), Load("load32x2_s")(PageEnd - 8));
        AssertOutOfBounds(() => Load("load32x2_s")(PageEnd - 7));
        Assert.Equal(Vector128.Create((ushort)0x18, 0x19, 0x1A, 0x1B, 0x1C, 0x1D, 0x1E, 0x1F).AsByte(), Load("load8x8_u")(PageEnd - 8));
        AssertOutOfBounds(() => Load("load8x8_u")(PageEnd - 1));

        Assert.Equal(Vector128.Create((ushort)0x1F1E).AsByte(), Load("load16_splat")(PageEnd - 2));
        AssertOutOfBounds(() => Load("load16_splat")(PageEnd - 1));
        Assert.Equal(Vector128.Create(0x1F1E1D1Cu, 0, 0, 0).AsByte(), Load("load32_zero")(PageEnd - 4));
        AssertOutOfBounds(() => Load("load32_zero")(PageEnd - 3));

        Memory.GetSpan(0, 8).Fill(0xFF);
        Assert.Equal(Vector128.Create(-1L, -1L).AsByte(), Load("load32x2_s")(0));
    }

    [Fact]
    public void LaneAccessesAreCheckedForTheLaneWidthAndReplaceOrWriteOnlyTheirLane()
    {
        FillEnd();
        var replaced = LoadLane("load64_lane")(PageEnd - 8, Pattern);
        Assert.Equal(Vector128.Create(Pattern.AsUInt64()[0], 0x1F1E1D1C1B1A1918UL).AsByte(), replaced);
        AssertOutOfBounds(() => LoadLane("load64_lane")(PageEnd - 7, Pattern));
        Assert.Equal(Pattern.WithElement(15, (byte)0x1F), LoadLane("load8_lane")(PageEnd - 1, Pattern));
        AssertOutOfBounds(() => LoadLane("load8_lane")(PageEnd, Pattern));

        Store("store8_lane")(PageEnd - 1, Pattern);
        Assert.Equal((byte)0xAF, Memory.GetSpan(PageEnd - 1, 1)[0]);
        Assert.Equal((byte)0x1E, Memory.GetSpan(PageEnd - 2, 1)[0]);
        AssertOutOfBounds(() => Store("store8_lane")(PageEnd, Pattern));

        // offset=4: the lane's 4 bytes go to address + 4.
        Store("store32_lane")(PageEnd - 8, Pattern);
        Assert.Equal([0xA8, 0xA9, 0xAA, 0xAB], Memory.GetSpan(PageEnd - 4, 4).ToArray());
        FillEnd();
        AssertOutOfBounds(() => Store("store32_lane")(PageEnd - 7, Pattern));
        Assert.Equal([0x1C, 0x1D, 0x1E, 0x1F], Memory.GetSpan(PageEnd - 4, 4).ToArray());
    }
}
