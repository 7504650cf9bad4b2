using System.Diagnostics;
using RingRift.P2P.Testing.History;

namespace RingRift.P2P.Bench;

/// <summary>
/// One line per minute of a soak run: acknowledged adds, claims and completions per second over the minute,
/// the leader's queue size and how many finished items it has pruned since it started, the faults, and each node process read from <c>/proc</c> at the minute's end
/// (resident memory, open file descriptors, threads, pid and uptime; a node that is down then reads as down).
/// </summary>
public sealed class SoakMinutes(SoakCluster cluster, SoakMode mode, WorkHistory history, long startTicks, SoakEvents events, SoakOutput output)
{
    private readonly List<MinuteReadings> _minutes = [];

    /// <summary>Every minute's node readings so far, in order.</summary>
    public IReadOnlyList<MinuteReadings> Minutes => _minutes;

    /// <summary>Writes a line at the end of every minute, and one for the last part minute, until <paramref name="end"/> (seconds from the start).</summary>
    public async Task RunAsync(double end, CancellationToken ct)
    {
        for (var minute = 1; (minute - 1) * 60 < end; minute++)
        {
            var from = (minute - 1) * 60.0;
            var to = Math.Min(minute * 60.0, end);
            var wait = to - SoakThroughput.Seconds(Stopwatch.GetTimestamp(), startTicks);
            if (wait > 0) await Task.Delay(TimeSpan.FromSeconds(wait), ct);

            var readings = Enumerable.Range(0, SoakCluster.Size).Select(cluster.Read).ToList();
            var leader = await cluster.StableLeaderAsync(ct);
            var items = leader is { } l ? await cluster.QueueTotalAsync(l, ct) : null;
            var pruned = leader is { } p ? await cluster.PrunedAsync(p, ct) : null;
            var ops = SoakThroughput.Of(history.Operations, startTicks);
            _minutes.Add(new MinuteReadings(minute, readings, leader));
            output.Write(new
            {
                bench = "soak_minute",
                mode = mode.ToString().ToLowerInvariant(),
                minute,
                seconds = Math.Round(to - from, 1),
                adds_per_s = Math.Round(SoakThroughput.Rate(ops.Adds, from, to), 1),
                claims_per_s = Math.Round(SoakThroughput.Rate(ops.Claims, from, to), 1),
                completions_per_s = Math.Round(SoakThroughput.Rate(ops.Completions, from, to), 1),
                leader = leader is { } index ? SoakCluster.IdOf(index) : null,
                queue_items = items,
                leader_pruned = pruned,
                events = events.Between(from, to),
                nodes = Enumerable.Range(0, SoakCluster.Size).Select(i => readings[i] is { } r
                    ? (object)new { node = r.Node, pid = r.Pid, rss_mb = Math.Round(r.RssMb, 1), fds = r.Fds, threads = r.Threads, uptime_s = Math.Round(r.UptimeSeconds, 0) }
                    : new { node = SoakCluster.IdOf(i), down = true }).ToList(),
            });
        }
    }
}
