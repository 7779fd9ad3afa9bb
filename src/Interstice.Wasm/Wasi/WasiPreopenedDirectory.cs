namespace Interstice.Wasm.Wasi;

/// <summary>A host directory that a WASI program may use, and the guest path it knows it by.</summary>
/// <param name="HostPath">The directory on the host; everything the program reaches through it stays inside it.</param>
/// <param name="GuestPath">The path the program uses for it, e.g. <c>/data</c> or <c>.</c>.</param>
public sealed record WasiPreopenedDirectory(string HostPath, string GuestPath);
