using RingRift.P2P.Swim.Wire;

namespace RingRift.P2P.Swim.Tests.Wire;

/// <summary>
/// Garbage must never throw and never decode into something that is not exactly a message. The codec
/// is canonical, so "decoded" implies "re-encodes to the very same bytes" — no trailing junk, no
/// silently repaired fields.
/// </summary>
public sealed class SwimCodecFuzzTests
{
    [Fact]
    public void RandomBuffers_NeverThrow_AndAnythingAcceptedReencodesToTheSameBytes()
    {
        var random = new Random(20_261_125);
        var decoded = 0;
        for (var i = 0; i < 100_000; i++)
        {
            var buffer = new byte[random.Next(0, 96)];
            random.NextBytes(buffer);
            // Half the buffers get a valid header so the fuzz reaches the field decoders.
            if (buffer.Length >= 2 && i % 2 == 0)
            {
                buffer[0] = SwimCodec.Version;
                buffer[1] = (byte)random.Next(1, 12);
            }
            if (AssertCanonicalOrRefused(buffer)) decoded++;
        }
        // Short random Ack/Nack bodies (6 bytes) do decode; this guards against a fuzz loop that never reaches success.
        Assert.InRange(decoded, 1, 100_000);
    }

    [Fact]
    public void MutatedValidMessages_NeverThrow_AndAnythingAcceptedReencodesToTheSameBytes()
    {
        var random = new Random(7);
        var samples = WireSamples.All().Select(SwimCodec.Encode).ToArray();
        for (var i = 0; i < 50_000; i++)
        {
            var buffer = (byte[])samples[random.Next(samples.Length)].Clone();
            var edits = random.Next(1, 4);
            for (var e = 0; e < edits; e++)
            {
                var at = random.Next(buffer.Length);
                if (random.Next(2) == 0) buffer[at] ^= (byte)(1 << random.Next(8));
                else buffer[at] = (byte)random.Next(256);
            }
            AssertCanonicalOrRefused(buffer);
        }
    }

    private static bool AssertCanonicalOrRefused(byte[] buffer)
    {
        var ok = SwimCodec.TryDecode(buffer, out var message, out var error);
        if (!ok)
        {
            Assert.Null(message);
            Assert.NotEqual(DecodeError.None, error);
            return false;
        }
        Assert.Equal(DecodeError.None, error);
        Assert.Equal(buffer, SwimCodec.Encode(message!));
        return true;
    }
}
