using RingRift.P2P.Swim.Wire;

namespace RingRift.P2P.Swim.Tests.Wire;

public sealed class MessageValidationTests
{
    [Fact]
    public void NodeIdOf129Bytes_IsRejected_NamingTheField()
    {
        var e = Assert.Throws<ArgumentException>(() => new Suspect(1, new string('a', 129), "b"));
        Assert.Equal("NodeId", e.ParamName);
        Assert.Contains("129", e.Message);
    }

    [Fact]
    public void MultiByteNodeId_IsMeasuredInUtf8Bytes()
    {
        // 43 × '€' = 129 UTF-8 bytes though only 43 chars.
        var e = Assert.Throws<ArgumentException>(() => new Leave(1, new string('€', 43)));
        Assert.Equal("NodeId", e.ParamName);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void EmptyNodeId_IsRejected(string? id)
    {
        var e = Assert.Throws<ArgumentException>(() => new Dead(1, id!, "from"));
        Assert.Equal("NodeId", e.ParamName);
    }

    [Fact]
    public void UnpairedSurrogate_IsRejected_InsteadOfBeingSentAsReplacementChar()
    {
        var e = Assert.Throws<ArgumentException>(() => new Leave(1, "a\uD800b"));
        Assert.Contains("surrogate", e.Message);
    }

    [Theory]
    [InlineData("example.com")]
    [InlineData("10.0.0.300")]
    [InlineData("")]
    public void AddressThatIsNotAnIp_IsRejected(string address)
    {
        var e = Assert.Throws<ArgumentException>(() => new Ping(1, "t", "s", address, 1));
        Assert.Equal("SourceAddress", e.ParamName);
    }

    [Fact]
    public void AddressOver64Bytes_IsRejected()
    {
        var e = Assert.Throws<ArgumentException>(() => new Alive(1, "n", WireSamples.MaxAddress + "0", 1, ReadOnlyMemory<byte>.Empty));
        Assert.Equal("Address", e.ParamName);
    }

    [Fact]
    public void MetaOver512Bytes_IsRejected()
    {
        var e = Assert.Throws<ArgumentException>(() => new Alive(1, "n", "::1", 1, new byte[513]));
        Assert.Equal("Meta", e.ParamName);
        Assert.Contains("513", e.Message);
    }

    [Fact]
    public void UndefinedMemberState_IsRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new PushPullEntry("n", "::1", 1, 1, (SwimMemberState)9, ReadOnlyMemory<byte>.Empty));
    }

    [Fact]
    public void Compound_RefusesEmptyNestedAndPushPullParts()
    {
        Assert.Throws<ArgumentException>(() => new Compound([]));
        Assert.Throws<ArgumentException>(() => new Compound([new Compound([new Ack(1)])]));
        Assert.Throws<ArgumentException>(() => new Compound([new PushPullResponse([])]));
        Assert.Throws<ArgumentException>(() => new Compound(Enumerable.Range(0, 256).Select(i => (SwimMessage)new Ack((uint)i)).ToList()));
    }

    [Fact]
    public void PushPull_CopiesTheRowList()
    {
        var rows = new List<PushPullEntry> { WireSamples.Entry("a", SwimMemberState.Alive) };
        var request = new PushPullRequest(rows);
        rows.Add(WireSamples.Entry("b", SwimMemberState.Dead));
        Assert.Single(request.Members);
    }
}
