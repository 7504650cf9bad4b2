using RingRift.P2P.Node.Cli;
using RingRift.P2P.Node.Tests.Cluster;

namespace RingRift.P2P.Node.Tests.Cli;

/// <summary><c>ringrift-p2p work add</c> with a custom type and dependencies, against a running node.</summary>
public sealed class WorkAddCommandTests
{
    [Fact]
    public async Task Work_add_queues_any_type_with_its_dependencies()
    {
        await using var cluster = await InProcessCluster.StartAsync(1, InProcessCluster.SteadyTimings);
        var url = (await cluster.WaitForLeaderAsync()).Url;

        Assert.Equal(0, await CliApp.RunAsync(["work", "add", "--type", "training", "--id", "t-1", "--url", url]));
        Assert.Equal(0, await CliApp.RunAsync(["work", "add", "--type", "gauntlet", "--id", "g-1", "--depends-on", "t-1, t-1", "--url", url]));

        var item = (await Http.GetAsync(url, "work/g-1")).Json!;
        Assert.Equal("gauntlet", item["work_type"]!.GetValue<string>());
        Assert.Equal(["t-1"], item["depends_on"]!.AsArray().Select(i => i!.GetValue<string>()));
        Assert.NotEqual(0, await CliApp.RunAsync(["work", "add", "--type", "gauntlet", "--depends-on", "nope", "--url", url]));
    }
}
