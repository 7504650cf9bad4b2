using RingRift.P2P.Node.Cli;
using RingRift.P2P.Node.Tests.Cluster;
using RingRift.P2P.Testing.Ports;

namespace RingRift.P2P.Node.Tests.Import;

/// <summary><c>import-queue</c> waits out a cluster that has no leader yet instead of failing on its first 503.</summary>
public sealed class ImportQueueRetryTests
{
    [Fact]
    public async Task An_import_started_before_a_leader_is_elected_adds_everything_once_one_serves()
    {
        await using var cluster = await InProcessCluster.StartAsync(0, InProcessCluster.SteadyTimings);
        var ports = TestPorts.Free(2);
        // Two voters: the first node alone has no majority, so it answers 503 NO_LEADER until the second starts.
        var first = await cluster.StartNodeAsync("node-1", ports[0], $"127.0.0.1:{ports[1]}");
        using var db = new OriginalQueueDatabase().Row("retry-a", "selfplay").Row("retry-b", "training");
        Assert.Equal(503, (await Http.PostAsync(first.Url, "work/add", """{"work_id": "probe", "work_type": "selfplay"}""")).Status);

        var import = CliApp.RunAsync(["import-queue", "--from", db.Path, "--url", first.Url]);
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.False(import.IsCompleted, "the import gave up while no leader served");
        await cluster.StartNodeAsync("node-2", ports[1], $"127.0.0.1:{ports[0]}");

        Assert.Equal(0, await import);
        Assert.Equal(200, (await Http.GetAsync(first.Url, "work/retry-a")).Status);
        Assert.Equal(200, (await Http.GetAsync(first.Url, "work/retry-b")).Status);
    }
}
