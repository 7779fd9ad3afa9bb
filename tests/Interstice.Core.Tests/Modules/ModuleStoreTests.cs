using System.Security.Cryptography;
using Interstice.Core.Modules;
using Interstice.Core.Tests.Durability.Support;

namespace Interstice.Core.Tests.Modules;

/// <summary>
/// The module binaries a durable node keeps by content hash: stored durably, a damaged one
/// replaced, nothing left half-written, and no path built from a hash that is not a sha-256.
/// </summary>
public class ModuleStoreTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void A_stored_binary_that_was_damaged_is_replaced_when_the_same_module_is_saved_again()
    {
        var store = new ModuleStore(_temp.Path);
        byte[] wasm = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x42];
        string hash = Convert.ToHexStringLower(SHA256.HashData(wasm));
        store.Save(hash, wasm);
        File.WriteAllBytes(store.PathOf(hash), [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x43]);
        store.Save(hash, wasm);
        Assert.Equal(wasm, store.Load(hash));

        File.WriteAllBytes(store.PathOf(hash), wasm[..4]);
        store.Save(hash, wasm);
        Assert.Equal(wasm, store.Load(hash));
        Assert.Single(Directory.GetFiles(store.Directory));
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/")]
    public void A_hash_that_is_not_a_sha_256_is_refused_before_it_becomes_a_path(string hash)
    {
        var store = new ModuleStore(_temp.Path);
        var error = Assert.Throws<ArgumentException>(() => store.PathOf(hash));
        Assert.Equal("hash", error.ParamName);
        Assert.Throws<ArgumentException>(() => store.Load(hash));
        Assert.Throws<ArgumentException>(() => store.Save(hash, [0x00, 0x61, 0x73, 0x6d]));
        Assert.False(Directory.Exists(store.Directory));
    }
}
