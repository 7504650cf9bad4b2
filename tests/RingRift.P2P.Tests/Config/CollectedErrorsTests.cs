using RingRift.P2P.Config;
using RingRift.P2P.Jobs;
using RingRift.P2P.Notifications;
using RingRift.P2P.Training;
using Xunit;

namespace RingRift.P2P.Tests.Config;

/// <summary>
/// The environment readers collect every bad variable for <c>config check</c> and throw the first at
/// start-up, by the same rules: the first collected error is the one start-up throws.
/// </summary>
public sealed class CollectedErrorsTests
{
    private static Dictionary<string, string?> Env(params (string Name, string Value)[] vars) =>
        vars.ToDictionary(v => v.Name, v => (string?)v.Value);

    [Fact]
    public void FromEnvironment_Collecting_ReportsEveryBadVariable_AndKeepsTheGoodOnes()
    {
        var env = Env(("RINGRIFT_P2P_PORT", "abc"), ("RINGRIFT_CONSENSUS_MODE", "paxos"), ("RINGRIFT_P2P_PEERS", "host-without-port"),
            ("RINGRIFT_P2P_VOTERS", "a,a"), ("RINGRIFT_SWIM_ENABLED", "true"), ("RINGRIFT_P2P_LEADER_LEASE", "9"));
        var problems = ConfigProblems.Collect();

        var config = P2PConfig.FromEnvironment(env, problems);

        Assert.Equal(["RINGRIFT_P2P_PORT", "RINGRIFT_CONSENSUS_MODE", "RINGRIFT_P2P_VOTERS", "RINGRIFT_P2P_PEERS"],
            problems.Errors.Cast<P2PConfigException>().Select(e => e.Variable));
        Assert.Equal("RINGRIFT_P2P_PORT='abc' is invalid: expected an integer from 1 to 65535", problems.Errors[0].Message);
        Assert.Equal("expected one of bully, raft, hybrid", ((P2PConfigException)problems.Errors[1]).Allowed);
        // Bad variables keep their defaults; good ones are read.
        Assert.Equal(8770, config.DefaultPort);
        Assert.Equal(ConsensusMode.Bully, config.ConsensusMode);
        Assert.True(config.SwimEnabled);
        Assert.Equal(TimeSpan.FromSeconds(9), config.LeaderLeaseDuration);
    }

    [Fact]
    public void FromEnvironment_Throwing_ThrowsTheFirstErrorTheCollectorReports()
    {
        var env = Env(("RINGRIFT_P2P_HEARTBEAT_INTERVAL", "0"), ("RINGRIFT_P2P_PORT", "99999"), ("RINGRIFT_RAFT_WARMUP", "perhaps"));
        var problems = ConfigProblems.Collect();
        P2PConfig.FromEnvironment(env, problems);

        var thrown = Assert.Throws<P2PConfigException>(() => P2PConfig.FromEnvironment(env));

        Assert.Equal(3, problems.Errors.Count);
        Assert.Equal(problems.Errors[0].Message, thrown.Message);
    }

    [Fact]
    public void TheRuleAcrossTwoTimings_IsCheckedOnlyWhenBothAreValid()
    {
        var bothValid = ConfigProblems.Collect();
        P2PConfig.FromEnvironment(Env(("RINGRIFT_P2P_HEARTBEAT_INTERVAL", "10"), ("RINGRIFT_P2P_PEER_TIMEOUT", "5")), bothValid);
        var oneBad = ConfigProblems.Collect();
        P2PConfig.FromEnvironment(Env(("RINGRIFT_P2P_HEARTBEAT_INTERVAL", "soon"), ("RINGRIFT_P2P_PEER_TIMEOUT", "3")), oneBad);

        Assert.Equal("RINGRIFT_P2P_PEER_TIMEOUT='5' is invalid: expected a number of seconds greater than RINGRIFT_P2P_HEARTBEAT_INTERVAL (10)",
            Assert.Single(bothValid.Errors).Message);
        // 3 s is a valid timeout on its own; against a heartbeat that is itself wrong the comparison says nothing.
        Assert.Equal("RINGRIFT_P2P_HEARTBEAT_INTERVAL", ((P2PConfigException)Assert.Single(oneBad.Errors)).Variable);
    }

