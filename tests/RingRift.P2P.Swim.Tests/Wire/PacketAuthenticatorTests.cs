using System.Security.Cryptography;
using System.Text;
using RingRift.P2P.Swim.Wire;

namespace RingRift.P2P.Swim.Tests.Wire;

public sealed class PacketAuthenticatorTests
{
    private static readonly byte[] Payload = SwimCodec.Encode(new Alive(3, "node-a", "10.0.0.1", 7947, new byte[] { 1, 2, 3 }));

    [Fact]
    public void Seal_AppendsA16ByteTag_AndOpenReturnsThePayload()
    {
        var auth = PacketAuthenticator.FromClusterToken("s3cret");
        var packet = auth.Seal(Payload);

        Assert.True(auth.IsAuthenticating);
        Assert.Equal(16, auth.OverheadBytes);
        Assert.Equal(Payload.Length + 16, packet.Length);
        Assert.Equal(Payload, packet[..Payload.Length]); // HMAC authenticates, it does not hide
        Assert.True(auth.TryOpen(packet, out var opened));
        Assert.Equal(Payload, opened.ToArray());
    }

    [Fact]
    public void Tag_IsHmacSha256TruncatedTo16_UnderTheHkdfDerivedKey()
    {
        var key = HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes("s3cret"), 32,
            Encoding.UTF8.GetBytes("ringrift-swim-v1"), Encoding.UTF8.GetBytes("packet-auth"));
        var expectedTag = HMACSHA256.HashData(key, Payload)[..16];

        var packet = PacketAuthenticator.FromClusterToken("s3cret").Seal(Payload);

        Assert.Equal(expectedTag, packet[^16..]);
        Assert.Equal(key, HmacPacketAuthenticator.DeriveKey("s3cret"));
    }

    [Fact]
    public void DerivedKey_IsNotTheTokenItself_AndDiffersPerToken()
    {
        var a = HmacPacketAuthenticator.DeriveKey("token-a");
        var b = HmacPacketAuthenticator.DeriveKey("token-b");
        Assert.Equal(32, a.Length);
        Assert.NotEqual(a, b);
        Assert.NotEqual(Encoding.UTF8.GetBytes("token-a"), a[..7]);
    }

    [Fact]
    public void EveryFlippedBit_InAnAuthenticatedPacket_IsRejected()
    {
        var auth = PacketAuthenticator.FromClusterToken("s3cret");
        var packet = auth.Seal(Payload);
        for (var bit = 0; bit < packet.Length * 8; bit++)
        {
            var forged = (byte[])packet.Clone();
            forged[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.False(auth.TryOpen(forged, out var payload), $"bit {bit} flipped was accepted");
            Assert.True(payload.IsEmpty);
        }
    }

    [Fact]
    public void WrongToken_IsRejected()
    {
        var packet = PacketAuthenticator.FromClusterToken("right").Seal(Payload);
        Assert.False(PacketAuthenticator.FromClusterToken("wrong").TryOpen(packet, out _));
    }

    [Fact]
    public void UnsealedPacket_IsRejected_WhenATokenIsSet()
    {
        Assert.False(PacketAuthenticator.FromClusterToken("s3cret").TryOpen(Payload, out _));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(15)]
    public void PacketShorterThanTheTag_IsRejected(int length)
    {
        Assert.False(PacketAuthenticator.FromClusterToken("s3cret").TryOpen(new byte[length], out _));
    }

    [Fact]
    public void EmptyPayload_SealsAndOpens()
    {
        var auth = PacketAuthenticator.FromClusterToken("s3cret");
        Assert.True(auth.TryOpen(auth.Seal([]), out var payload));
        Assert.True(payload.IsEmpty);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void NoToken_GivesTheNoOpAuthenticator_ThatSendsAndAcceptsBarePackets(string? token)
    {
        var auth = PacketAuthenticator.FromClusterToken(token);

        Assert.Same(PacketAuthenticator.None, auth);
        Assert.False(auth.IsAuthenticating);
        Assert.Equal(0, auth.OverheadBytes);
        Assert.Equal(Payload, auth.Seal(Payload));
        Assert.True(auth.TryOpen(Payload, out var opened));
        Assert.Equal(Payload, opened.ToArray());
    }
}
