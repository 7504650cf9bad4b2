using System.Text;
using RingRift.P2P.Swim.Wire;

namespace RingRift.P2P.Swim.Tests.Wire;

/// <summary>
/// The message set is what the protocol needs and no more: ping, ping-req and ack (SWIM §3.1),
/// suspect / alive / confirm-dead with incarnations (SWIM §4.2), nack for the Local Health Aware Probe
/// (Lifeguard), leave and push-pull full-state sync (as memberlist does for partition healing).
/// </summary>
public sealed class SwimCodecRoundTripTests
{
    public static TheoryData<int> Samples => WireSamples.Indexes();

    [Theory]
    [MemberData(nameof(Samples))]
    public void EveryMessage_DecodesToAnEqualMessage_AndReencodesToTheSameBytes(int index)
    {
        var message = WireSamples.All().ElementAt(index);
        var bytes = SwimCodec.Encode(message);

        Assert.True(SwimCodec.TryDecode(bytes, out var decoded, out var error), $"{message.Type}: {error}");
        Assert.Equal(DecodeError.None, error);
        Assert.Equal(message, decoded);
        Assert.Equal(message.GetType(), decoded!.GetType());
        Assert.Equal(bytes, SwimCodec.Encode(decoded));
    }

    [Fact]
    public void SamplesCoverEveryMessageType()
    {
        var covered = WireSamples.All().Select(m => m.Type).ToHashSet();
        Assert.Equal(Enum.GetValues<SwimMessageType>().ToHashSet(), covered);
    }

    [Fact]
    public void EdgeSamples_SitExactlyAtTheFieldLimits()
    {
        Assert.Equal(128, Encoding.UTF8.GetByteCount(WireSamples.MaxId));
        Assert.Equal(128, Encoding.UTF8.GetByteCount(WireSamples.MaxIdMultiByte));
        Assert.Equal(64, Encoding.UTF8.GetByteCount(WireSamples.MaxAddress));
        Assert.Equal(512, WireSamples.MaxMeta.Length);
    }

    [Fact]
    public void Header_IsVersionOneThenTypeByte()
    {
        foreach (var message in WireSamples.All())
        {
            var bytes = SwimCodec.Encode(message);
            Assert.Equal(1, bytes[0]);
            Assert.Equal((byte)message.Type, bytes[1]);
        }
    }

    [Fact]
    public void MessageTypeNumbers_ArePinned_BecauseTheyGoOnTheWire()
    {
        // memberlist's rule for its messageType: only append. Renumbering breaks mixed-version clusters.
        Assert.Equal(
            [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11],
            new[]
            {
                SwimMessageType.Ping, SwimMessageType.IndirectPing, SwimMessageType.Ack, SwimMessageType.Nack,
                SwimMessageType.Suspect, SwimMessageType.Alive, SwimMessageType.Dead, SwimMessageType.Leave,
                SwimMessageType.Compound, SwimMessageType.PushPullRequest, SwimMessageType.PushPullResponse,
            }.Select(t => (int)t));
    }

    [Fact]
    public void Ping_LayoutIsBigEndianWithU8LengthPrefixedStrings()
    {
        var bytes = SwimCodec.Encode(new Ping(0x01020304, "t", "sx", "1.2.3.4", 0x1F8B));

        byte[] expected =
        [
            1, 1, 0x01, 0x02, 0x03, 0x04,
            1, (byte)'t',
            2, (byte)'s', (byte)'x',
            7, .. Encoding.ASCII.GetBytes("1.2.3.4"),
            0x1F, 0x8B,
        ];
        Assert.Equal(expected, bytes);
    }

    [Fact]
    public void IndirectPing_CarriesWantNack_BothWays()
    {
        // Lifeguard, Local Health Aware Probe: the requester asks the relay for a nack when the target is silent.
        foreach (var want in new[] { true, false })
        {
            var bytes = SwimCodec.Encode(new IndirectPing(1, "t", "::1", 1, "s", "::2", 2, want));
            Assert.Equal(want ? 1 : 0, bytes[^1]);
            Assert.True(SwimCodec.TryDecode(bytes, out var decoded, out _));
            Assert.Equal(want, ((IndirectPing)decoded!).WantNack);
        }
    }

    [Fact]
    public void Alive_MetaHasU16LengthPrefix_AndEmptyMetaCostsTwoBytes()
    {
        var empty = SwimCodec.Encode(new Alive(1, "n", "::1", 2, ReadOnlyMemory<byte>.Empty));
        var three = SwimCodec.Encode(new Alive(1, "n", "::1", 2, new byte[] { 9, 8, 7 }));

        Assert.Equal([0, 0], empty[^2..]);
        Assert.Equal([0, 3, 9, 8, 7], three[^5..]);
        Assert.Equal(empty.Length + 3, three.Length);
    }

    [Fact]
    public void Alive_CopiesMeta_SoLaterChangesToTheCallersArrayDoNotLeakIn()
    {
        var meta = new byte[] { 1, 2, 3 };
        var alive = new Alive(1, "n", "::1", 2, meta);
        meta[0] = 99;
        Assert.Equal(1, alive.Meta.Span[0]);
    }

    [Fact]
    public void Alive_EqualityComparesMetaBytes()
    {
        Assert.Equal(new Alive(1, "n", "::1", 2, new byte[] { 1 }), new Alive(1, "n", "::1", 2, new byte[] { 1 }));
        Assert.NotEqual(new Alive(1, "n", "::1", 2, new byte[] { 1 }), new Alive(1, "n", "::1", 2, new byte[] { 2 }));
    }
}
