using System.Globalization;
using RingRift.P2P.Node.Tests.Cluster;
using RingRift.P2P.Testing.History;
using RingRift.P2P.Testing.Netns;
using RingRift.P2P.Testing.Waiting;
using Xunit.Abstractions;

namespace RingRift.P2P.Node.Tests.Netns;

/// <summary>
/// Bully with the quorum SQLite queue (the default mode), five node processes in five network
/// namespaces, all five voters, eight clients adding, claiming, completing and failing work throughout.
/// The leader and one voter are cut off from the other three (a two-way cut between the groups): the
/// old leader stops acting before the majority's new leader acts, which every node's <c>/status</c>,
/// read every 50 ms over the bridge, must show; after the heal the majority's leader keeps leading at its epoch
/// for two leases with the old leader back (a lease in force is not preempted), it serves, and the history
/// checker finds nothing acknowledged lost or handed out twice. Trait <c>Category=Netns</c>.
/// </summary>
[Collection(NetnsCollection.Name)]
[Trait("Category", NetnsTestBed.Category)]
public sealed class BullyPartitionNetnsTests(ITestOutputHelper output) : IDisposable
{
    private const int Nodes = 5;
    private static readonly double Lease = double.Parse(NetnsCluster.BullyTimings["RINGRIFT_P2P_LEADER_LEASE"]!, CultureInfo.InvariantCulture);
    private readonly NetnsCluster _cluster = NetnsCluster.StartBully(Nodes);

    public void Dispose() => _cluster.Dispose();

