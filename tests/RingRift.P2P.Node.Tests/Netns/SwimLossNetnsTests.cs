using System.Globalization;
using RingRift.P2P.Testing.Netns;
using RingRift.P2P.Testing.Waiting;
using Xunit.Abstractions;

namespace RingRift.P2P.Node.Tests.Netns;

/// <summary>
/// SWIM on eight node processes in eight network namespaces, each host losing 5 % or 20 % of what it sends
/// to the others (so a ping or its ack is lost 10 % or 36 % of the time), with SWIM's default
/// timings (<c>SwimConfig.Default</c>, <c>swim</c> membership). First a quiet window of many protocol
/// periods with no kill, then kill -9 of one node: every other node marks it dead within the README's
/// detection goal (p99 ≤ 5 s, "crash one node → every live node marks it dead", which the simulator and
/// the <c>netns-swim</c> bench also meet at 20 % loss), and no live node is marked dead at any time. Every
/// node's <c>/swim/members</c> is polled over the bridge from the test process all along. The issue asks
/// for 10 minutes with no kill; that run is the bench's (<c>netns-swim --no-kill-minutes 10</c>), the
/// suite keeps a 60 s window at 20 % loss (docs/testing.md). Trait <c>Category=Netns</c>.
/// </summary>
[Collection(NetnsCollection.Name)]
[Trait("Category", NetnsTestBed.Category)]
public sealed class SwimLossNetnsTests(ITestOutputHelper output) : SwimNetnsTest(output)
{
    /// <summary>The README's goal for crash detection with SWIM's defaults (p99, every live node marks the crashed one dead).</summary>
    private static readonly TimeSpan DetectionGoal = TimeSpan.FromSeconds(5);

    /// <summary>SWIM's default protocol period, to turn the quiet window into a number of probes.</summary>
    private static readonly TimeSpan ProbeInterval = TimeSpan.FromMilliseconds(300);

    [Theory]
    [InlineData(5, 10)]
    [InlineData(20, 60)]
    public async Task KillMinus9_EveryOtherNodeMarksItDeadWithinTheDetectionGoal_AfterAQuietWindow_AndNoLiveNodeIsMarkedDead(int lossPercent, int quietSeconds)
    {
        foreach (var host in Bed.Hosts) Bed.SetLoss(host, lossPercent);
        const int victim = 2;
        await WithClusterAsync(async cluster =>
        {
            // The quiet window, counted in probes each node sends under loss rather than in wall-clock time:
            // a node slowed by the loaded machine gets its full share of chances to mark someone dead.
            var probesInWindow = (int)(TimeSpan.FromSeconds(quietSeconds) / ProbeInterval);
            var suspicionsBefore = await cluster.SumCounterAsync("suspicions");
            var probes = await Task.WhenAll(cluster.Live.Select(n => n.SwimCounterAsync("probes")));
            for (var i = 0; i < Nodes; i++)
            {
                var (node, start) = (cluster[i], probes[i]);
                await Eventually.Until(() => node.SwimCounterAsync("probes"), n => n >= start + probesInWindow,
                    $"{node.Id} to probe {probesInWindow} times under {lossPercent} % loss", NetnsNode.ProcessWait + TimeSpan.FromSeconds(quietSeconds));
            }

            var quietSuspicions = await cluster.SumCounterAsync("suspicions") - suspicionsBefore;
            Assert.True(cluster.Watch.FalseDeaths.IsEmpty, $"live nodes marked dead in the quiet window: {cluster.Watch.Describe()}");

            var victimId = cluster[victim].Id;
            var detections = await cluster.KillAndAwaitDetectionAsync(victim, NetnsNode.ProcessWait);
            foreach (var node in cluster.Live)
            {
                var others = (await node.SwimMembersAsync()).Where(m => m.Key != victimId).ToList();
                Assert.True(others.All(m => m.Value.State is "alive" or "suspect"),
                    $"{node.Id} after the kill: {string.Join(", ", others.Select(m => $"{m.Key} {m.Value.State}"))}");
            }

            var report = NetnsSwimCluster.Describe(detections);
            Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{lossPercent} % loss: {quietSuspicions} suspicions (all refuted) in {probesInWindow} probes per node; {victimId} marked dead after: {report}; {cluster.Watch.Polls} polls of /swim/members"));
            Assert.True(detections.Values.All(seconds => seconds <= DetectionGoal.TotalSeconds),
                $"{victimId} marked dead after: {report}; the README's goal is {DetectionGoal.TotalSeconds:0} s");
            var indirect = await cluster.SumCounterAsync("indirect_probes");
            Assert.True(indirect > 0, "no probe needed an indirect check: was the loss in force?");
            Assert.True(cluster.Watch.Polls >= Nodes, $"only {cluster.Watch.Polls} polls of /swim/members succeeded");
            Assert.True(cluster.Watch.FalseDeaths.IsEmpty, $"live nodes marked dead: {cluster.Watch.Describe()}");
        });
    }
}
