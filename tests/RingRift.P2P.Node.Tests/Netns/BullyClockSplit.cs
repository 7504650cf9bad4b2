using System.Globalization;
using RingRift.P2P.Testing.Clocks;
using RingRift.P2P.Testing.Netns;
using RingRift.P2P.Testing.Waiting;

namespace RingRift.P2P.Node.Tests.Netns;

/// <summary>
/// One split of a five-node Bully cluster (node-5 leading) under a <see cref="ClockFault"/>, made right after
/// one of node-5's renewals (the most lease it ever has left when it loses its majority), leaving node-5 with
/// node-1 and handing the other three to node-4: node-4 can lead them only once their grants to node-5 have
/// ended, and node-5 may act only until its own lease ends; on true clocks the safety margin (a tenth of the
/// lease) lies between the two. A fault on node-5 comes with a plain split (node-5 and node-1 against the rest).
/// A fault on node-2 makes node-2 the voter whose grant decides: a bridge first — node-5 and node-1 on one side,
/// node-3 and node-4 on the other, node-2 reaching both — held for one lease, so node-3's and node-4's grants to
/// node-5 have ended while node-5 renews with node-1 and node-2 (three of five); then node-5 loses node-2 too.
/// A wall-clock step comes at the split: timed on the wall clock it would end node-2's grant at once (+1 h) or an
/// hour late (-1 h), or make node-5 act for an hour (-1 h). Every node's <c>/status</c> is sampled on the
/// observer's clock; node-5's lease must end before node-4 is first seen acting. Then the cluster heals and the fault
/// is undone; node-4 keeps leading (a lease in force is not preempted) until the next split hands leadership back
/// to node-5 with a graceful restart of the leader (<see cref="NetnsCluster.HandLeadershipToAsync"/>).
/// </summary>
public sealed class BullyClockSplit(NetnsCluster cluster, LeaderStatusSampler sampler, IReadOnlyDictionary<int, FaketimeClock> clocks, TimeSpan lease)
{
    private const int Leader = 4, WithLeader = 0, Bridge = 1, WithNew = 2, NewLeader = 3;
    private static readonly string[] OtherSide = ["node-2", "node-3", "node-4"];

    /// <summary>How long a drifting clock is watched to measure its rate.</summary>
    private static readonly TimeSpan RateWindow = TimeSpan.FromSeconds(3);

    private double Now() => sampler.Now;

    /// <summary>Reads node-5's <c>/status</c> until its lease left grows from one reading to the next: a renewal just succeeded.</summary>
    private async Task<LeaseReading> JustRenewedAsync()
    {
        LeaseReading? last = null;
        return await Eventually.Until(async () =>
        {
            var status = await cluster.Nodes[Leader].GetJsonAsync("/status");
            var reading = new LeaseReading(status["is_leader"]?.GetValue<bool>() == true ? status["lease_remaining_seconds"]?.GetValue<double>() : null,
                status["epoch"]?.GetValue<long>() ?? 0, last?.Left);
            last = reading;
            return reading;
        }, r => r.Left > r.Before + 0.2, "node-5 renewing its lease (lease left growing between two readings)", NetnsNode.ProcessWait);
    }

    /// <summary>node-5's lease left (null: not leading) and epoch, with the lease left of the reading before.</summary>
    private sealed record LeaseReading(double? Left, long Epoch, double? Before);