    [Fact]
    public async Task LeaderAndOneVoterCutOff_OldLeaderStopsActingBeforeTheMajoritysLeaderActs_AndAfterTheHealOneLeaderLosesNothing()
    {
        await _cluster.WaitUntilServingAsync();
        var oldLeader = await _cluster.WaitForLeaderAsync(); // node-5 when the nodes settled together, else the node that led first
        var cut = new[] { NetnsCluster.IndexOf(oldLeader), oldLeader == "node-1" ? 1 : 0 }; // the leader and node-1 (node-2 if node-1 leads)
        var workload = new HistoryWorkload(() => _cluster.Live.Select(n => n.Url).ToList(), seed: 16, HistoryWorkload.QueueKind.QuorumSqlite);
        using var sampler = new LeaderStatusSampler(Enumerable.Range(0, Nodes).Select(i => (Func<NetnsNode>)(() => _cluster.Nodes[i])).ToList());
        using var stop = new CancellationTokenSource();
        var clients = workload.RunAsync(8, stop.Token);
        var minority = cut.Select(i => _cluster.Bed.Hosts[i]).ToArray();
        var majority = Enumerable.Range(0, Nodes).Except(cut).Select(i => $"node-{i + 1}").ToArray();
        ActingRun oldRun, newRun;
        string healed;
        try
        {
            await Eventually.Until(() => workload.OkClaims, n => n >= 10, "10 acknowledged claims before the cut", NetnsNode.ProcessWait);
            var before = await Eventually.Until(() => Task.FromResult(sampler.Timeline()), t => t.Runs.Any(r => r.Node == oldLeader),
                $"a sample of {oldLeader} acting", NetnsNode.ProcessWait);
            var oldEpoch = before.Runs.Last(r => r.Node == oldLeader).Epoch;

            _cluster.Bed.Partition(minority);
            var split = await Eventually.Until(() => Task.FromResult(sampler.Timeline()), t => t.Runs.Any(r => majority.Contains(r.Node) && r.Epoch > oldEpoch),
                $"a leader of {string.Join(", ", majority)} acting above epoch {oldEpoch}", NetnsNode.ProcessWait);
            newRun = split.Runs.First(r => majority.Contains(r.Node) && r.Epoch > oldEpoch);

            // The old leader's lease is final once it stops acting; one that ends past the new leader's first acting sample fails at once.
            ActingRun OldRun(ActingLeaderTimeline t) => t.Runs.Where(r => r.Node == oldLeader && r.Epoch == oldEpoch).MaxBy(r => r.LeaseEnd)!;
            var settled = await Eventually.Until(() => Task.FromResult(sampler.Timeline()),
                t => t.Latest(oldLeader) is { Acting: false } || OldRun(t).LeaseEnd >= newRun.FirstAt,
                $"{oldLeader}, cut off with two voters of five, to stop acting at epoch {oldEpoch}", NetnsNode.ProcessWait);
            oldRun = OldRun(settled);

            // Cut off with one voter, the old leader can renew with two grants of five at most: it acts until its
            // lease ends at the latest. That end must come before the first instant the new leader was seen acting.
            Assert.True(oldRun.LeaseEnd < newRun.FirstAt, string.Create(CultureInfo.InvariantCulture,
                $"two acting leaders: {oldLeader}'s lease (epoch {oldRun.Epoch}) ran until {oldRun.LeaseEnd:0.000} but {newRun.Node} acted at epoch {newRun.Epoch} from {newRun.FirstAt:0.000}"));

            var claimsOnTheMajority = workload.OkClaims;
            await Eventually.Until(() => workload.OkClaims, n => n >= claimsOnTheMajority + 5,
                $"5 acknowledged claims served by {newRun.Node} (from {claimsOnTheMajority})", NetnsNode.ProcessWait);

            _cluster.Bed.HealAll();
            var healedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0; // the samples' clock: the nodes' timestamps (one kernel clock)
            healed = await _cluster.WaitForLeaderAsync();
            var claimsAfterHeal = workload.OkClaims;
            await Eventually.Until(() => workload.OkClaims, n => n >= claimsAfterHeal + 10,
                $"10 acknowledged claims after the heal (from {claimsAfterHeal})", NetnsNode.ProcessWait);

            // Sticky leadership: the old leader is back with the majority, yet the new leader acts on at its epoch for
            // two leases past the heal, and no other node acts after the heal (before, the higher node took over).
            bool Moved(ActingLeaderTimeline t) => t.Runs.Any(r => r.LastAt > healedAt && (r.Node != newRun.Node || r.Epoch != newRun.Epoch));
            var sticky = await Eventually.Until(() => Task.FromResult(sampler.Timeline()),
                t => Moved(t) || t.Latest(newRun.Node) is { Acting: true } s && s.Epoch == newRun.Epoch && s.From >= healedAt + 2 * Lease,
                $"{newRun.Node} acting at epoch {newRun.Epoch} two leases after the heal", NetnsNode.ProcessWait);
            Assert.False(Moved(sticky), $"leadership moved after the heal: {sticky}");
            Assert.Equal(newRun.Node, healed);
        }
        catch (WaitTimedOutException e)
        {
            throw new WaitTimedOutException($"{e.Message}\n{_cluster.LogTails()}");
        }
        finally
        {
            await stop.CancelAsync();
            await clients;
            await sampler.StopAsync();
        }

        var timeline = sampler.Timeline();
        // The new leader began acting after its last non-acting sample and at or before its first acting one.
        var ordering = newRun.PreviousAt is { } previous && oldRun.LeaseEnd <= previous
            ? "the samples order them fully (the old lease ended before the new leader's last non-acting sample)"
            : string.Create(CultureInfo.InvariantCulture, $"an overlap shorter than {(newRun.FirstAt - oldRun.LeaseEnd) * 1000:0} ms would be unseen");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{oldLeader} (epoch {oldRun.Epoch}) last acted at {oldRun.LastAt:0.000}, lease end {oldRun.LeaseEnd:0.000}; {newRun.Node} (epoch {newRun.Epoch}) "
            + $"not acting at {newRun.PreviousAt:0.000}, acting at {newRun.FirstAt:0.000}: the old lease ended {(newRun.FirstAt - oldRun.LeaseEnd) * 1000:0} ms "
            + $"before the new leader's first acting sample; {ordering}"));
        output.WriteLine($"{sampler.Samples.Count} samples ({string.Join(", ", Enumerable.Range(1, Nodes).Select(i => $"node-{i} {timeline.SamplesOf($"node-{i}")}"))}), "
            + $"{sampler.Missed} reads unanswered; {timeline.Runs.Count} acting runs; {timeline.Unresolved.Count} hand-overs inside one sampling gap; after the heal {healed} leads on");

        Assert.True(timeline.Overlaps.Count == 0, "two acting leaders at once:\n" + string.Join("\n", timeline.Overlaps.Take(20)));
        Assert.True(timeline.SharedEpochs.Count == 0, string.Join("\n", timeline.SharedEpochs));
        Assert.True(Enumerable.Range(1, Nodes).All(i => timeline.SamplesOf($"node-{i}") >= 20), "too few samples of some node to judge");

        var items = await FinalQueue.ReadAsync(_cluster.LeaderUrlAsync, NetnsNode.ProcessWait);
        var report = HistoryChecker.Check(workload.History, items);
        output.WriteLine(report.ToString());
        Assert.True(report.IsValid, $"{report}\n{workload.History.ToJsonLines()[..Math.Min(20000, workload.History.ToJsonLines().Length)]}");
        Assert.True(report.OkClaims > 20 && report.OkCompletions > 5, $"too little work happened: {report}");
    }
}
