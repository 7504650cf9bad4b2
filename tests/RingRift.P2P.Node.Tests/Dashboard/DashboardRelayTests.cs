using System.Text.Json.Nodes;
using RingRift.P2P.Node.Hosting;
using RingRift.P2P.Node.Jobs;
using RingRift.P2P.Node.PeerHttp;
using RingRift.P2P.Node.Tests.Cluster;

namespace RingRift.P2P.Node.Tests.Dashboard;

/// <summary>On two in-process nodes: what the page asks of a follower is answered by the node that has it.</summary>
public sealed class DashboardRelayTests : IAsyncLifetime
{
    private InProcessCluster? _cluster;
    private ClusterNode _leader = null!;
    private ClusterNode _follower = null!;

    public async Task InitializeAsync()
    {
        _cluster = await InProcessCluster.StartAsync(2, InProcessCluster.SteadyTimings);
        _leader = await _cluster.WaitForLeaderAsync();
        _follower = _cluster.Nodes.Single(n => n != _leader);
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null) await _cluster.DisposeAsync();
    }

    private static async Task WriteLogAsync(ClusterNode node, string jobId, params string[] lines)
    {
        var path = JobFiles.LogPath(node.Services.GetRequiredService<NodeOptions>().DataDir, jobId);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllLinesAsync(path, lines);
    }

    [Fact]
    public async Task QueueHistory_AskedOfAFollower_IsTheLeaders()
    {
        var answer = await Http.GetAsync(_follower.Url, "queue/history?minutes=1");

        Assert.Equal(200, answer.Status);
        Assert.Equal(_leader.Id, answer.Json!["node_id"]!.GetValue<string>());
        Assert.Equal(1, answer.Json!["minutes"]!.GetValue<int>());
    }

    [Fact]
    public async Task Jobs_ListEveryLiveNode_AskedFromEither()
    {
        var answer = await Http.GetAsync(_follower.Url, "jobs");

        Assert.Equal(200, answer.Status);
        Assert.Equal(_follower.Id, answer.Json!["node_id"]!.GetValue<string>());
        var nodes = answer.Json!["nodes"]!.AsArray();
        Assert.Equal(new[] { "node-1", "node-2" }, nodes.Select(n => n!["node_id"]!.GetValue<string>()));
        Assert.All(nodes, n => Assert.True(n!["answered"]!.GetValue<bool>(), n.ToJsonString()));

        var own = await Http.GetAsync(_follower.Url, "jobs?scope=node");
        Assert.Equal(_follower.Id, Assert.Single(own.Json!["nodes"]!.AsArray())!["node_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task JobLog_WithNodeId_IsRelayedToThatNode()
    {
        await WriteLogAsync(_leader, "relay-job", "first", "second");

        var relayed = await Http.GetAsync(_follower.Url, $"jobs/relay-job/log?lines=1&node_id={_leader.Id}");
        Assert.Equal(200, relayed.Status);
        Assert.Equal(_leader.Id, relayed.Json!["node_id"]!.GetValue<string>());
        Assert.Equal(["second"], relayed.Json!["lines"]!.AsArray().Select(l => l!.GetValue<string>()));

        var here = await Http.GetAsync(_follower.Url, $"jobs/relay-job/log?node_id={_follower.Id}");
        Assert.Equal(404, here.Status);
        Assert.Equal("JOB_LOG_NOT_FOUND", here.Code);
    }

    [Fact]
    public async Task JobLog_WithoutNodeId_GoesToTheNodeTheQueueSaysHoldsTheItem()
    {
        Assert.Equal(200, (await Http.PostAsync(_follower.Url, "work/add", new JsonObject { ["work_id"] = "held-job", ["work_type"] = "selfplay" })).Status);
        var claim = await Http.PostAsync(_follower.Url, "work/claim", new JsonObject { ["work_id"] = "held-job", ["node_id"] = _leader.Id });
        Assert.True(claim.Json!["claimed"]!.GetValue<bool>(), claim.Text);
        await WriteLogAsync(_leader, "held-job", "playing");

        var answer = await Http.GetAsync(_follower.Url, "jobs/held-job/log");

        Assert.Equal(200, answer.Status);
        Assert.Equal(_leader.Id, answer.Json!["node_id"]!.GetValue<string>());
        Assert.Equal(["playing"], answer.Json!["lines"]!.AsArray().Select(l => l!.GetValue<string>()));
    }

    [Fact]
    public async Task ARelayedLogRequest_NamingAnotherNode_IsRefused()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{_leader.Url}jobs/x/log?node_id={_follower.Id}");
        request.Headers.Add(PeerClient.ForwardedHeader, "node-9");
        using var client = new HttpClient();
        using var response = await client.SendAsync(request);
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(400, (int)response.StatusCode);
        Assert.Contains("relayed here already", json["error"]!.GetValue<string>());
    }
}
