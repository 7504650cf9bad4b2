using RingRift.P2P.Config;
using Xunit;
using V = RingRift.P2P.Config.P2PEnvironmentVariables;

namespace RingRift.P2P.Tests.Config;

public sealed class P2PConfigParsingTests
{
    private static P2PConfig From(params (string Name, string? Value)[] vars) =>
        P2PConfig.FromEnvironment(vars.ToDictionary(v => v.Name, v => v.Value));

    private static P2PConfigException Rejects(params (string Name, string? Value)[] vars) =>
        Assert.Throws<P2PConfigException>(() => From(vars));

    [Fact]
    public void FromEnvironment_ReadsEveryVariable()
    {
        var c = From(
            (V.Port, "8771"), (V.HeartbeatInterval, "10"), (V.PeerTimeout, "45"), (V.LeaderLease, "60"),
            (V.LoadMaxForNewJobs, "0.6"), (V.JobCheckInterval, "2.5"), (V.SwimEnabled, "true"), (V.RaftEnabled, "yes"), (V.RaftWarmUp, "off"),
            (V.RaftHeartbeatRatio, "0.35"),
            (V.MembershipMode, "hybrid"), (V.ConsensusMode, "raft"), (V.SwimBindPort, "7950"), (V.RaftBindPort, "4322"),
            (V.AuthToken, "s3cret"), (V.NodeId, "lambda-gh200-1"), (V.Voters, "a,b,c"), (V.Peers, "10.0.0.1:8770"),
            (V.HostsFile, "/etc/ringrift/distributed_hosts.yaml"), (V.DataDir, "/var/lib/ringrift"), (V.BindHost, "127.0.0.1"),
            (V.AdvertiseAddress, "100.64.0.10"), (V.MaxRequestBodyBytes, "2048"));

        Assert.Equal(8771, c.DefaultPort);
        Assert.Equal(TimeSpan.FromSeconds(10), c.HeartbeatInterval);
        Assert.Equal(TimeSpan.FromSeconds(45), c.PeerTimeout);
        Assert.Equal(TimeSpan.FromSeconds(60), c.LeaderLeaseDuration);
        Assert.Equal(0.6, c.LoadMaxForNewJobs);
        Assert.Equal(TimeSpan.FromMilliseconds(2500), c.JobCheckInterval);
        Assert.True(c.SwimEnabled);
        Assert.True(c.RaftEnabled);
        Assert.False(c.RaftWarmUp);
        Assert.Equal(0.35, c.RaftHeartbeatRatio);
        Assert.Equal(MembershipMode.Hybrid, c.MembershipMode);
        Assert.Equal(ConsensusMode.Raft, c.ConsensusMode);
        Assert.Equal(7950, c.SwimBindPort);
        Assert.Equal(4322, c.RaftBindPort);
        Assert.Equal("s3cret", c.AuthToken);
        Assert.Equal("lambda-gh200-1", c.NodeId);
        Assert.Equal(["a", "b", "c"], c.Voters);
        Assert.Equal(["10.0.0.1:8770"], c.Peers);
        Assert.Equal("/etc/ringrift/distributed_hosts.yaml", c.HostsFile);
        Assert.Equal("/var/lib/ringrift", c.DataDir);
        Assert.Equal("127.0.0.1", c.BindHost);
        Assert.Equal("100.64.0.10", c.AdvertiseAddress);
        Assert.Equal(2048, c.MaxRequestBodyBytes);
    }

    [Fact]
    public void Port_NotAnInteger_NamesVariableValueAndRange()
    {
        var e = Rejects((V.Port, "abc"));

        Assert.Equal("RINGRIFT_P2P_PORT='abc' is invalid: expected an integer from 1 to 65535", e.Message);
        Assert.Equal(V.Port, e.Variable);
        Assert.Equal("abc", e.Value);
        Assert.Equal("expected an integer from 1 to 65535", e.Allowed);
    }

    [Theory]
    [InlineData("1", 1)]
    [InlineData("65535", 65535)]
    [InlineData(" 8080 ", 8080)]
    public void Port_InRange_IsAccepted(string raw, int expected) => Assert.Equal(expected, From((V.Port, raw)).DefaultPort);

