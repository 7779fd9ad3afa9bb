namespace Interstice.Wasm.Wasi.Abi;

/// <summary>WASI preview1 <c>fstflags</c>: which timestamps <c>*_filestat_set_times</c> changes, and whether to "now".</summary>
[Flags]
internal enum TimeFlags : ushort
{
    None = 0,
    AccessTime = 1 << 0,
    AccessTimeNow = 1 << 1,
    ModificationTime = 1 << 2,
    ModificationTimeNow = 1 << 3,
}
