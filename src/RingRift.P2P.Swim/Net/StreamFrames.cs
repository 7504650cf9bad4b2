using System.Buffers.Binary;

namespace RingRift.P2P.Swim.Net;

/// <summary>
/// The stream framing of <see cref="UdpSwimTransport"/> requests and responses: a 4-byte big-endian
/// length, then that many bytes. At most <see cref="MaxFrameBytes"/> (1 MiB) per frame.
/// </summary>
public static class StreamFrames
{
    /// <summary>Largest frame body accepted or sent: 1 MiB (1,048,576 bytes).</summary>
    public const int MaxFrameBytes = 1 << 20;

    /// <summary>Length of the header before each frame body: 4 bytes.</summary>
    public const int HeaderBytes = 4;

    /// <summary>Writes <paramref name="body"/> as one frame and flushes.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The body is longer than <see cref="MaxFrameBytes"/>.</exception>
    public static async Task WriteAsync(Stream stream, byte[] body, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(body);
        if (body.Length > MaxFrameBytes)
        {
            throw new ArgumentOutOfRangeException(nameof(body), body.Length,
                $"body.Length is {body.Length} bytes; allowed: 0 to {MaxFrameBytes} (StreamFrames.MaxFrameBytes).");
        }

        byte[] header = new byte[HeaderBytes];
        BinaryPrimitives.WriteInt32BigEndian(header, body.Length);
        await stream.WriteAsync(header, ct).ConfigureAwait(false);
        await stream.WriteAsync(body, ct).ConfigureAwait(false);
        await stream.FlushAsync(ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Reads one frame. Returns null when the stream ends cleanly before any header byte (the peer
    /// closed without sending a frame).
    /// </summary>
    /// <exception cref="InvalidDataException">The header announces more than <see cref="MaxFrameBytes"/> (or a negative length).</exception>
    /// <exception cref="EndOfStreamException">The stream ended inside the header or the body.</exception>
    public static async Task<byte[]?> ReadAsync(Stream stream, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(stream);
        byte[] header = new byte[HeaderBytes];
        int got = await stream.ReadAtLeastAsync(header, HeaderBytes, throwOnEndOfStream: false, ct).ConfigureAwait(false);
        if (got == 0)
        {
            return null; // closed without a frame
        }

        if (got < HeaderBytes)
        {
            throw new EndOfStreamException($"The stream ended after {got} of the {HeaderBytes} frame header bytes.");
        }

        int length = BinaryPrimitives.ReadInt32BigEndian(header);
        if (length is < 0 or > MaxFrameBytes)
        {
            throw new InvalidDataException(
                $"Frame length is {length}; allowed: 0 to {MaxFrameBytes} (StreamFrames.MaxFrameBytes).");
        }

        byte[] body = new byte[length];
        await stream.ReadExactlyAsync(body, ct).ConfigureAwait(false);
        return body;
    }
}
