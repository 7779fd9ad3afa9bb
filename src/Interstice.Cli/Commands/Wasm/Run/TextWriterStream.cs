using System.Text;

namespace Interstice.Cli.Commands.Wasm.Run;

/// <summary>
/// A write-only stream that decodes UTF-8 bytes into a <see cref="TextWriter"/>, for running a
/// program in-process with its output captured (a multi-byte character split across writes is
/// kept until its end arrives). Invalid UTF-8 becomes U+FFFD.
/// </summary>
internal sealed class TextWriterStream(TextWriter writer) : Stream
{
    private readonly Decoder _decoder = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetDecoder();

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        Span<char> chars = stackalloc char[1024];
        while (!buffer.IsEmpty)
        {
            _decoder.Convert(buffer, chars, flush: false, out int bytesUsed, out int charsUsed, out _);
            writer.Write(chars[..charsUsed]);
            buffer = buffer[bytesUsed..];
        }
    }

    public override void Flush() => writer.Flush();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
