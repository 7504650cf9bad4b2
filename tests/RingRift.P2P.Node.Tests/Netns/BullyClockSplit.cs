using System.Globalization;
using RingRift.P2P.Testing.Clocks;
using RingRift.P2P.Testing.Netns;
using RingRift.P2P.Testing.Waiting;

namespace RingRift.P2P.Node.Tests.Netns;

/// <summary>
/// One split of a five-node Bully cluster (node-5 leading) under a <see cref="ClockFault"/>, with node-2 as the
/// voter whose grant decides: first a bridge — node-5 and node-1 on one side, node-3 and node-4 on the other,
/// node-2 reaching both — held for one lease, so node-3's and node-4's grants to node-5 have ended while node-5
/// renews with node-1 and node-2 (three of five); then node-5 loses node-2 as well. node-4 can lead the other
/// side (node-2, -3, -4) only once node-2's grant to node-5 has ended, and node-5 may act only until its own
/// lease ends: on true clocks the safety margin (a tenth of the lease) lies between the two. A wall clock
/// stepped on node-2 at that moment would, timed on the wall clock, end node-2's grant at once (+1 h) or an hour
/// late (-1 h); on node-5, make it act for an hour (-1 h). Every node's <c>/status</c> is sampled on the
/// observer's clock; node-5's lease must end before node-4 is first seen acting. Then the cluster heals, the
/// fault is undone and node-5 leads again.
/// </summary>
public sealed class BullyClockSplit(NetnsCluster cluster, LeaderStatusSampler sampler, IReadOnlyDictionary<int, FaketimeClock> clocks)
{
    private const int Leader = 4, WithLeader = 0, Bridge = 1, WithNew = 2, NewLeader = 3;
    private static readonly string[] OtherSide = ["node-2", "node-3", "node-4"];

    /// <summary>Runs the split under <paramref name="fault"/>; returns one line on what the samples showed.</summary>
    public async Task<string> RunAsync(ClockFault fault, TimeSpan lease)
    {
        ArgumentNullException.ThrowIfNull(fault);
        var bed = cluster.Bed;
        var hosts = bed.Hosts;
        var target = cluster.Nodes[fault.Node];
        var clock = clocks[fault.Node];
        await cluster.WaitForLeaderAsync("node-5");

        string clockCheck = "";
        NodeClockReading? rateStart = null;
        if (fault.Rate is { } rate)
        {
            clock.SetRate(rate);
            rateStart = await NodeClockReading.ReadAsync(target, () => sampler.Now);
        }

        foreach (var (a, b) in new[] { (Leader, NewLeader), (Leader, WithNew), (WithLeader, NewLeader), (WithLeader, WithNew) }) bed.Partition(hosts[a], hosts[b]);
        var bridgedAt = sampler.Now;
        // node-5 reaches node-3 and node-4 no more: their last grants to it end within one lease of the bridge.
        // Waiting that long is the condition itself (a grant lasts exactly one lease), not a guess at one.
        var heldUntil = bridgedAt + lease.TotalSeconds + 0.5;
        await Task.Delay(TimeSpan.FromSeconds(Math.Max(0, heldUntil - sampler.Now)));

        if (rateStart is not null)
        {
            // Set before the bridge, so every lease and grant timed from node-5's last renewals ran at this rate.
            var now = await NodeClockReading.ReadAsync(target, () => sampler.Now);
            var measured = now.MonotonicRateSince(rateStart);
            Assert.True(Math.Abs(measured - fault.Rate!.Value) <= 0.03, string.Create(CultureInfo.InvariantCulture,
                $"{target.Id}'s monotonic clock ran at {measured:0.000}x over {now.ObserverAt - rateStart.ObserverAt:0.0} s, not {fault.Rate}x: is libfaketime in force?"));
            clockCheck = string.Create(CultureInfo.InvariantCulture, $"monotonic clock measured at {measured:0.000}x");
        }

        var before = await Eventually.Until(() => Task.FromResult(sampler.Timeline()), t => t.Latest("node-5") is { Acting: true },
            "node-5 acting across the bridge (node-1 and node-2 grant it)", NetnsNode.ProcessWait);
        var oldEpoch = before.Latest("node-5")!.Epoch;
        bed.Partition(hosts[Leader], hosts[Bridge]);

        if (fault.Step is { } step)
        {
            var start = await NodeClockReading.ReadAsync(target, () => sampler.Now);
            clock.StepWallClock(step);
            var stepped = await NodeClockReading.WaitForWallOffsetAsync(target, () => sampler.Now, step, TimeSpan.FromSeconds(2));
            var monotonicJump = (stepped.NodeUptime - start.NodeUptime) - (stepped.ObserverAt - start.ObserverAt);
            Assert.True(Math.Abs(monotonicJump) <= 0.5, $"{target.Id}'s monotonic clock moved with its wall clock: {start} then {stepped}");
            clockCheck = string.Create(CultureInfo.InvariantCulture, $"wall clock {stepped.WallOffset:+0.0;-0.0} s off, monotonic clock within {Math.Abs(monotonicJump) * 1000:0} ms");
        }

        var split = await Eventually.Until(() => Task.FromResult(sampler.Timeline()), t => t.Runs.Any(r => OtherSide.Contains(r.Node) && r.Epoch > oldEpoch),
            $"a leader of node-2, -3, -4 acting above epoch {oldEpoch} ({fault})", NetnsNode.ProcessWait);
        var newRun = split.Runs.First(r => OtherSide.Contains(r.Node) && r.Epoch > oldEpoch);

        // node-5's last leadership before the new leader was seen: final once node-5 stops acting; one whose lease
        // runs past the new leader's first acting sample fails at once.
        ActingRun? OldRun(ActingLeaderTimeline t) => t.Runs.LastOrDefault(r => r.Node == "node-5" && r.FirstAt < newRun.FirstAt);
        var settled = await Eventually.Until(() => Task.FromResult(sampler.Timeline()),
            t => t.Latest("node-5") is { Acting: false } || OldRun(t) is { } run && run.LeaseEnd >= newRun.FirstAt,
            $"node-5, cut off with node-1, to stop acting ({fault})", NetnsNode.ProcessWait);
        var oldRun = OldRun(settled) ?? throw new InvalidOperationException($"node-5 was never seen acting before {newRun.Node} ({fault})");
        Assert.True(oldRun.LeaseEnd < newRun.FirstAt, string.Create(CultureInfo.InvariantCulture,
            $"two acting leaders with {fault}: node-5's lease (epoch {oldRun.Epoch}) ran until {oldRun.LeaseEnd:0.000} but {newRun.Node} acted at epoch {newRun.Epoch} from {newRun.FirstAt:0.000}"));

        bed.HealAll();
        if (fault.Step is not null)
        {
            clock.StepWallClock(TimeSpan.Zero);
            await NodeClockReading.WaitForWallOffsetAsync(target, () => sampler.Now, TimeSpan.Zero, TimeSpan.FromSeconds(2));
        }
        else
        {
            clock.SetRate(1);
        }
        await cluster.WaitForLeaderAsync("node-5");

        var ordering = newRun.PreviousAt is { } previous && oldRun.LeaseEnd <= previous ? "; before its last idle sample too" : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"{fault} ({clockCheck}): node-5's lease (epoch {oldRun.Epoch}) ended by {oldRun.LeaseEnd:0.000} s, {(newRun.FirstAt - oldRun.LeaseEnd) * 1000:0} ms "
            + $"before {newRun.Node} was first seen acting (epoch {newRun.Epoch}, {newRun.FirstAt - bridgedAt:0.0} s after the bridge){ordering}");
    }
}
