using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Interstice.Wasm.Runtime;

/// <summary>
/// The memory instructions that are calls rather than inline code: <c>memory.grow</c> and the
/// bulk operations. Bounds are checked before anything is written, as the spec requires.
/// </summary>
internal static unsafe class MemoryOps
{
    public static int Grow(int deltaPages, InstanceContext context) => context.Memory!.GrowPages((uint)deltaPages);

    public static void Fill(int destination, int value, int count, InstanceContext context)
    {
        var memory = context.Memory!;
        CheckRange(memory, (uint)destination, (uint)count);
        NativeMemory.Fill(memory.Base + (uint)destination, (uint)count, (byte)value);
    }

    public static void Copy(int destination, int source, int count, InstanceContext context)
    {
        var memory = context.Memory!;
        CheckRange(memory, (uint)source, (uint)count);
        CheckRange(memory, (uint)destination, (uint)count);
        Buffer.MemoryCopy(memory.Base + (uint)source, memory.Base + (uint)destination, count, (uint)count);
    }

    public static void Init(int destination, int source, int count, int segmentIndex, InstanceContext context)
    {
        var memory = context.Memory!;
        var segment = context.DataSegments[segmentIndex].Span;
        if ((ulong)(uint)source + (uint)count > (ulong)segment.Length)
            Traps.ThrowMemoryOutOfBounds((uint)source, (uint)count, (ulong)segment.Length);
        CheckRange(memory, (uint)destination, (uint)count);
        segment.Slice((int)(uint)source, (int)(uint)count).CopyTo(new Span<byte>(memory.Base + (uint)destination, (int)(uint)count));
    }

    public static void DropData(int segmentIndex, InstanceContext context) => context.DataSegments[segmentIndex] = default;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CheckRange(Memory memory, uint address, uint count)
    {
        if ((ulong)address + count > memory.Size) Traps.ThrowMemoryOutOfBounds(address, count, memory.Size);
    }
}
