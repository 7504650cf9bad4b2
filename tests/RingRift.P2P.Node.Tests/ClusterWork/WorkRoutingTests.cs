using System.Net.Http;
using System.Net.Sockets;
using RingRift.P2P.Node.Api;
using RingRift.P2P.Node.Cluster;
using RingRift.P2P.Node.PeerHttp;
using RingRift.P2P.Node.Tests.Cluster;
using RingRift.P2P.Testing.Ports;

namespace RingRift.P2P.Node.Tests.ClusterWork;

/// <summary>What a node answers when no node can serve a work call, and which failures the port tries again.</summary>
public sealed class WorkRoutingTests
{
    [Fact]
    public async Task NodeThatCannotReachAnyVoter_Answers503NoLeader_WithRetryAfter_AndAForwardedCall503NotLeader()
    {
        var ports = TestPorts.Free(3);
        var env = new Dictionary<string, string?>(InProcessCluster.SteadyTimings) { ["RINGRIFT_P2P_VOTERS"] = "ghost-1,ghost-2" };
        await using var cluster = await InProcessCluster.StartAsync(0, env);
        var node = await cluster.StartNodeAsync("lonely", ports[0], $"127.0.0.1:{ports[1]},127.0.0.1:{ports[2]}");

        var direct = await Http.PostAsync(node.Url, "work/add", """{"work_type":"selfplay"}""");
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(new Uri(node.Url), "work/status"));
        request.Headers.Add(PeerClient.ForwardedHeader, "some-node");
        using var client = new HttpClient();
        using var forwarded = await client.SendAsync(request);
        var forwardedBody = await forwarded.Content.ReadAsStringAsync();

        Assert.Equal((503, "NO_LEADER"), (direct.Status, direct.Code));
        Assert.Equal(503, (int)forwarded.StatusCode);
        Assert.Contains("\"NOT_LEADER\"", forwardedBody);
        Assert.Equal(TimeSpan.FromSeconds(1), forwarded.Headers.RetryAfter?.Delta);
    }

    public static TheoryData<string, int, string, bool, bool, bool> Failures => new()
    {
        // what happened, status, code, retried as a read, as a write, as a write with a command id while Raft serves
        { "no leader elected", 503, "NO_LEADER", true, true, true },
        { "leader still taking the queue over", 503, "NOT_READY", true, true, true },
        { "forwarded to a node that no longer leads", 503, "NOT_LEADER", true, true, true },
        { "leader did not answer in time", 503, "LEADER_UNREACHABLE", true, false, true },
        { "Raft read could not be confirmed", 503, "READ_UNAVAILABLE", true, false, false },
        { "commit outcome unknown", 503, "COMMIT_UNKNOWN", false, false, true },
        { "request timed out", 503, "TIMEOUT", true, false, true },
        { "quorum unreachable", 503, "QUORUM_UNREACHABLE", false, false, false },
        { "item does not exist", 404, "WORK_NOT_FOUND", false, false, false },
        { "transition refused", 409, "INVALID_TRANSITION", false, false, false },
        { "bad field", 400, "INVALID_FIELD", false, false, false },
    };

    [Theory, MemberData(nameof(Failures))]
    public void Retry_OnlyWhenNothingCanHaveBeenApplied_OrTheCallIsARead_OrCarriesACommandId(string what, int status, string code, bool read, bool write, bool command)
    {
        var error = new ApiException(status, code, what);

        Assert.Equal(read, ClusterWorkPolicy.ShouldRetry(error, idempotent: true));
        Assert.Equal(write, ClusterWorkPolicy.ShouldRetry(error, idempotent: false));
        Assert.Equal(command, ClusterWorkPolicy.ShouldResendCommand(error));
    }

    [Fact]
    public void Resend_ACommandWhoseOutcomeTheServingRaftQueueCouldNotTell()
    {
        Assert.True(ClusterWorkPolicy.ShouldResendCommand(new RingRift.P2P.Raft.Node.RaftCommitUnknownException("replication did not finish")));
        Assert.True(ClusterWorkPolicy.ShouldResendCommand(new RingRift.P2P.Raft.NotRaftLeaderException(null, null, "stepped down")));
        Assert.False(ClusterWorkPolicy.ShouldResendCommand(new RingRift.P2P.Coordination.WorkConflictException("w", "complete", RingRift.P2P.Coordination.WorkStatus.Completed)));
    }

    [Fact]
    public void Retry_AWriteWhoseConnectionWasRefused_ButNotOneWhoseAnswerWasLost()
    {
        var refused = new ApiException(503, "LEADER_UNREACHABLE", "refused",
            new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused", new SocketException((int)SocketError.ConnectionRefused)));
        var lost = new ApiException(503, "LEADER_UNREACHABLE", "lost", new HttpRequestException(HttpRequestError.ResponseEnded, "response ended"));

        Assert.True(ClusterWorkPolicy.ShouldRetry(refused, idempotent: false));
        Assert.False(ClusterWorkPolicy.ShouldRetry(lost, idempotent: false));
        Assert.False(ClusterWorkPolicy.ShouldRetry(new InvalidOperationException("not an API refusal"), idempotent: true));
    }
}
