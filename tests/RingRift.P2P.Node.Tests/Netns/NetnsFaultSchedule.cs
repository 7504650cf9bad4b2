using System.Globalization;
using RingRift.P2P.Testing.Netns;

namespace RingRift.P2P.Node.Tests.Netns;

/// <summary>
/// One seeded random fault schedule on a <see cref="NetnsCluster"/>: one to three faults drawn from a
/// mix, each aimed at the leader or another node with equal odds, held 0.3–1.2 s (pacing, not a wait for
/// anything), some overlapping. Whatever happens it ends healed, with every restart done and every
/// flapping link stopped. Returns what it did, for the failure message.
/// </summary>
public static class NetnsFaultSchedule
{
    /// <summary>A fault a schedule can apply.</summary>
    public enum Fault
    {
        /// <summary>kill -9, started again after the hold.</summary>
        Kill,

        /// <summary>SIGTERM (a graceful stop), started again after the hold.</summary>
        GracefulRestart,

        /// <summary>Every link of the node cut both ways.</summary>
        Isolate,

        /// <summary>Everything the node sends to one other node dropped; the other way works.</summary>
        OneWay,

        /// <summary>The node and possibly one more cut off from the rest, both ways.</summary>
        TwoWay,

        /// <summary>10–40 % of what the node sends to other nodes lost.</summary>
        Loss,

        /// <summary>The link between the node and one other cut and healed every 150–400 ms.</summary>
        Flap,

        /// <summary>Nothing for a while.</summary>
        Pause,
    }

    /// <summary>Bully's mix: kills, graceful restarts and partitions (the issue's schedule for the default mode).</summary>
    public static readonly IReadOnlyList<Fault> BullyMix = [Fault.Kill, Fault.GracefulRestart, Fault.Isolate, Fault.OneWay, Fault.TwoWay, Fault.Pause];

    /// <summary>Raft's mix: namespace faults only (loss, one-way and two-way cuts, isolation, a flapping link).</summary>
    public static readonly IReadOnlyList<Fault> RaftMix = [Fault.Loss, Fault.OneWay, Fault.TwoWay, Fault.Isolate, Fault.Flap, Fault.Pause];

    public static async Task<string> RunAsync(Random random, NetnsCluster cluster, string leader, IReadOnlyList<Fault> mix)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(mix);
        var bed = cluster.Bed;
        var hosts = bed.Hosts;
        var leaderIndex = NetnsCluster.IndexOf(leader);
        var steps = new List<string>();
        var restarts = new List<Task>();
        var flaps = new List<NetnsFlap>();
        try
        {
            var faults = random.Next(1, 4);
            for (var f = 0; f < faults; f++)
            {
                var target = random.Next(2) == 0 ? leaderIndex : Other(random, hosts.Count, leaderIndex);
                var host = hosts[target];
                var hold = TimeSpan.FromMilliseconds(random.Next(300, 1200));
                var name = $"node-{target + 1}";
                switch (mix[random.Next(mix.Count)])
                {
                    case Fault.Kill:
                        steps.Add($"kill -9 {name}");
                        restarts.Add(cluster.RestartAsync(target, hold, graceful: false));
                        break;
                    case Fault.GracefulRestart:
                        steps.Add($"SIGTERM+restart {name}");
                        restarts.Add(cluster.RestartAsync(target, hold, graceful: true));
                        break;
                    case Fault.Isolate:
                        steps.Add($"isolate {name}");
                        bed.Partition([host]);
                        break;
                    case Fault.OneWay:
                        var to = Other(random, hosts.Count, target);
                        steps.Add($"one-way {name}->node-{to + 1}");
                        bed.Block(host, hosts[to]);
                        break;
                    case Fault.TwoWay:
                        List<NetnsHost> side = random.Next(2) == 0 ? [host] : [host, hosts[Other(random, hosts.Count, target)]];
                        steps.Add($"partition {string.Join("+", side.Select(h => $"node-{h.Index}"))} | rest");
                        bed.Partition(side);
                        break;
                    case Fault.Loss:
                        var percent = random.Next(10, 41);
                        steps.Add(string.Create(CultureInfo.InvariantCulture, $"{percent} % loss from {name}"));
                        bed.SetLoss(host, percent);
                        break;
                    case Fault.Flap:
                        var peer = Other(random, hosts.Count, target);
                        var period = TimeSpan.FromMilliseconds(random.Next(150, 401));
                        steps.Add(string.Create(CultureInfo.InvariantCulture, $"flap {name}<->node-{peer + 1} every {period.TotalMilliseconds:0} ms"));
                        flaps.Add(bed.Flap(host, hosts[peer], period));
                        break;
                    default:
                        steps.Add("pause");
                        break;
                }
                await Task.Delay(hold / (random.Next(2) + 1));
            }
            await Task.Delay(TimeSpan.FromMilliseconds(random.Next(300, 900)));
        }
        finally
        {
            foreach (var flap in flaps) flap.Dispose();
            bed.HealAll();
            await Task.WhenAll(restarts);
        }
        return string.Join(", ", steps);
    }

    /// <summary>A random index of <paramref name="count"/> other than <paramref name="not"/>.</summary>
    private static int Other(Random random, int count, int not)
    {
        var other = random.Next(count - 1);
        return other >= not ? other + 1 : other;
    }
}
