using Interstice.Wasm.Wasi.Abi;
using Interstice.Wasm.Wasi.Descriptors;

namespace Interstice.Wasm.Wasi.Functions;

/// <summary>
/// The host functions of <c>wasi_snapshot_preview1</c>, bound to one <see cref="WasiContext"/>.
/// One file per part of the spec (args and environ, clocks, fd, path, poll, proc, random,
/// sched, sockets). Every function returns an <see cref="Errno"/> (except <c>proc_exit</c>):
/// bad descriptors, bad pointers and host failures become error numbers, never exceptions
/// escaping into the program.
/// </summary>
internal sealed partial class WasiFunctions(WasiContext context)
{
    private DescriptorTable Descriptors => context.Descriptors;

    public void DefineAll(Linker linker)
    {
        DefineArgsAndEnviron(linker);
        DefineClocks(linker);
        DefineFd(linker);
        DefinePath(linker);
        DefinePoll(linker);
        DefineProc(linker);
        DefineRandom(linker);
        DefineSched(linker);
        DefineSockets(linker);
    }

    private static void Define(Linker linker, string name, Delegate function) =>
        linker.DefineFunction(WasiLinkerExtensions.ModuleName, name, function);

    private static GuestMemory MemoryOf(Caller caller) => new(caller.Memory);

    /// <summary>Runs a file operation, turning the expected host failures into error numbers.</summary>
    private static int Guard(Func<Errno> operation)
    {
        try
        {
            return (int)operation();
        }
        catch (Exception e) when (HostErrors.IsFileSystemError(e))
        {
            return (int)HostErrors.ToErrno(e);
        }
    }

    /// <summary>The descriptor <paramref name="fd"/> when it is open and has <paramref name="rights"/>.</summary>
    private Errno Lookup(int fd, Rights rights, out Descriptor descriptor)
    {
        descriptor = Descriptors.Get(fd)!;
        if (descriptor is null) return Errno.BadDescriptor;
        return descriptor.Can(rights) ? Errno.Success : Errno.NotCapable;
    }
}
