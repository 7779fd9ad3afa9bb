namespace Interstice.Wasm.Wasi.Abi;

/// <summary>WASI preview1 <c>lookupflags</c>: whether the last component of a path is followed when it is a symbolic link.</summary>
[Flags]
internal enum LookupFlags : uint
{
    None = 0,
    SymlinkFollow = 1 << 0,
}
