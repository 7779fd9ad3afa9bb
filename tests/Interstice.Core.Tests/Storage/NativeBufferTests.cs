using Interstice.Core.Storage;

namespace Interstice.Core.Tests.Storage;

/// <summary>
/// <see cref="NativeBuffer{T}"/>, the bulk build's scratch memory outside the managed heap: its
/// items are read and written through its span and its checked indexer, and once it is disposed
/// (its memory freed) neither reaches the memory again.
/// </summary>
public class NativeBufferTests
{
    [Fact]
    public void Holds_what_is_written_through_its_span_and_its_indexer()
    {
        using var buffer = new NativeBuffer<ulong>(1000);
        var span = buffer.Span;
        Assert.Equal(1000, span.Length);
        for (int i = 0; i < span.Length; i++) span[i] = (ulong)i * 3;
        buffer[999] = 7;
        Assert.Equal(297UL, buffer[99]);
        Assert.Equal(7UL, buffer.Span[999]);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(10)]
    [InlineData(int.MaxValue)]
    public void Its_indexer_refuses_a_position_outside_it(int index)
    {
        using var buffer = new NativeBuffer<int>(10);
        Assert.Throws<IndexOutOfRangeException>(() => buffer[index]);
    }

    [Fact]
    public void An_empty_buffer_has_an_empty_span()
    {
        using var buffer = new NativeBuffer<int>(0);
        Assert.True(buffer.Span.IsEmpty);
        Assert.Throws<IndexOutOfRangeException>(() => buffer[0]);
    }

    [Fact]
    public void A_disposed_buffer_refuses_every_access()
    {
        var buffer = new NativeBuffer<int>(10);
        buffer.Dispose();
        Assert.Throws<ObjectDisposedException>(() => buffer.Span.Length);
        Assert.Throws<ObjectDisposedException>(() => buffer[0]);
        buffer.Dispose();
    }

    [Fact]
    public void A_negative_length_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new NativeBuffer<int>(-1));
    }
}
