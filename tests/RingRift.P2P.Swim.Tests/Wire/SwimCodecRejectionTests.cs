using RingRift.P2P.Swim.Wire;

namespace RingRift.P2P.Swim.Tests.Wire;

public sealed class SwimCodecRejectionTests
{
    public static TheoryData<int> Samples => WireSamples.Indexes();

    [Theory]
    [MemberData(nameof(Samples))]
    public void EveryPrefix_OfEveryMessage_FailsWithTruncated(int index)
    {
        var bytes = SwimCodec.Encode(WireSamples.All().ElementAt(index));
        for (var length = 0; length < bytes.Length; length++)
        {
            var ok = SwimCodec.TryDecode(bytes.AsSpan(0, length), out var message, out var error);
            Assert.False(ok, $"prefix of {length}/{bytes.Length} bytes decoded");
            Assert.Null(message);
            Assert.Equal(DecodeError.Truncated, error);
        }
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void AnyExtraByte_AfterAMessage_FailsWithTrailingBytes(int index)
    {
        var bytes = SwimCodec.Encode(WireSamples.All().ElementAt(index));
        foreach (var extra in new byte[] { 0, 1, 0xFF })
        {
            Assert.False(SwimCodec.TryDecode([.. bytes, extra], out var message, out var error));
            Assert.Null(message);
            Assert.Equal(DecodeError.TrailingBytes, error);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(0xFF)]
    public void VersionsOtherThanOne_AreRefused(byte version)
    {
        foreach (var message in WireSamples.All())
        {
            var bytes = SwimCodec.Encode(message);
            bytes[0] = version;
            Assert.False(SwimCodec.TryDecode(bytes, out _, out var error));
            Assert.Equal(DecodeError.UnknownVersion, error);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(12)]
    [InlineData(0xFF)]
    public void UnknownTypeByte_IsRefused(byte type)
    {
        Assert.False(SwimCodec.TryDecode([1, type, 0, 0, 0, 1], out _, out var error));
        Assert.Equal(DecodeError.UnknownType, error);
    }

    [Fact]
    public void NodeIdLengthOver128_IsFieldTooLong_EvenWhenTheBytesArePresent()
    {
        byte[] leave = [1, (byte)SwimMessageType.Leave, 0, 0, 0, 0, 0, 0, 0, 1, 129, .. Enumerable.Repeat((byte)'a', 129)];
        Assert.False(SwimCodec.TryDecode(leave, out _, out var error));
        Assert.Equal(DecodeError.FieldTooLong, error);
    }

    [Fact]
    public void AddressLengthOver64_IsFieldTooLong()
    {
        var bytes = SwimCodec.Encode(new Ping(1, "t", "s", "1.2.3.4", 5));
        // [1][1][seq x4][1 't'][1 's'][7 "1.2.3.4"][port]: the address length byte is at offset 10.
        byte[] longer = [.. bytes[..10], 65, .. Enumerable.Repeat((byte)'1', 65), 0, 5];
        Assert.False(SwimCodec.TryDecode(longer, out _, out var error));
        Assert.Equal(DecodeError.FieldTooLong, error);
    }

    [Fact]
    public void MetaOver512_IsFieldTooLong()
    {
        var head = SwimCodec.Encode(new Alive(1, "n", "::1", 2, ReadOnlyMemory<byte>.Empty))[..^2];
        byte[] bytes = [.. head, 0x02, 0x01, .. new byte[513]];
        Assert.False(SwimCodec.TryDecode(bytes, out _, out var error));
        Assert.Equal(DecodeError.FieldTooLong, error);
    }

    [Fact]
    public void InvalidUtf8_InANodeId_IsBadUtf8()
    {
        byte[] leave = [1, (byte)SwimMessageType.Leave, 0, 0, 0, 0, 0, 0, 0, 1, 2, 0xC3, 0x28];
        Assert.False(SwimCodec.TryDecode(leave, out _, out var error));
        Assert.Equal(DecodeError.BadUtf8, error);
    }

    [Fact]
    public void EmptyNodeId_IsEmptyField()
    {
        byte[] leave = [1, (byte)SwimMessageType.Leave, 0, 0, 0, 0, 0, 0, 0, 1, 0];
        Assert.False(SwimCodec.TryDecode(leave, out _, out var error));
        Assert.Equal(DecodeError.EmptyField, error);
    }

    [Fact]
    public void AddressThatIsNotAnIp_IsBadAddress()
    {
        var bytes = SwimCodec.Encode(new Ping(1, "t", "s", "1.2.3.4", 5));
        bytes[11] = (byte)'x'; // "x.2.3.4"
        Assert.False(SwimCodec.TryDecode(bytes, out _, out var error));
        Assert.Equal(DecodeError.BadAddress, error);
    }

    [Fact]
    public void WantNackFlagOtherThanZeroOrOne_IsBadEnumValue()
    {
        var bytes = SwimCodec.Encode(new IndirectPing(1, "t", "::1", 1, "s", "::2", 2, true));
        bytes[^1] = 2;
        Assert.False(SwimCodec.TryDecode(bytes, out _, out var error));
        Assert.Equal(DecodeError.BadEnumValue, error);
    }

    [Fact]
    public void UndefinedMemberState_InPushPull_IsBadEnumValue()
    {
        var bytes = SwimCodec.Encode(new PushPullRequest([WireSamples.Entry("a", SwimMemberState.Left)]));
        bytes[^3] = 4; // state byte sits before the u16 meta length
        Assert.False(SwimCodec.TryDecode(bytes, out _, out var error));
        Assert.Equal(DecodeError.BadEnumValue, error);
    }

    [Fact]
    public void PushPullCountLargerThanTheBytesCanHold_IsTruncated_WithoutAllocatingForIt()
    {
        byte[] bytes = [1, (byte)SwimMessageType.PushPullRequest, 0xFF, 0xFF, 0xFF, 0xFF, 1, (byte)'a'];
        Assert.False(SwimCodec.TryDecode(bytes, out _, out var error));
        Assert.Equal(DecodeError.Truncated, error);
    }

    [Fact]
    public void CompoundWithZeroParts_IsEmptyCompound()
    {
        Assert.False(SwimCodec.TryDecode([1, (byte)SwimMessageType.Compound, 0], out _, out var error));
        Assert.Equal(DecodeError.EmptyCompound, error);
    }

    [Fact]
    public void CompoundInsideCompound_IsNotAllowedInCompound()
    {
        var inner = SwimCodec.Encode(new Compound([new Ack(1)]));
        byte[] outer = [1, (byte)SwimMessageType.Compound, 1, 0, (byte)inner.Length, .. inner];
        Assert.False(SwimCodec.TryDecode(outer, out _, out var error));
        Assert.Equal(DecodeError.NotAllowedInCompound, error);
    }

    [Fact]
    public void PushPullInsideCompound_IsNotAllowedInCompound()
    {
        var inner = SwimCodec.Encode(new PushPullResponse([]));
        byte[] outer = [1, (byte)SwimMessageType.Compound, 1, 0, (byte)inner.Length, .. inner];
        Assert.False(SwimCodec.TryDecode(outer, out _, out var error));
        Assert.Equal(DecodeError.NotAllowedInCompound, error);
    }

    [Fact]
    public void BadPartInsideCompound_ReportsThePartsError()
    {
        var good = SwimCodec.Encode(new Ack(1));
        byte[] badPart = [.. good, 0]; // trailing byte inside the part's own frame
        byte[] outer = [1, (byte)SwimMessageType.Compound, 2, 0, (byte)good.Length, .. good, 0, (byte)badPart.Length, .. badPart];
        Assert.False(SwimCodec.TryDecode(outer, out _, out var error));
        Assert.Equal(DecodeError.TrailingBytes, error);
    }
}
