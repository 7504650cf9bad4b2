using System.Diagnostics;
using System.Globalization;
using RingRift.P2P.Testing.Netns;
using RingRift.P2P.Testing.Waiting;
using Xunit.Abstractions;

namespace RingRift.P2P.Node.Tests.Netns;

/// <summary>
/// SWIM on eight node processes in eight network namespaces, no loss, SWIM's default timings, under one-way
/// cuts (dropped on the sender's output, datagrams and TCP alike). Node A can send to node B but receives
/// nothing from it: A's pings of B go unanswered and so do B's of A, but the indirect probes through the six
/// others get through (SWIM §4, ping-req), so nobody may be marked dead and suspicion may not flap. Then,
/// and after a wider cut (A hears nobody), heal: everyone sees everyone alive within two push-pull periods
/// (SwimConfig.PushPullInterval, read from a node's <c>/swim/status</c>). Trait <c>Category=Netns</c>.
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
public sealed class SwimOneWayNetnsTests(ITestOutputHelper output) : SwimNetnsTest(output)
{
    /// <summary>At most this many suspicions (each alive → suspect → alive) in the whole cluster while the cut lasts: one per node.</summary>
    private const int MaxSuspicions = Nodes;

    /// <summary>Probes A sends while the cut lasts: 120 of the 300 ms period, ~36 s, longer than one push-pull period (30 s), so every node tries one.</summary>
    private const int ProbesWhileCut = 120;

    [Fact]
    public async Task OneWayCut_NobodyIsMarkedDeadAndSuspicionDoesNotFlap_ThenAfterTheHealEveryoneIsAliveEverywhereWithinTwoPushPullPeriods()
    {
        await WithClusterAsync(async cluster =>
        {
            var (a, b) = (cluster[0], cluster[1]);
            var pushPull = await a.SwimPushPullIntervalAsync();
            var suspicionsBefore = await cluster.SumCounterAsync("suspicions");
            var (probesBefore, indirectBefore) = (await a.SwimCounterAsync("probes"), await a.SwimCounterAsync("indirect_probes"));
            Bed.Block(b.Host, a.Host); // A can send to B, not receive from it

            await Eventually.Until(() => a.SwimCounterAsync("probes"), n => n >= probesBefore + ProbesWhileCut,
                $"{a.Id} to probe {ProbesWhileCut} times while it cannot hear {b.Id}", NetnsNode.ProcessWait);
            var suspicions = await cluster.SumCounterAsync("suspicions") - suspicionsBefore;
            var indirect = await a.SwimCounterAsync("indirect_probes") - indirectBefore;

            Bed.Heal(a.Host, b.Host);
            var clock = Stopwatch.StartNew();
            await cluster.WaitAllSeeAllAliveAsync(2 * pushPull);
            Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"while cut: {suspicions} suspicions (alive -> suspect), {indirect} indirect probes sent by {a.Id}; all alive everywhere {clock.Elapsed.TotalSeconds:0.0} s after the heal (bound {2 * pushPull.TotalSeconds:0} s); {cluster.Watch.Polls} polls of /swim/members"));

            Assert.True(indirect > 0, $"{a.Id} never needed an indirect probe: was the cut in force?");
            Assert.True(cluster.Watch.FalseDeaths.IsEmpty, $"live nodes marked dead: {cluster.Watch.Describe()}");
            Assert.True(suspicions <= MaxSuspicions, $"{suspicions} suspicions while the cut lasted (bound {MaxSuspicions}): suspicion flapped");
            Assert.True(cluster.Watch.Polls >= Nodes, $"only {cluster.Watch.Polls} polls of /swim/members succeeded");
        });
    }

    /// <summary>
    /// The one-way cut at its widest: node A can send to every other node and hears none. The others rightly mark
    /// A dead (their pings never reach it) and A marks them all dead (no ack reaches it), gossiping its
    /// suspicions and dead marks to them all the while; each accused node refutes with a higher incarnation,
    /// which A never hears but the others do, so A's dead marks arrive stale (SWIM §4.2) and no node other than A
    /// is marked dead by anyone but A. After the heal A's next push-pull (dead members stay push-pull candidates)
    /// tells it of its own death and of everyone's newer incarnation: everyone alive everywhere within two periods.
    /// </summary>
    [Fact]
    public async Task NodeThatHearsNobody_NoOtherNodeIsMarkedDead_ThenAfterTheHealEveryoneIsAliveEverywhereWithinTwoPushPullPeriods()
    {
        await WithClusterAsync(async cluster =>
        {
            var deaf = cluster[0];
            var others = cluster.Live.Where(n => n != deaf).ToList();
            var pushPull = await deaf.SwimPushPullIntervalAsync();
            cluster.ExpectCutOff(deaf);
            foreach (var other in others) Bed.Block(other.Host, deaf.Host);

            await Eventually.Until(deaf.SwimMembersAsync, m => others.All(o => m[o.Id].State == "dead"),
                $"{deaf.Id}, hearing nobody, to mark every other node dead", NetnsNode.ProcessWait);
            foreach (var other in others)
            {
                await Eventually.Until(other.SwimMembersAsync, m => m[deaf.Id].State == "dead", $"{other.Id} to mark {deaf.Id} dead", NetnsNode.ProcessWait);
            }

            Bed.HealAll();
            var clock = Stopwatch.StartNew();
            await cluster.WaitAllSeeAllAliveAsync(2 * pushPull);
            Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"all alive everywhere {clock.Elapsed.TotalSeconds:0.0} s after the heal (bound {2 * pushPull.TotalSeconds:0} s); {cluster.Watch.Polls} polls of /swim/members"));
            Assert.True(cluster.Watch.FalseDeaths.IsEmpty, $"nodes other than {deaf.Id} marked dead by others than {deaf.Id}: {cluster.Watch.Describe()}");
            Assert.True(cluster.Watch.Polls >= Nodes, $"only {cluster.Watch.Polls} polls of /swim/members succeeded");
        });
    }
}
