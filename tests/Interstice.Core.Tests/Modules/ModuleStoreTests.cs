using Interstice.Core.Modules;
using Interstice.Core.Tests.Durability.Support;

namespace Interstice.Core.Tests.Modules;

/// <summary>The module binaries a durable node keeps by content hash: stored durably, a damaged one replaced, nothing left half-written.</summary>
public class ModuleStoreTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void A_stored_binary_that_was_damaged_is_replaced_when_the_same_module_is_saved_again()
    {
        var store = new ModuleStore(_temp.Path);
        byte[] wasm = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x42];
        store.Save("abc", wasm);
        File.WriteAllBytes(store.PathOf("abc"), [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x43]);
        store.Save("abc", wasm);
        Assert.Equal(wasm, store.Load("abc"));

        File.WriteAllBytes(store.PathOf("abc"), wasm[..4]);
        store.Save("abc", wasm);
        Assert.Equal(wasm, store.Load("abc"));
        Assert.Single(Directory.GetFiles(store.Directory));
    }
}
