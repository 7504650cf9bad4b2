using System.Diagnostics;
using System.Globalization;
using RingRift.P2P.Testing.Netns;
using RingRift.P2P.Testing.Waiting;
using Xunit.Abstractions;

namespace RingRift.P2P.Node.Tests.Netns;

/// <summary>
/// SWIM on eight node processes in eight network namespaces, no loss, SWIM's default timings. A one-way
/// cut: node A can send to node B but receives nothing from it (B's output to A is dropped, datagrams and
/// TCP alike). A's pings of B go unanswered and so do B's of A, but the indirect probes through the six
/// others get through (SWIM §4, ping-req), so nobody may be marked dead and suspicion may not flap.
/// Then heal: everyone sees everyone alive within two push-pull periods (SwimConfig.PushPullInterval,
/// read from a node's <c>/swim/status</c>). Trait <c>Category=Netns</c>.
/// </summary>
/// <remarks>
/// <para><b>How flapping is bounded.</b> Every alive → suspect transition anywhere is one count of the nodes'
/// <c>suspicions</c> counter (a suspicion raised or learnt); with nobody marked dead, each is undone by a
/// refutation, so the transitions alive ↔ suspect are twice that count. Were the cut to make A suspect B
/// whenever it probes B (once per round over its 7 peers, ~2.1 s) the suspicion would spread to all 8
/// nodes: ~3–4 transitions a second, over 100 in the window. Indirect probes working leave only what
/// the loaded machine causes (a node's own stall); the bound, <see cref="MaxSuspicions"/>, is one per
/// node over the whole window.</para>
/// </remarks>
[Collection(NetnsCollection.Name)]
[Trait("Category", NetnsTestBed.Category)]
public sealed class SwimOneWayNetnsTests : IDisposable
{
    private const int Nodes = 8;

    /// <summary>At most this many suspicions (each alive → suspect → alive) in the whole cluster while the cut lasts: one per node.</summary>
    private const int MaxSuspicions = Nodes;

    /// <summary>Probes A sends while the cut lasts: 120 of the 300 ms period, ~36 s, longer than one push-pull period (30 s), so every node tries one.</summary>
    private const int ProbesWhileCut = 120;

    private readonly string _root = Directory.CreateTempSubdirectory("ringrift-netns-oneway-").FullName;
    private readonly NetnsTestBed _bed = NetnsTestBed.Create(Nodes);
    private readonly ITestOutputHelper _output;

    public SwimOneWayNetnsTests(ITestOutputHelper output) => _output = output;

    public void Dispose()
    {
        _bed.Dispose();
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    [Fact]
    public async Task OneWayCut_NobodyIsMarkedDeadAndSuspicionDoesNotFlap_ThenAfterTheHealEveryoneIsAliveEverywhereWithinTwoPushPullPeriods()
    {
        using var cluster = await NetnsSwimCluster.StartAsync(_bed, _root, NodeProgram.Current);
        var (a, b) = (cluster[0], cluster[1]);
        try
        {
            var pushPull = await a.SwimPushPullIntervalAsync();
            var suspicionsBefore = await cluster.SumCounterAsync("suspicions");
            var (probesBefore, indirectBefore) = (await a.SwimCounterAsync("probes"), await a.SwimCounterAsync("indirect_probes"));
            _bed.Block(b.Host, a.Host); // A can send to B, not receive from it

            await Eventually.Until(() => a.SwimCounterAsync("probes"), n => n >= probesBefore + ProbesWhileCut,
                $"{a.Id} to probe {ProbesWhileCut} times while it cannot hear {b.Id}", NetnsNode.ProcessWait);
            var suspicions = await cluster.SumCounterAsync("suspicions") - suspicionsBefore;
            var indirect = await a.SwimCounterAsync("indirect_probes") - indirectBefore;

            _bed.Heal(a.Host, b.Host);
            var clock = Stopwatch.StartNew();
            await cluster.WaitAllSeeAllAliveAsync(2 * pushPull);
            _output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"while cut: {suspicions} suspicions (alive -> suspect), {indirect} indirect probes sent by {a.Id}; all alive everywhere {clock.Elapsed.TotalSeconds:0.0} s after the heal (bound {2 * pushPull.TotalSeconds:0} s); {cluster.Watch.Polls} polls of /swim/members"));

            Assert.True(indirect > 0, $"{a.Id} never needed an indirect probe: was the cut in force?");
            Assert.True(cluster.Watch.FalseDeaths.IsEmpty, $"live nodes marked dead: {cluster.Watch.Describe()}");
            Assert.True(suspicions <= MaxSuspicions, $"{suspicions} suspicions while the cut lasted (bound {MaxSuspicions}): suspicion flapped");
            Assert.True(cluster.Watch.Polls >= Nodes, $"only {cluster.Watch.Polls} polls of /swim/members succeeded");
        }
        catch (Exception e) when (e is WaitTimedOutException or Xunit.Sdk.XunitException)
        {
            throw new Xunit.Sdk.XunitException($"{e.Message}\n{cluster.LogTails()}");
        }
    }
}
