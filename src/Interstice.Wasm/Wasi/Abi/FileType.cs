namespace Interstice.Wasm.Wasi.Abi;

/// <summary>WASI preview1 <c>filetype</c>.</summary>
internal enum FileType : byte
{
    Unknown = 0,
    BlockDevice = 1,
    CharacterDevice = 2,
    Directory = 3,
    RegularFile = 4,
    SocketDatagram = 5,
    SocketStream = 6,
    SymbolicLink = 7,
}
