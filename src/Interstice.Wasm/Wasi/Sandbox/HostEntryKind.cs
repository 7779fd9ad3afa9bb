namespace Interstice.Wasm.Wasi.Sandbox;

/// <summary>What a host path names, without following a final symbolic link.</summary>
internal enum HostEntryKind
{
    None,
    File,
    Directory,
    SymbolicLink,
}
