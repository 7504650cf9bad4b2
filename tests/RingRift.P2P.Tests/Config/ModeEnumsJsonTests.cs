using System.Text.Json;
using RingRift.P2P.Config;
using RingRift.P2P.Json;
using Xunit;

namespace RingRift.P2P.Tests.Config;

public sealed class ModeEnumsJsonTests
{
    [Theory]
    [InlineData(MembershipMode.Http, "\"http\"")]
    [InlineData(MembershipMode.Swim, "\"swim\"")]
    [InlineData(MembershipMode.Hybrid, "\"hybrid\"")]
    [InlineData(ConsensusMode.Bully, "\"bully\"")]
    [InlineData(ConsensusMode.Raft, "\"raft\"")]
    [InlineData(ConsensusMode.Hybrid, "\"hybrid\"")]
    public void Modes_UseLowerCaseWireNames(object value, string json)
    {
        Assert.Equal(json, JsonSerializer.Serialize(value, value.GetType(), P2PJson.Options));
        Assert.Equal(value, JsonSerializer.Deserialize(json, value.GetType(), P2PJson.Options));
    }
}
