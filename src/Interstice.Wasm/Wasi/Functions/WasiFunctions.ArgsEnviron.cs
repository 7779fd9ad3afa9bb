using Interstice.Wasm.Wasi.Abi;

namespace Interstice.Wasm.Wasi.Functions;

/// <summary><c>args_*</c> and <c>environ_*</c>: the program's arguments and environment as NUL-terminated UTF-8 strings.</summary>
internal sealed partial class WasiFunctions
{
    private void DefineArgsAndEnviron(Linker linker)
    {
        Define(linker, "args_sizes_get", (Func<Caller, int, int, int>)((caller, countOut, sizeOut) => SizesGet(caller, context.Arguments, countOut, sizeOut)));
        Define(linker, "args_get", (Func<Caller, int, int, int>)((caller, pointers, buffer) => StringsGet(caller, context.Arguments, pointers, buffer)));
        Define(linker, "environ_sizes_get", (Func<Caller, int, int, int>)((caller, countOut, sizeOut) => SizesGet(caller, context.EnvironmentVariables, countOut, sizeOut)));
        Define(linker, "environ_get", (Func<Caller, int, int, int>)((caller, pointers, buffer) => StringsGet(caller, context.EnvironmentVariables, pointers, buffer)));
    }

    private static int SizesGet(Caller caller, byte[][] strings, int countOut, int sizeOut)
    {
        var memory = MemoryOf(caller);
        uint size = 0;
        foreach (var s in strings) size += (uint)s.Length;
        return memory.TryWriteUInt32(countOut, (uint)strings.Length) && memory.TryWriteUInt32(sizeOut, size)
            ? (int)Errno.Success : (int)Errno.Fault;
    }

    /// <summary>Writes the strings one after the other at <paramref name="buffer"/> and a pointer to each at <paramref name="pointers"/>.</summary>
    private static int StringsGet(Caller caller, byte[][] strings, int pointers, int buffer)
    {
        var memory = MemoryOf(caller);
        uint offset = 0;
        for (int i = 0; i < strings.Length; i++)
        {
            int address = (int)((uint)buffer + offset);
            if ((ulong)(uint)buffer + offset > uint.MaxValue
                || !memory.TryGetSpan(address, (uint)strings[i].Length, out var destination)
                || !memory.TryWriteUInt32(pointers + i * 4, (uint)address))
                return (int)Errno.Fault;
            strings[i].CopyTo(destination);
            offset += (uint)strings[i].Length;
        }
        return (int)Errno.Success;
    }
}