    [Fact]
    public void JobsTrainingAndWebhookSettings_CollectEveryBadVariable()
    {
        var env = Env(("RINGRIFT_P2P_GPU_COUNT", "-1"), ("RINGRIFT_SYNC_MAX_CONCURRENT_PULLS", "0"), ("RINGRIFT_MIN_TRAINING_GAMES", "many"),
            ("RINGRIFT_SELFPLAY_CONFIGS", "hex8_2p,nonsense"), ("RINGRIFT_WEBHOOK_URL", "hooks.example/x"), ("RINGRIFT_DISCORD_WEBHOOK_URL", "https://discord.com/api/webhooks/1/t"));
        var problems = ConfigProblems.Collect();

        JobsSettings.FromEnvironment(env, problems);
        TrainingThresholds.FromEnvironment(env, problems);
        TrainingOptions.FromEnvironment(env, problems);
        var webhooks = WebhookConfig.FromEnvironment(env, problems);

        Assert.Equal(["RINGRIFT_P2P_GPU_COUNT", "RINGRIFT_SYNC_MAX_CONCURRENT_PULLS", "RINGRIFT_MIN_TRAINING_GAMES", "RINGRIFT_SELFPLAY_CONFIGS", "RINGRIFT_WEBHOOK_URL"],
            problems.Errors.Cast<P2PConfigException>().Select(e => e.Variable));
        // The webhook the bad URL spoils is left out; the good one stays.
        Assert.Equal(["https://discord.com/api/webhooks/1/t"], webhooks.Select(w => w.Url));
    }

    [Fact]
    public void ThrowFirst_RecordsNothing_AndCollectKeepsEachMessageOnce()
    {
        var error = new P2PConfigException("RINGRIFT_P2P_PORT", "x", "expected an integer from 1 to 65535");
        var collect = ConfigProblems.Collect();

        Assert.Throws<P2PConfigException>(() => ConfigProblems.ThrowFirst.Add(error));
        collect.Add(error);
        collect.Add(new P2PConfigException("RINGRIFT_P2P_PORT", "x", "expected an integer from 1 to 65535"));
        ConfigProblems.ThrowFirst.Warn(new ConfigWarning("environment", null, null, "ignored"));

        Assert.Empty(ConfigProblems.ThrowFirst.Errors);
        Assert.Empty(ConfigProblems.ThrowFirst.Warnings);
        Assert.Single(collect.Errors);
    }

    [Theory]
    [InlineData("RINGRIFT_P2P_HEARTBEAT_INTERVALL", "RINGRIFT_P2P_HEARTBEAT_INTERVAL")] // one letter too many
    [InlineData("RINGRIFT_P2P_PROT", "RINGRIFT_P2P_PORT")]                               // two letters swapped
    [InlineData("RINGRIFT_AUTH_TOKEN", "RINGRIFT_CLUSTER_AUTH_TOKEN")]                   // a part left out
    [InlineData("RINGRIFT_SWIM_PORT", "RINGRIFT_SWIM_BIND_PORT")]
    [InlineData("RINGRIFT_PORT", "RINGRIFT_P2P_PORT")]                                  // the closest of the names holding every part
    [InlineData("RINGRIFT_GPU_COUNT", "RINGRIFT_P2P_GPU_COUNT")]
    [InlineData("RINGRIFT_AI_SERVICE_PATH", null)]                                      // another tool's variable: no guess
    public void NearestName_FindsTheLikelyMeantVariable(string typo, string? meant)
    {
        string[] known = ["RINGRIFT_P2P_HEARTBEAT_INTERVAL", "RINGRIFT_P2P_PORT", "RINGRIFT_CLUSTER_AUTH_TOKEN", "RINGRIFT_CLUSTER_AUTH_TOKEN_FILE",
            "RINGRIFT_SWIM_BIND_PORT", "RINGRIFT_RAFT_BIND_PORT", "RINGRIFT_P2P_GPU_COUNT", "RINGRIFT_P2P_PEERS"];

        Assert.Equal(meant, NearestName.Find(typo, known, segments: true));
    }

    [Theory]
    [InlineData("abc", "abc", 0)]
    [InlineData("abc", "acb", 1)]
    [InlineData("p2p_prot", "p2p_port", 1)]
    [InlineData("voter", "voters", 1)]
    [InlineData("kitten", "sitting", 3)]
    public void Edits_CountsInsertionsDeletionsSubstitutionsAndSwaps(string a, string b, int edits) =>
        Assert.Equal(edits, NearestName.Edits(a, b));
}
