namespace Interstice.Wasm.Wasi.Abi;

/// <summary>WASI preview1 <c>whence</c> of <c>fd_seek</c>.</summary>
internal enum Whence : byte
{
    Set = 0,
    Current = 1,
    End = 2,
}
