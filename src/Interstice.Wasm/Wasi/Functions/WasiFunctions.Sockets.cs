using Interstice.Wasm.Wasi.Abi;

namespace Interstice.Wasm.Wasi.Functions;

/// <summary>
/// <c>sock_*</c>: present so that programs importing them link, but this host gives programs no
/// sockets, so they answer <c>ENOSYS</c>.
/// </summary>
internal sealed partial class WasiFunctions
{
    private static void DefineSockets(Linker linker)
    {
        Define(linker, "sock_accept", (Func<Caller, int, int, int, int>)((_, _, _, _) => (int)Errno.NotImplemented));
        Define(linker, "sock_recv", (Func<Caller, int, int, int, int, int, int, int>)((_, _, _, _, _, _, _) => (int)Errno.NotImplemented));
        Define(linker, "sock_send", (Func<Caller, int, int, int, int, int, int>)((_, _, _, _, _, _) => (int)Errno.NotImplemented));
        Define(linker, "sock_shutdown", (Func<Caller, int, int, int>)((_, _, _) => (int)Errno.NotImplemented));
    }
}
