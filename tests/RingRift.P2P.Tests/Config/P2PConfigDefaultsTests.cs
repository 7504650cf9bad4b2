using RingRift.P2P.Config;
using Xunit;

namespace RingRift.P2P.Tests.Config;

public sealed class P2PConfigDefaultsTests
{
    private static readonly Dictionary<string, string?> NoVariables = new();

    [Fact]
    public void FromEnvironment_WithNoVariables_GivesTheSeedDefaults()
    {
        var c = P2PConfig.FromEnvironment(NoVariables);

        Assert.Equal(8770, c.DefaultPort);                                  // seed DEFAULT_PORT
        Assert.Equal(TimeSpan.FromSeconds(5), c.HeartbeatInterval);         // seed HEARTBEAT_INTERVAL
        Assert.Equal(TimeSpan.FromSeconds(15), c.PeerTimeout);              // seed PEER_TIMEOUT
        Assert.Equal(TimeSpan.FromSeconds(30), c.LeaderLeaseDuration);      // seed LEADER_LEASE_DURATION
        Assert.Equal(0.8, c.LoadMaxForNewJobs);                             // seed LOAD_MAX_FOR_NEW_JOBS
        Assert.Equal(TimeSpan.FromSeconds(15), c.JobCheckInterval);
        Assert.False(c.SwimEnabled);
        Assert.False(c.RaftEnabled);
        Assert.True(c.RaftWarmUp);
        Assert.Equal(0.2, c.RaftHeartbeatRatio);
        Assert.Equal(MembershipMode.Http, c.MembershipMode);
        Assert.Equal(ConsensusMode.Bully, c.ConsensusMode);
        Assert.Equal(7947, c.SwimBindPort);
        Assert.Equal(4321, c.RaftBindPort);
        Assert.Null(c.AuthToken);
        Assert.Null(c.NodeId);
        Assert.Empty(c.Voters);
        Assert.Empty(c.Peers);
        Assert.Null(c.HostsFile);
        Assert.Null(c.DataDir);
        Assert.Equal("0.0.0.0", c.BindHost);
        Assert.Null(c.AdvertiseAddress);
        Assert.Equal(1_048_576, c.MaxRequestBodyBytes);
        Assert.Equal(1, c.StorageReserveMb);
        Assert.Equal(TimeSpan.FromHours(24), c.QueueRetention);
        Assert.Equal(10_000, c.QueueRetainMax);
    }

    [Fact]
    public void NewConfig_HasTheSameValuesAsAnEmptyEnvironment()
    {
        Assert.Equal(new P2PConfig().ToString(), P2PConfig.FromEnvironment(NoVariables).ToString());
    }

    [Fact]
    public void FromEnvironment_TreatsEmptyAndWhitespaceValuesAsUnset()
    {
        var env = P2PConfig.Documented.ToDictionary(d => d.Variable, d => (string?)"   ");
        env[P2PEnvironmentVariables.Port] = "";
        env[P2PEnvironmentVariables.NodeId] = null;

        var c = P2PConfig.FromEnvironment(env);

        Assert.Equal(new P2PConfig().ToString(), c.ToString());
    }

    [Fact]
    public void Documented_ListsEveryVariableFromEnvironmentReads_AndNothingElse()
    {
        var env = new RecordingEnvironment(NoVariables);

        P2PConfig.FromEnvironment(env);

        // The original orchestrator's names are read too, documented in their seed names' rows.
        var documented = P2PConfig.Documented.Select(d => d.Variable).Concat(P2PEnvironmentVariables.Aliases.Values).ToHashSet();
        Assert.Equal(31 + 2, env.Requested.Count);
        Assert.Subset(documented, env.Requested);
        Assert.Subset(env.Requested, documented);
        Assert.Equal(documented.Count, P2PConfig.Documented.Count + 2); // no duplicate rows
        Assert.All(P2PEnvironmentVariables.Aliases, a => Assert.Contains(a.Value, P2PConfig.Documented.Single(d => d.Variable == a.Key).Description));
    }

    [Fact]
    public void Documented_DefaultsMatchTheRealDefaults()
    {
        var d = P2PConfig.Documented.ToDictionary(r => r.Variable, r => r.Default);

        Assert.Equal("8770", d["RINGRIFT_P2P_PORT"]);
        Assert.Equal("5", d["RINGRIFT_P2P_HEARTBEAT_INTERVAL"]);
        Assert.Equal("15", d["RINGRIFT_P2P_PEER_TIMEOUT"]);
        Assert.Equal("30", d["RINGRIFT_P2P_LEADER_LEASE"]);
        Assert.Equal("0.8", d["RINGRIFT_P2P_LOAD_MAX_FOR_NEW_JOBS"]);
        Assert.Equal("15", d["RINGRIFT_P2P_JOB_CHECK_INTERVAL"]);
        Assert.Equal("false", d["RINGRIFT_SWIM_ENABLED"]);
        Assert.Equal("false", d["RINGRIFT_RAFT_ENABLED"]);
        Assert.Equal("true", d["RINGRIFT_RAFT_WARMUP"]);
        Assert.Equal("http", d["RINGRIFT_MEMBERSHIP_MODE"]);
        Assert.Equal("bully", d["RINGRIFT_CONSENSUS_MODE"]);
        Assert.Equal("7947", d["RINGRIFT_SWIM_BIND_PORT"]);
        Assert.Equal("4321", d["RINGRIFT_RAFT_BIND_PORT"]);
        Assert.Equal("0.0.0.0", d["RINGRIFT_P2P_HOST"]);
        Assert.Equal("1048576", d["RINGRIFT_P2P_MAX_BODY_BYTES"]);
        Assert.Equal("86400", d["RINGRIFT_QUEUE_RETENTION"]);
        Assert.Equal("10000", d["RINGRIFT_QUEUE_RETAIN_MAX"]);
        Assert.All(P2PConfig.Documented, row => Assert.False(string.IsNullOrWhiteSpace(row.Description)));
    }

    [Fact]
    public void Current_IsBuiltOnceAndRebuiltAfterReset()
    {
        P2PConfig.ResetCurrent();
        var first = P2PConfig.Current;

        Assert.Same(first, P2PConfig.Current);

        P2PConfig.ResetCurrent();
        var second = P2PConfig.Current;
        Assert.NotSame(first, second);
        Assert.Equal(P2PConfig.FromEnvironment().ToString(), second.ToString());
    }
}
