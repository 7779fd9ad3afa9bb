namespace Interstice.Wasm.Wasi.Sandbox;

/// <summary>Where a guest path leads on the host.</summary>
/// <param name="HostPath">The absolute host path, inside the directory the path was resolved from.</param>
/// <param name="IsRoot">The path named that directory itself (e.g. <c>.</c> or <c>a/..</c>).</param>
/// <param name="TrailingSlash">The guest path ended with <c>/</c>: it must name a directory.</param>
internal readonly record struct ResolvedPath(string HostPath, bool IsRoot, bool TrailingSlash);
