using RingRift.P2P.Node.Tests.Cluster;
using RingRift.P2P.Testing.Ports;

namespace RingRift.P2P.Node.Tests.ClusterWork;

/// <summary><c>RINGRIFT_WORK_REQUIRE_FENCING=true</c>: a transition must prove the claim (a token on Raft, the node id on SQLite).</summary>
public sealed class RequireFencingTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Transitions_without_proof_of_the_claim_are_refused(bool raft)
    {
        var env = new Dictionary<string, string?>(InProcessCluster.SteadyTimings) { ["RINGRIFT_WORK_REQUIRE_FENCING"] = "true" };
        if (raft)
        {
            env["RINGRIFT_RAFT_ENABLED"] = "true";
            env["RINGRIFT_CONSENSUS_MODE"] = "raft";
        }
        await using var cluster = await InProcessCluster.StartAsync(1, env, raftPorts: raft ? TestPorts.Free(1) : null);
        var url = (await cluster.WaitForLeaderAsync()).Url;
        await Http.PostAsync(url, "work/add", """{"work_type": "selfplay"}""");
        var claimed = await Http.GetAsync(url, "work/claim?node_id=gpu-1");
        var id = claimed.Json!["work"]!["work_id"]!.GetValue<string>();
        var proof = raft
            ? $"\"fencing_token\": \"{claimed.Json["fencing_token"]!.GetValue<string>()}\""
            : "\"node_id\": \"gpu-1\"";

        var bare = await Http.PostAsync(url, "work/start", $$"""{"work_id": "{{id}}"}""");
        var proven = await Http.PostAsync(url, "work/start", $$"""{"work_id": "{{id}}", {{proof}}}""");

        Assert.Equal(400, bare.Status);
        Assert.Equal("MISSING_FIELD", bare.Code);
        Assert.Contains(raft ? "fencing_token" : "node_id", bare.Error);
        Assert.Contains("RINGRIFT_WORK_REQUIRE_FENCING", bare.Error);
        Assert.Equal(200, proven.Status);
        var status = (await Http.GetAsync(url, "status")).Json!["work_api"]!;
        Assert.True(status["require_fencing"]!.GetValue<bool>());
        Assert.Equal(0, status["unfenced_transitions"]!.GetValue<long>());
    }
}
