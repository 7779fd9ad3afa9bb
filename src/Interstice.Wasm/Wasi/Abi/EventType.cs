namespace Interstice.Wasm.Wasi.Abi;

/// <summary>WASI preview1 <c>eventtype</c> of <c>poll_oneoff</c> subscriptions and events.</summary>
internal enum EventType : byte
{
    Clock = 0,
    FdRead = 1,
    FdWrite = 2,
}
