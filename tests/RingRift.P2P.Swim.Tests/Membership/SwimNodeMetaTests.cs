namespace RingRift.P2P.Swim.Tests.Membership;

/// <summary>The HTTP endpoint a node gossips in its SWIM Alive metadata (SWIM §4.1 piggybacked membership data).</summary>
public sealed class SwimNodeMetaTests
{
    [Theory]
    [InlineData("10.0.0.7", 8770)]
    [InlineData("gpu-box.example.net", 1)]
    [InlineData("::1", 65535)]
    [InlineData(null, 8771)]
    public void Encode_then_decode_gives_back_host_and_port(string? host, int port)
    {
        var meta = new SwimNodeMeta(host, port);

        var decoded = SwimNodeMeta.TryDecode(meta.Encode());

        Assert.Equal(meta, decoded);
    }

    [Fact]
    public void Layout_is_version_port_length_host()
    {
        byte[] bytes = new SwimNodeMeta("ab", 0x1F92).Encode();

        Assert.Equal(new byte[] { 1, 0x1F, 0x92, 2, (byte)'a', (byte)'b' }, bytes);
    }

    [Fact]
    public void A_later_version_with_extra_trailing_fields_still_decodes()
    {
        byte[] bytes = [.. new SwimNodeMeta("h", 8770).Encode(), 9, 9, 9];
        bytes[0] = 2;

        Assert.Equal(new SwimNodeMeta("h", 8770), SwimNodeMeta.TryDecode(bytes));
    }

    [Theory]
    [InlineData(new byte[0])]                            // a node without metadata
    [InlineData(new byte[] { 1, 0x22 })]                 // truncated port
    [InlineData(new byte[] { 0, 0x22, 0x52, 0 })]        // version 0
    [InlineData(new byte[] { 1, 0, 0, 0 })]              // port 0
    [InlineData(new byte[] { 1, 0x22, 0x52, 5, 97 })]    // host cut short
    [InlineData(new byte[] { 1, 0x22, 0x52, 1, 0xFF })]  // not UTF-8
    [InlineData(new byte[] { 1, 0x22, 0x52, 3, 97, 32, 98 })] // "a b" is no host name
    public void Unreadable_metadata_decodes_to_null(byte[] bytes) => Assert.Null(SwimNodeMeta.TryDecode(bytes));

    [Fact]
    public void Encode_rejects_a_bad_port_and_a_too_long_host_naming_the_field()
    {
        Assert.Equal("HttpPort", Assert.Throws<ArgumentOutOfRangeException>(() => new SwimNodeMeta(null, 0).Encode()).ParamName);
        Assert.Equal("HttpHost", Assert.Throws<ArgumentException>(() => new SwimNodeMeta(new string('a', 256), 1).Encode()).ParamName);
    }

    [Fact]
    public void HttpEndpointOf_uses_the_gossiped_host_else_the_members_SWIM_address()
    {
        SwimMember withHost = Member(new SwimNodeMeta("api.example", 8770).Encode());
        SwimMember withoutHost = Member(new SwimNodeMeta(null, 8771).Encode());
        SwimMember noMeta = Member([]);

        Assert.Equal(new RingRift.P2P.Membership.PeerEndpoint("api.example", 8770), SwimNodeMeta.HttpEndpointOf(withHost));
        Assert.Equal(new RingRift.P2P.Membership.PeerEndpoint("10.1.2.3", 8771), SwimNodeMeta.HttpEndpointOf(withoutHost));
        Assert.Null(SwimNodeMeta.HttpEndpointOf(noMeta));
    }

    private static SwimMember Member(byte[] meta) =>
        new("peer", "10.1.2.3", 7947, 1, SwimMemberState.Alive, DateTimeOffset.UnixEpoch, meta);
}
