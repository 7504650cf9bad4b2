using RingRift.P2P.Swim.Wire;

namespace RingRift.P2P.Swim.Tests.Wire;

public sealed class SwimPacketReaderTests
{
    private static readonly PacketAuthenticator Auth = PacketAuthenticator.FromClusterToken("cluster");

    [Fact]
    public void GoodPacket_IsAcceptedAndCounted()
    {
        var reader = new SwimPacketReader(Auth);
        var messages = reader.Read(Auth.Seal(SwimCodec.Encode(new Ack(4))));

        Assert.Equal([new Ack(4)], messages);
        var snapshot = reader.Stats.Snapshot();
        Assert.Equal((1L, 1L, 0L, 0L), (snapshot.Received, snapshot.Accepted, snapshot.DroppedAuth, snapshot.DroppedDecode));
        Assert.Empty(snapshot.DroppedDecodeByError);
    }

    [Fact]
    public void FlippedBit_IsDroppedAsAuth_NotThrown()
    {
        var reader = new SwimPacketReader(Auth);
        var packet = Auth.Seal(SwimCodec.Encode(new Leave(1, "n")));
        packet[5] ^= 0x10;

        Assert.Empty(reader.Read(packet));
        Assert.Equal(1, reader.Stats.Received);
        Assert.Equal(1, reader.Stats.DroppedAuth);
        Assert.Equal(0, reader.Stats.Accepted);
    }

    [Fact]
    public void WrongToken_IsDroppedAsAuth()
    {
        var reader = new SwimPacketReader(Auth);
        var packet = PacketAuthenticator.FromClusterToken("other").Seal(SwimCodec.Encode(new Ack(4)));

        Assert.Empty(reader.Read(packet));
        Assert.Equal(1, reader.Stats.DroppedAuth);
    }

    [Fact]
    public void AuthenticGarbage_IsDroppedAsDecode_ByReason()
    {
        var reader = new SwimPacketReader(Auth);
        var truncated = SwimCodec.Encode(new Ack(4))[..3];

        Assert.Empty(reader.Read(Auth.Seal(truncated)));
        Assert.Empty(reader.Read(Auth.Seal([2, 3, 0, 0, 0, 4])));
        Assert.Empty(reader.Read(Auth.Seal([1, 3, 0, 0, 0, 4, 0])));

        var snapshot = reader.Stats.Snapshot();
        Assert.Equal(3, snapshot.Received);
        Assert.Equal(3, snapshot.DroppedDecode);
        Assert.Equal(0, snapshot.DroppedAuth);
        Assert.Equal(1, snapshot.DroppedDecodeByError[DecodeError.Truncated]);
        Assert.Equal(1, snapshot.DroppedDecodeByError[DecodeError.UnknownVersion]);
        Assert.Equal(1, snapshot.DroppedDecodeByError[DecodeError.TrailingBytes]);
    }

    [Fact]
    public void Compound_IsFlattenedInOrder()
    {
        var packets = new CompoundPacker(Auth).Pack([new Ack(1), new Nack(2), new Leave(3, "x")]);
        var reader = new SwimPacketReader(Auth);

        Assert.Equal([new Ack(1), new Nack(2), new Leave(3, "x")], reader.Read(Assert.Single(packets)));
    }

    [Fact]
    public void RandomPackets_NeverThrow_AndAreAllCountedOnce()
    {
        var reader = new SwimPacketReader(PacketAuthenticator.None);
        var random = new Random(11);
        for (var i = 0; i < 10_000; i++)
        {
            var packet = new byte[random.Next(0, 64)];
            random.NextBytes(packet);
            reader.Read(packet);
        }
        var s = reader.Stats;
        Assert.Equal(10_000, s.Received);
        Assert.Equal(s.Received, s.Accepted + s.DroppedAuth + s.DroppedDecode);
    }

    [Fact]
    public void Stats_CountCorrectlyUnderConcurrentWriters()
    {
        var stats = new PacketStats();
        Parallel.For(0, 8, _ =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                stats.RecordReceived();
                stats.RecordDroppedDecode(DecodeError.BadUtf8);
            }
        });
        Assert.Equal(80_000, stats.Received);
        Assert.Equal(80_000, stats.DroppedDecodeFor(DecodeError.BadUtf8));
        Assert.Equal(80_000, stats.DroppedDecode);
    }

    [Fact]
    public void Stats_RefuseDecodeErrorNone()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new PacketStats().RecordDroppedDecode(DecodeError.None));
        Assert.Contains("error", e.Message);
    }
}
