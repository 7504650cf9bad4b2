using RingRift.P2P.Swim.Wire;

namespace RingRift.P2P.Swim.Tests.Wire;

public sealed class CompoundPackerTests
{
    private const int Limit = 200;
    private static readonly PacketAuthenticator Auth = PacketAuthenticator.FromClusterToken("cluster");

    /// <summary>An Alive whose encoding is exactly <paramref name="encodedBytes"/> long (padding in meta).</summary>
    private static Alive AliveOfSize(int encodedBytes)
    {
        var bare = SwimCodec.Encode(new Alive(1, "n", "::1", 1, ReadOnlyMemory<byte>.Empty)).Length;
        var alive = new Alive(1, "n", "::1", 1, new byte[encodedBytes - bare]);
        Assert.Equal(encodedBytes, SwimCodec.Encode(alive).Length);
        return alive;
    }

    private static List<SwimMessage> Unpack(IEnumerable<byte[]> packets)
    {
        var reader = new SwimPacketReader(Auth);
        var messages = packets.SelectMany(p => reader.Read(p)).ToList();
        Assert.Equal(0, reader.Stats.DroppedAuth + reader.Stats.DroppedDecode);
        return messages;
    }

    [Fact]
    public void SingleMessage_ExactlyAtTheLimit_IsOnePacketOfExactlyTheLimit()
    {
        var packer = new CompoundPacker(Auth, Limit);
        var alive = AliveOfSize(Limit - 16);

        var packets = packer.Pack([alive]);

        Assert.Equal(Limit, Assert.Single(packets).Length);
        Assert.Equal([alive], Unpack(packets));
    }

    [Fact]
    public void SingleMessage_OneByteOverTheLimit_IsRejected()
    {
        var packer = new CompoundPacker(Auth, Limit);
        var alive = AliveOfSize(Limit - 16 + 1);

        var e = Assert.Throws<ArgumentException>(() => packer.Pack([new Ack(1), alive]));
        Assert.Contains("messages[1]", e.Message);
        Assert.Contains("185", e.Message);
    }

    [Fact]
    public void TwoMessages_WhoseCompoundIsExactlyTheLimit_ShareOnePacket()
    {
        var packer = new CompoundPacker(Auth, Limit);
        // compound = 3 + (2 + alive) + (2 + 6-byte ack) = 184 → alive = 171
        var alive = AliveOfSize(Limit - 16 - 3 - 2 - 2 - 6);

        var packets = packer.Pack([alive, new Ack(9)]);

        Assert.Equal(Limit, Assert.Single(packets).Length);
        Assert.Equal([alive, new Ack(9)], Unpack(packets));
    }

    [Fact]
    public void TwoMessages_WhoseCompoundIsOneByteOverTheLimit_GoInTwoBarePackets()
    {
        var packer = new CompoundPacker(Auth, Limit);
        var alive = AliveOfSize(Limit - 16 - 3 - 2 - 2 - 6 + 1);

        var packets = packer.Pack([alive, new Ack(9)]);

        Assert.Equal(2, packets.Count);
        Assert.Equal(alive.Type, (SwimMessageType)packets[0][1]); // bare, not wrapped
        Assert.Equal(6 + 16, packets[1].Length);
        Assert.Equal([alive, new Ack(9)], Unpack(packets));
    }

    [Fact]
    public void ManyMessages_RoundTripInOrder_AndNoPacketExceedsTheDefault1400()
    {
        var packer = new CompoundPacker(Auth);
        var random = new Random(3);
        var messages = Enumerable.Range(0, 400).Select(i => (i % 3) switch
        {
            0 => (SwimMessage)new Alive((ulong)i, $"node-{i}", WireSamples.Ipv6, 7947, new byte[random.Next(0, 300)]),
            1 => new Suspect((ulong)i, $"node-{i}", "me"),
            _ => new Ack((uint)i),
        }).ToList();

        var packets = packer.Pack(messages);

        Assert.All(packets, p => Assert.InRange(p.Length, 1, 1400));
        Assert.True(packets.Count < messages.Count / 2, $"{packets.Count} packets for {messages.Count} messages: not packing");
        Assert.Equal(messages, Unpack(packets));
    }

    [Fact]
    public void Without_A_Token_ThePayloadGetsTheWholeLimit()
    {
        var packer = new CompoundPacker(PacketAuthenticator.None, Limit);
        var alive = AliveOfSize(Limit);

        Assert.Equal(Limit, packer.MaxPayloadBytes);
        Assert.Equal(Limit, Assert.Single(packer.Pack([alive])).Length);
    }

    [Fact]
    public void ACompound_HoldsAtMost255Parts()
    {
        var packer = new CompoundPacker(Auth, CompoundPacker.MaxMaxPacketBytes);
        var acks = Enumerable.Range(0, 300).Select(i => (SwimMessage)new Ack((uint)i)).ToList();

        var packets = packer.Pack(acks);

        Assert.Equal(2, packets.Count);
        Assert.Equal(255, packets[0][2]);
        Assert.Equal(45, packets[1][2]);
        Assert.Equal(acks, Unpack(packets));
    }

    [Fact]
    public void NoMessages_GiveNoPackets()
    {
        Assert.Empty(new CompoundPacker(Auth).Pack([]));
    }

    [Fact]
    public void PushPull_IsRefused_BecauseItGoesOverTcp()
    {
        var packer = new CompoundPacker(Auth);
        var e = Assert.Throws<ArgumentException>(() => packer.Pack([new PushPullRequest([])]));
        Assert.Contains("PushPullRequest", e.Message);
    }

    [Fact]
    public void PushPull_IsNotSizeLimited_ByTheCodec()
    {
        var rows = Enumerable.Range(0, 100)
            .Select(i => new PushPullEntry($"node-{i}", WireSamples.Ipv6, 7947, (ulong)i, SwimMemberState.Alive, WireSamples.MaxMeta))
            .ToList();
        var bytes = SwimCodec.Encode(new PushPullResponse(rows));

        Assert.True(bytes.Length > 50_000);
        Assert.True(SwimCodec.TryDecode(bytes, out var decoded, out _));
        Assert.Equal(rows, ((PushPullResponse)decoded!).Members);
    }

    [Theory]
    [InlineData(63)]
    [InlineData(65_508)]
    public void LimitOutsideTheAllowedRange_IsRejected(int limit)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new CompoundPacker(Auth, limit));
        Assert.Contains("maxPacketBytes", e.Message);
    }
}