    [Theory]
    [InlineData(V.Port, "0")]
    [InlineData(V.Port, "65536")]
    [InlineData(V.Port, "-1")]
    [InlineData(V.Port, "80.5")]
    [InlineData(V.Port, "99999999999")]
    [InlineData(V.SwimBindPort, "0")]
    [InlineData(V.SwimBindPort, "udp")]
    [InlineData(V.RaftBindPort, "65536")]
    [InlineData(V.MaxRequestBodyBytes, "1023")]
    [InlineData(V.MaxRequestBodyBytes, "104857601")]
    [InlineData(V.HeartbeatInterval, "0")]
    [InlineData(V.HeartbeatInterval, "-1")]
    [InlineData(V.HeartbeatInterval, "3600.001")]
    [InlineData(V.HeartbeatInterval, "5s")]
    [InlineData(V.HeartbeatInterval, "NaN")]
    [InlineData(V.HeartbeatInterval, "Infinity")]
    [InlineData(V.HeartbeatInterval, "0,5")]
    [InlineData(V.HeartbeatInterval, "1e-12")]
    [InlineData(V.PeerTimeout, "86401")]
    [InlineData(V.LeaderLease, "0")]
    [InlineData(V.LeaderLease, "86400.5")]
    [InlineData(V.JobCheckInterval, "0")]
    [InlineData(V.JobCheckInterval, "1e300")]
    [InlineData(V.LoadMaxForNewJobs, "0")]
    [InlineData(V.LoadMaxForNewJobs, "100.0001")]
    [InlineData(V.LoadMaxForNewJobs, "80%")]
    [InlineData(V.SwimEnabled, "maybe")]
    [InlineData(V.RaftEnabled, "2")]
    [InlineData(V.RaftWarmUp, "later")]
    [InlineData(V.RaftHeartbeatRatio, "0.04")]
    [InlineData(V.RaftHeartbeatRatio, "0.51")]
    [InlineData(V.RaftHeartbeatRatio, "NaN")]
    [InlineData(V.MembershipMode, "gossip")]
    [InlineData(V.ConsensusMode, "paxos")]
    [InlineData(V.NodeId, "has space")]
    [InlineData(V.NodeId, "slash/name")]
    [InlineData(V.NodeId, "nöde")]
    [InlineData(V.BindHost, "not a host")]
    [InlineData(V.AdvertiseAddress, "http://x/")]
    public void BadValue_ThrowsNamingVariableAndValue(string variable, string raw)
    {
        var e = Rejects((variable, raw));

        Assert.Equal(variable, e.Variable);
        Assert.Equal(raw.Trim(), e.Value);
        Assert.StartsWith($"{variable}='{raw.Trim()}' is invalid: expected ", e.Message);
    }

    [Theory]
    [InlineData(V.HeartbeatInterval, "expected a number of seconds greater than 0 and at most 3600")]
    [InlineData(V.PeerTimeout, "expected a number of seconds greater than 0 and at most 86400")]
    [InlineData(V.LeaderLease, "expected a number of seconds greater than 0 and at most 86400")]
    [InlineData(V.LoadMaxForNewJobs, "expected a number greater than 0 and at most 1, or a percentage above 1 and at most 100")]
    [InlineData(V.SwimEnabled, "expected one of true, false, 1, 0, yes, no, on, off")]
    [InlineData(V.MembershipMode, "expected one of http, swim, hybrid")]
    [InlineData(V.ConsensusMode, "expected one of bully, raft, hybrid")]
    [InlineData(V.MaxRequestBodyBytes, "expected an integer from 1024 to 104857600")]
    [InlineData(V.NodeId, "expected 1 to 128 characters of letters, digits, '-', '_' or '.'")]
    public void BadValue_SaysWhatIsAllowed(string variable, string allowed) =>
        Assert.Equal(allowed, Rejects((variable, "@@")).Allowed);

