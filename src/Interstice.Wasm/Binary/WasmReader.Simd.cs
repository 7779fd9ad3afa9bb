namespace Interstice.Wasm.Binary;

/// <summary>Readers for the immediates of SIMD instructions (spec 5.4.8).</summary>
internal ref partial struct WasmReader
{
    /// <summary>A lane index: one byte. Whether it is in range for the shape is for the validator to check.</summary>
    public byte ReadLaneIndex() => ReadByte();

    /// <summary>Skips the immediates of a SIMD instruction whose kind is known to be legal.</summary>
    public void SkipSimdImmediates(SimdImmediate immediates)
    {
        switch (immediates)
        {
            case SimdImmediate.MemoryArgument:
                ReadMemoryArgument();
                break;
            case SimdImmediate.MemoryArgumentAndLane:
                ReadMemoryArgument();
                ReadLaneIndex();
                break;
            case SimdImmediate.Lane:
                ReadLaneIndex();
                break;
            case SimdImmediate.Bytes16:
                ReadBytes(16);
                break;
        }
    }
}
