using System.Globalization;
using RingRift.P2P.Testing.Clocks;
using RingRift.P2P.Testing.Netns;
using RingRift.P2P.Testing.Waiting;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace RingRift.P2P.Node.Tests.Netns;

/// <summary>
/// Clock faults on Bully node processes (issue 16 §2, clocks): five nodes with the quorum SQLite queue (the
/// default mode) in five network namespaces, node-5 (the leader) and node-2 (the voter between the two sides of
/// <see cref="BullyClockSplit"/>) started under libfaketime. One node's clock at a time: its wall clock stepped an
/// hour ahead or back (monotonic clock untouched), or both its clocks running 10 % fast or slow — the drift the
/// safety margin (a tenth of the lease) is documented to cover (docs/clocks.md). Each fault is combined with a
/// split, made right after one of node-5's renewals, that leaves node-5 without a majority and hands the other
/// side to node-4 once their grants to node-5 have ended (for a fault on node-2, once node-2's grant alone has).
/// Every node's <c>/status</c> is read every 50 ms and placed on the observer's monotonic clock (the nodes'
/// timestamps are what the faults move): node-5's lease must end before node-4 is first seen acting, and over
/// the whole run no two nodes are proven acting at once and no epoch is led twice.
/// Traits <c>Category=Netns</c> and <c>Category=Faketime</c>.
/// </summary>
[Collection(NetnsCollection.Name)]
[Trait("Category", NetnsTestBed.Category)]
[Trait("Category", FaketimeClock.Category)]
public sealed class BullyClockNetnsTests(ITestOutputHelper output) : IDisposable
{
    private const int Nodes = 5;
    private const int Leader = 4, Voter = 1;
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(double.Parse(NetnsCluster.BullyTimings["RINGRIFT_P2P_LEADER_LEASE"]!, CultureInfo.InvariantCulture));
    private readonly string _clockDir = Directory.CreateTempSubdirectory("ringrift-faketime-").FullName;
    private NetnsCluster? _cluster;

    public void Dispose()
    {
        _cluster?.Dispose();
        if (_cluster is not null) FaketimeClock.RemoveLeftovers(_cluster.ProcessIds);
        try { Directory.Delete(_clockDir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    [Fact]
    public Task WallClockStepsOfAnHour_OnTheLeaderOrOnTheDecidingVoter_NeverGiveTwoLeaders() => RunAsync(
        FaketimeClock.ForWallSteps,
        ObserverTiming.TrueClocks(Lease), // a wall-clock step leaves every monotonic clock on the kernel's
        [
            ClockFault.StepBy(Leader, TimeSpan.FromHours(-1)), // timed on the wall clock: node-5 would act an hour longer
            ClockFault.StepBy(Leader, TimeSpan.FromHours(1)),
            ClockFault.StepBy(Voter, TimeSpan.FromHours(1)), // timed on the wall clock: node-2 would end node-5's grant at once
            ClockFault.StepBy(Voter, TimeSpan.FromHours(-1)), // timed on the wall clock: node-2 would keep it an hour, node-4 never lead
        ]);

    [Fact]
    public Task ClocksTenPercentFastOrSlow_OnTheLeaderOrOnTheDecidingVoter_NeverGiveTwoLeaders() => RunAsync(
        FaketimeClock.ForDrift,
        new ObserverTiming(Lease, node => node is "node-5" or "node-2" ? (0.9, 1.1) : (1, 1)),
        [
            ClockFault.RunAt(Leader, 0.9), // slow leader: acts until a full lease of real time, the margin's limit
            ClockFault.RunAt(Voter, 1.1), // fast voter: its grant ends after 0.91 lease, node-5's lease after 0.9
            ClockFault.RunAt(Leader, 1.1),
            ClockFault.RunAt(Voter, 0.9),
        ]);

    private async Task RunAsync(Func<string, FaketimeClock> clockOf, ObserverTiming timing, IReadOnlyList<ClockFault> faults)
    {
        var clocks = new Dictionary<int, FaketimeClock>
        {
            [Leader] = clockOf(Path.Combine(_clockDir, "node-5")),
            [Voter] = clockOf(Path.Combine(_clockDir, "node-2")),
        };
        _cluster = NetnsCluster.StartBully(Nodes, clocks.ToDictionary(c => c.Key, c => c.Value.Environment));
        await _cluster.WaitUntilServingAsync();
        await _cluster.HandLeadershipToAsync("node-5"); // the highest id leads when the nodes settle together; else it is handed over
        using var sampler = new LeaderStatusSampler(Enumerable.Range(0, Nodes).Select(i => (Func<NetnsNode>)(() => _cluster.Nodes[i])).ToList(), timing);
        var split = new BullyClockSplit(_cluster, sampler, clocks, Lease);
        try
        {
            foreach (var fault in faults) output.WriteLine(await split.RunAsync(fault));
        }
        catch (Exception e) when (e is WaitTimedOutException or XunitException)
        {
            throw new XunitException($"{e.Message}\n{_cluster.LogTails()}");
        }
        finally
        {
            await sampler.StopAsync();
        }

        var timeline = sampler.Timeline();
        output.WriteLine($"{sampler.Samples.Count} samples ({string.Join(", ", Enumerable.Range(1, Nodes).Select(i => $"node-{i} {timeline.SamplesOf($"node-{i}")}"))}), "
            + $"{sampler.Missed} reads unanswered; {timeline.Runs.Count} acting runs; {timeline.Unresolved.Count} hand-overs inside one sampling gap");
        Assert.True(timeline.Overlaps.Count == 0, "two acting leaders at once:\n" + string.Join("\n", timeline.Overlaps.Take(20)));
        Assert.True(timeline.SharedEpochs.Count == 0, string.Join("\n", timeline.SharedEpochs));
        Assert.True(Enumerable.Range(1, Nodes).All(i => timeline.SamplesOf($"node-{i}") >= 20), "too few samples of some node to judge");
    }
}
