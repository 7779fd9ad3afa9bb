namespace Interstice.Wasm.Wasi.Abi;

/// <summary>WASI preview1 <c>oflags</c> of <c>path_open</c>.</summary>
[Flags]
internal enum OpenFlags : ushort
{
    None = 0,
    Create = 1 << 0,
    Directory = 1 << 1,
    Exclusive = 1 << 2,
    Truncate = 1 << 3,
}
