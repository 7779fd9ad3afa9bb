using System.Security.Cryptography;
using Interstice.Wasm.Binary;
using Interstice.Wasm.Compilation;
using Interstice.Wasm.Validation;

namespace Interstice.Wasm;

/// <summary>
/// Compiles WebAssembly modules to .NET code. Thread-safe. Modules are cached by content hash
/// (SHA-256) while they are in use, so compiling the same bytes twice returns the same
/// <see cref="Module"/>.
/// </summary>
public sealed class Engine
{
    private readonly Dictionary<string, WeakReference<Module>> _cache = new(StringComparer.Ordinal);
    private readonly CompilerOptions _compilerOptions;

    public Engine(EngineOptions? options = null)
    {
        if (!Environment.Is64BitProcess) throw new PlatformNotSupportedException("the WebAssembly engine needs a 64-bit process");
        Options = options ?? new EngineOptions();
        _compilerOptions = new CompilerOptions(Options.ConsumeFuel, Options.CanonicalizeNaNs);
    }

    public EngineOptions Options { get; }

    /// <summary>
    /// Decodes, validates and compiles a module. Throws <see cref="MalformedModuleException"/> or
    /// <see cref="InvalidModuleException"/> naming what is wrong and where.
    /// </summary>
    public Module Compile(ReadOnlySpan<byte> wasm)
    {
        string hash = Convert.ToHexStringLower(SHA256.HashData(wasm));
        lock (_cache)
        {
            if (_cache.TryGetValue(hash, out var cached) && cached.TryGetTarget(out var existing)) return existing;
        }
        var definition = ModuleDecoder.Decode(wasm.ToArray());
        ModuleValidator.Validate(definition);
        string displayName = definition.Names.ModuleName is { Length: > 0 } name ? name : hash[..12];
        var module = new Module(this, ModuleCompiler.Compile(definition, _compilerOptions, displayName), hash);
        lock (_cache)
        {
            if (_cache.TryGetValue(hash, out var cached) && cached.TryGetTarget(out var existing)) return existing;
            if (_cache.Count > 64) PruneDeadEntries();
            _cache[hash] = new WeakReference<Module>(module);
        }
        return module;
    }

    private void PruneDeadEntries()
    {
        foreach (var (key, reference) in _cache.ToArray())
            if (!reference.TryGetTarget(out _)) _cache.Remove(key);
    }
}
