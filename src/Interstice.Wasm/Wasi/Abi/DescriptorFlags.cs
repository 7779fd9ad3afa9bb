namespace Interstice.Wasm.Wasi.Abi;

/// <summary>WASI preview1 <c>fdflags</c>.</summary>
[Flags]
internal enum DescriptorFlags : ushort
{
    None = 0,
    Append = 1 << 0,
    DataSync = 1 << 1,
    NonBlocking = 1 << 2,
    ReadSync = 1 << 3,
    Sync = 1 << 4,
}