    [Theory]
    [InlineData("0.5", 500)]
    [InlineData("1", 1000)]
    [InlineData("2.25", 2250)]
    [InlineData("3600", 3_600_000)]
    [InlineData("1e1", 10_000)]
    public void Durations_AreSecondsWithDecimals(string raw, int expectedMs)
    {
        var c = From((V.HeartbeatInterval, raw), (V.PeerTimeout, "86400"));
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), c.HeartbeatInterval);
    }

    [Theory]
    [InlineData("0.0001", 0.0001)]
    [InlineData("1", 1.0)]
    [InlineData("0.5", 0.5)]
    public void LoadMax_AcceptsAboveZeroUpToOne(string raw, double expected) =>
        Assert.Equal(expected, From((V.LoadMaxForNewJobs, raw)).LoadMaxForNewJobs);

    [Theory]
    [InlineData("true", true)]
    [InlineData("TRUE", true)]
    [InlineData("1", true)]
    [InlineData("yes", true)]
    [InlineData("On", true)]
    [InlineData("false", false)]
    [InlineData("0", false)]
    [InlineData("No", false)]
    [InlineData("OFF", false)]
    public void Bools_AcceptTheUsualSpellings(string raw, bool expected)
    {
        var c = From((V.SwimEnabled, raw), (V.RaftEnabled, raw));
        Assert.Equal(expected, c.SwimEnabled);
        Assert.Equal(expected, c.RaftEnabled);
    }

    [Theory]
    [InlineData("http", MembershipMode.Http)]
    [InlineData("SWIM", MembershipMode.Swim)]
    [InlineData("Hybrid", MembershipMode.Hybrid)]
    public void MembershipMode_IsCaseInsensitive(string raw, MembershipMode expected) =>
        Assert.Equal(expected, From((V.MembershipMode, raw)).MembershipMode);

    [Theory]
    [InlineData("bully", ConsensusMode.Bully)]
    [InlineData("RAFT", ConsensusMode.Raft)]
    [InlineData("hybrid", ConsensusMode.Hybrid)]
    public void ConsensusMode_IsCaseInsensitive(string raw, ConsensusMode expected) =>
        Assert.Equal(expected, From((V.ConsensusMode, raw)).ConsensusMode);

    [Fact]
    public void PeerTimeout_NotAboveHeartbeat_ErrorNamesBothVariables()
    {
        var e = Rejects((V.HeartbeatInterval, "10"), (V.PeerTimeout, "10"));

        Assert.Equal(V.PeerTimeout, e.Variable);
        Assert.Equal("10", e.Value);
        Assert.Contains(V.HeartbeatInterval, e.Message);
        Assert.Contains(V.PeerTimeout, e.Message);
    }

    [Fact]
    public void PeerTimeout_JustAboveHeartbeat_IsAccepted()
    {
        var c = From((V.HeartbeatInterval, "10"), (V.PeerTimeout, "10.001"));
        Assert.Equal(TimeSpan.FromMilliseconds(10_001), c.PeerTimeout);
    }

    [Fact]
    public void PeerTimeout_BelowDefaultHeartbeat_IsRejected()
    {
        var e = Rejects((V.PeerTimeout, "4"));
        Assert.Equal("RINGRIFT_P2P_PEER_TIMEOUT='4' is invalid: expected a number of seconds greater than RINGRIFT_P2P_HEARTBEAT_INTERVAL (5)", e.Message);
    }

    [Theory]
    [InlineData("n")]
    [InlineData("node-1_a.b")]
    [InlineData("ABC123")]
    public void NodeId_AcceptsLettersDigitsDashUnderscoreDot(string id) => Assert.Equal(id, From((V.NodeId, id)).NodeId);

    [Fact]
    public void NodeId_LengthLimitIs128()
    {
        Assert.Equal(128, From((V.NodeId, new string('a', 128))).NodeId!.Length);
        Assert.Equal(V.NodeId, Rejects((V.NodeId, new string('a', 129))).Variable);
    }

    [Fact]
    public void Voters_AreTrimmedAndEmptiesDropped()
    {
        Assert.Equal(["a", "b-1", "c.d"], From((V.Voters, " a , ,b-1,, c.d ,")).Voters);
    }

    [Theory]
    [InlineData("a,b c", "b c")]
    [InlineData("a,b/c", "b/c")]
    public void Voters_BadId_NamesTheEntry(string raw, string badEntry)
    {
        var e = Rejects((V.Voters, raw));
        Assert.Equal(V.Voters, e.Variable);
        Assert.Equal(raw, e.Value);
        Assert.Contains($"'{badEntry}'", e.Message);
    }

    [Fact]
    public void Voters_Duplicate_IsRejected_BecauseItWouldInflateTheMajority()
    {
        var e = Rejects((V.Voters, "a,b,a"));
        Assert.Contains("'a' is listed twice", e.Message);
    }

    [Fact]
    public void Peers_AreTrimmedAndValidated()
    {
        var c = From((V.Peers, " 10.0.0.1:8770 , host-b:8771,,[::1]:9000 "));
        Assert.Equal(["10.0.0.1:8770", "host-b:8771", "[::1]:9000"], c.Peers);
    }

    [Theory]
    [InlineData("hostonly")]
    [InlineData(":8770")]
    [InlineData("host:0")]
    [InlineData("host:65536")]
    [InlineData("host:http")]
    [InlineData("::1:8770")]
    [InlineData("[::1]")]
    [InlineData("[nothost]:8770")]
    [InlineData("bad host:8770")]
    public void Peers_BadEntry_IsRejectedNamingIt(string entry)
    {
        var e = Rejects((V.Peers, $"ok:1,{entry}"));
        Assert.Equal(V.Peers, e.Variable);
        Assert.Contains($"entry '{entry}'", e.Message);
        Assert.Contains("host:port", e.Allowed);
    }

    [Theory]
    [InlineData("10.0.0.1:8770", "10.0.0.1", 8770)]
    [InlineData("node-a.example.com:1", "node-a.example.com", 1)]
    [InlineData("localhost:65535", "localhost", 65535)]
    [InlineData("[::1]:8770", "::1", 8770)]
    [InlineData("[fe80::1]:7947", "fe80::1", 7947)]
    [InlineData(" host:80 ", "host", 80)]
    public void ParsePeerAddress_SplitsHostAndPort(string text, string host, int port) =>
        Assert.Equal((host, port), P2PConfig.ParsePeerAddress(text));

    [Theory]
    [InlineData("")]
    [InlineData("host")]
    [InlineData("host:")]
    [InlineData("host:+80")]
    [InlineData("[::1]8770")]
    [InlineData("[::1:8770")]
    public void ParsePeerAddress_RejectsMalformedText(string text)
    {
        var e = Assert.Throws<FormatException>(() => P2PConfig.ParsePeerAddress(text));
        Assert.Contains($"'{text}'", e.Message);
    }

    [Fact]
    public void With_ChecksEachValue()
    {
        var e = Assert.Throws<P2PConfigException>(() => new P2PConfig { DefaultPort = 0 });
        Assert.Equal("RINGRIFT_P2P_PORT='0' is invalid: expected an integer from 1 to 65535", e.Message);
        Assert.Throws<P2PConfigException>(() => new P2PConfig() with { HeartbeatInterval = TimeSpan.Zero });
        Assert.Throws<P2PConfigException>(() => new P2PConfig() with { Voters = ["ok", "not ok"] });
        Assert.Throws<P2PConfigException>(() => new P2PConfig() with { Peers = ["nope"] });
        Assert.Throws<P2PConfigException>(() => new P2PConfig() with { MembershipMode = (MembershipMode)42 });
    }

    [Fact]
    public void Validate_ChecksTheCrossSettingRuleAfterWith()
    {
        var config = new P2PConfig() with { HeartbeatInterval = TimeSpan.FromSeconds(20) };

        var e = Assert.Throws<P2PConfigException>(() => config.Validate());
        Assert.Contains(V.HeartbeatInterval, e.Message);
        var repaired = config with { PeerTimeout = TimeSpan.FromSeconds(21) };
        Assert.Same(repaired, repaired.Validate());
    }
}