    /// <summary>Runs the split under <paramref name="fault"/>; returns one line on what the samples showed.</summary>
    public async Task<string> RunAsync(ClockFault fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        await cluster.HandLeadershipToAsync("node-5");
        var (bed, hosts, target, clock) = (cluster.Bed, cluster.Bed.Hosts, cluster.Nodes[fault.Node], clocks[fault.Node]);
        var startedAt = Now();

        NodeClockReading? rateStart = null;
        if (fault.Rate is { } rate)
        {
            clock.SetRate(rate); // from now on: every lease and grant timed from node-5's later renewals runs at this rate
            rateStart = await NodeClockReading.ReadAsync(target, Now);
        }

        var bridged = fault.Node == Bridge;
        if (bridged)
        {
            foreach (var (a, b) in new[] { (Leader, NewLeader), (Leader, WithNew), (WithLeader, NewLeader), (WithLeader, WithNew) }) bed.Partition(hosts[a], hosts[b]);
            // node-5 reaches node-3 and node-4 no more: their last grants to it end within one lease of the bridge.
            // Waiting that long is the condition itself (a grant lasts exactly one lease), not a guess at one.
            await Task.Delay(lease + TimeSpan.FromSeconds(0.5));
        }

        var clockCheck = "";
        if (rateStart is not null)
        {
            await Task.Delay(TimeSpan.FromSeconds(Math.Max(0, rateStart.ObserverAt + RateWindow.TotalSeconds - Now())));
            var now = await NodeClockReading.ReadAsync(target, Now);
            var measured = now.MonotonicRateSince(rateStart);
            Assert.True(Math.Abs(measured - fault.Rate!.Value) <= 0.03, string.Create(CultureInfo.InvariantCulture,
                $"{target.Id}'s monotonic clock ran at {measured:0.000}x over {now.ObserverAt - rateStart.ObserverAt:0.0} s, not {fault.Rate}x: is libfaketime in force?"));
            clockCheck = string.Create(CultureInfo.InvariantCulture, $"monotonic clock measured at {measured:0.000}x");
        }

        var beforeStep = fault.Step is null ? null : await NodeClockReading.ReadAsync(target, Now);
        // Right after a renewal: node-5's lease left jumps up between two readings.
        var renewal = await JustRenewedAsync();
        var oldEpoch = renewal.Epoch;
        var splitAt = Now(); // the rules go in one host at a time (an nft run each): the split is complete a moment later
        if (bridged) bed.Partition(hosts[Leader], hosts[Bridge]);
        else bed.Partition([hosts[Leader], hosts[WithLeader]]);

        if (fault.Step is { } step)
        {
            clock.StepWallClock(step);
            var stepped = await NodeClockReading.WaitForWallOffsetAsync(target, Now, step, TimeSpan.FromSeconds(2));
            var monotonicJump = stepped.MonotonicJumpSince(beforeStep!);
            Assert.True(Math.Abs(monotonicJump) <= 0.5, $"{target.Id}'s monotonic clock moved with its wall clock: {beforeStep} then {stepped}");
            clockCheck = string.Create(CultureInfo.InvariantCulture,
                $"wall clock {stepped.WallOffsetText} off {stepped.ObserverAt - splitAt:0.00} s after the split began, monotonic clock needs no jump beyond {Math.Abs(monotonicJump) * 1000:0} ms to explain the readings");
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
            $"two acting leaders with {fault}: node-5's lease (epoch {oldRun.Epoch}) ran until {oldRun.LeaseEnd:0.000} s at least but {newRun.Node} acted at epoch {newRun.Epoch} from {newRun.FirstAt:0.000} s"));

        bed.HealAll();
        if (fault.Step is not null)
        {
            clock.StepWallClock(TimeSpan.Zero);
            await NodeClockReading.WaitForWallOffsetAsync(target, Now, TimeSpan.Zero, TimeSpan.FromSeconds(2));
        }
        else
        {
            clock.SetRate(1);
        }
        var healed = await cluster.WaitForLeaderAsync();

        var ordering = newRun.PreviousAt is { } previous && oldRun.LeaseEnd <= previous ? "; before its last idle sample too" : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"{fault} ({clockCheck}): split with {renewal.Left:0.00} s of node-5's lease left; it (epoch {oldRun.Epoch}) ended by {oldRun.LeaseEnd - splitAt:0.000} s after the split began, "
            + $"{(newRun.FirstAt - oldRun.LeaseEnd) * 1000:0} ms before {newRun.Node} was first seen acting (epoch {newRun.Epoch}){ordering}; after the heal {healed} leads; phase {Now() - startedAt:0.0} s");
    }
}
