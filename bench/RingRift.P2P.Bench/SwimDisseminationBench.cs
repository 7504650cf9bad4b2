using System.Diagnostics;
using System.Text.Json;
using RingRift.P2P.Swim;
using RingRift.P2P.Testing.Simulation;

namespace RingRift.P2P.Bench;

/// <summary>
/// <c>swim-dissemination</c>: how long a membership change takes to reach (almost) every member, on the
/// deterministic simulator (virtual time, real <see cref="SwimNode"/>s, links 1–3 ms with
/// <c>--loss</c> datagram loss).
/// </summary>
/// <remarks>
/// <para>The change is a graceful leave (SWIM §4.1 infection-style dissemination of a membership
/// update; memberlist's "leave" broadcast): one random live node calls <see cref="SwimNode.Leave"/>, which
/// marks itself Left and gossips the Leave at once; from then on only the gossip rounds and the
/// piggybacking of the other members carry it. The figure per trial is the time from the Leave until
/// <c>ceil(--fraction × observers)</c> of the other live nodes have raised
/// <see cref="SwimNode.MemberLeft"/> for it (for 511 observers and 0.9999 that is all 511). Times come
/// from the recorded event instants, so they are exact to the tick, not to the polling step.</para>
/// <para>Cluster reuse: one converged cluster serves <c>--per-cluster</c> trials (default 50, so a 512-node cluster ends at 463 live nodes, under 10 % fewer) with a
/// different origin each time, then a fresh one is built (seed derived from <c>--seed</c> and the cluster
/// number). Each leaver keeps gossiping for <c>GossipInterval × RetransmitLimit</c> (what
/// <see cref="SwimNode.LeaveAsync"/> waits) and is then stopped and its host crashed; it is never an
/// origin or an observer again. So a cluster shrinks from N to N − per-cluster + 1 live nodes; the JSON
/// reports the smallest observer count. Trials start at a random phase (0–1 s after the previous one).</para>
/// <para>Options: <c>--nodes</c> (512), <c>--trials</c> (50), <c>--per-cluster</c> (50), <c>--loss</c>
/// (0.05), <c>--fraction</c> (0.9999), <c>--preset</c> default|seed|lan, <c>--seed</c> (1),
/// <c>--per-trial</c> (one JSON line per trial as well).</para>
/// </remarks>
public static class SwimDisseminationBench
{
    private static readonly TimeSpan ConvergeTimeout = TimeSpan.FromSeconds(300);
    private static readonly TimeSpan TrialTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan PollStep = TimeSpan.FromMilliseconds(50);

    public static Task<int> RunAsync(string[] args, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        SwimConfig config = SwimBenchOptions.Preset(args, out string preset);
        int nodes = SwimBenchOptions.Int(args, "--nodes", 512, 3);
        int trials = SwimBenchOptions.Int(args, "--trials", 50, 1);
        int perCluster = SwimBenchOptions.Int(args, "--per-cluster", 50, 1);
        int seed = SwimBenchOptions.Int(args, "--seed", 1, int.MinValue);
        double loss = SwimBenchOptions.Loss(args);
        double fraction = SwimBenchOptions.Number(args, "--fraction", 0.9999, 0);
        bool perTrial = SwimBenchOptions.Flag(args, "--per-trial");
        if (fraction is <= 0 or > 1)
        {
            throw new ArgumentException($"--fraction is {fraction}; allowed: a number in (0, 1].");
        }

        if (perCluster > nodes - 2)
        {
            throw new ArgumentException($"--per-cluster is {perCluster}; allowed: 1..{nodes - 2} for --nodes {nodes} (each trial retires its origin).");
        }

        var link = new LinkProfile { Loss = loss, Latency = TimeSpan.FromMilliseconds(1), Jitter = TimeSpan.FromMilliseconds(2) };
        var watch = Stopwatch.StartNew();
        var reach = new List<double>();
        var half = new List<double>();
        int undisseminated = 0, notConverged = 0, falsePositives = 0, clusters = 0, minObservers = int.MaxValue;
        long suspectEvents = 0;
        double convergeSum = 0;
        for (int done = 0; done < trials; clusters++)
        {
            int batch = Math.Min(perCluster, trials - done);
            var cluster = new SwimSimCluster(nodes, SimScenario.DeriveSeed(seed, clusters), config, link);
            TimeSpan? converged = cluster.StartAndConverge(ConvergeTimeout);
            if (converged is null)
            {
                notConverged++;
                undisseminated += batch;
                done += batch;
                continue;
            }

            convergeSum += converged.Value.TotalSeconds;
            var random = new Random(SimScenario.DeriveSeed(seed, 1_000_000 + clusters));
            var retired = new HashSet<int>();
            for (int t = 0; t < batch; t++, done++)
            {
                Trial result = RunTrial(cluster, random, retired, fraction);
                minObservers = Math.Min(minObservers, result.Observers);
                if (result.Reach is { } r)
                {
                    reach.Add(r);
                    half.Add(result.Half!.Value);
                }
                else
                {
                    undisseminated++;
                }

                if (perTrial)
                {
                    output.WriteLine(JsonSerializer.Serialize(new
                    {
                        bench = "swim_dissemination_trial",
                        trial = done + 1,
                        cluster = clusters,
                        origin = SwimSimCluster.NodeId(result.Origin),
                        observers = result.Observers,
                        reached = result.Reached,
                        reach_s = SwimBenchOptions.Round(result.Reach ?? double.NaN),
                        half_s = SwimBenchOptions.Round(result.Half ?? double.NaN),
                    }, SwimBenchOptions.Json));
                }
            }

            // No node is ever crashed for real here: any Dead mark after convergence is a false positive.
            falsePositives += cluster.Events.Where(e => e.State == SwimMemberState.Dead && e.At >= converged.Value)
                .Select(e => e.Member).Distinct().Count();
            suspectEvents += cluster.Events.Count(e => e.State == SwimMemberState.Suspect && e.At >= converged.Value);
        }

        reach.Sort();
        half.Sort();
        output.WriteLine(JsonSerializer.Serialize(new
        {
            bench = "swim_dissemination",
            change = "leave",
            nodes,
            trials,
            per_cluster = perCluster,
            clusters,
            min_observers = minObservers == int.MaxValue ? 0 : minObservers,
            fraction,
            loss,
            preset,
            seed,
            reach_p50_s = SwimBenchOptions.Round(BenchArgs.Quantile(reach, 0.50)),
            reach_p99_s = SwimBenchOptions.Round(BenchArgs.Quantile(reach, 0.99)),
            reach_max_s = SwimBenchOptions.Round(reach.Count == 0 ? double.NaN : reach[^1]),
            reach_min_s = SwimBenchOptions.Round(reach.Count == 0 ? double.NaN : reach[0]),
            half_p50_s = SwimBenchOptions.Round(BenchArgs.Quantile(half, 0.50)),
            undisseminated_in_60s = undisseminated,
            not_converged_clusters = notConverged,
            false_positives = falsePositives,
            suspect_events = suspectEvents,
            converge_mean_s = SwimBenchOptions.Round(clusters - notConverged == 0 ? double.NaN : convergeSum / (clusters - notConverged)),
            wall_s = SwimBenchOptions.Round(watch.Elapsed.TotalSeconds),
        }, SwimBenchOptions.Json));
        return Task.FromResult(0);
    }

    /// <summary>One leave at a random live, unretired node; runs until every observer applied it or <see cref="TrialTimeout"/>.</summary>
    private static Trial RunTrial(SwimSimCluster cluster, Random random, HashSet<int> retired, double fraction)
    {
        cluster.RunFor(TimeSpan.FromMilliseconds(random.Next(0, 1000))); // a random phase of the probe and gossip timers
        var candidates = cluster.LiveNodes().Where(i => !retired.Contains(i)).ToList();
        int origin = candidates[random.Next(candidates.Count)];
        var observers = candidates.Where(i => i != origin).ToList();
        retired.Add(origin);

        TimeSpan leaveAt = cluster.Elapsed;
        SwimNode leaver = cluster[origin];
        cluster.Scenario.Clock.Schedule(TimeSpan.Zero, leaver.Leave); // on the clock thread, like every other node action
        int limit = SwimMath.RetransmitLimit(cluster.Config.RetransmitMult, candidates.Count);
        cluster.Scenario.Clock.Schedule(cluster.Config.GossipInterval * Math.Max(1, limit), () =>
        {
            leaver.Stop(); // LeaveAsync's drain is over: the process exits
            cluster.Crash(origin);
        });

        int needed = Math.Max(1, (int)Math.Ceiling(fraction * observers.Count - 1e-9));
        cluster.RunUntil(() => observers.All(o => cluster.FirstMarked(o, origin, SwimMemberState.Left) is not null), TrialTimeout, PollStep);
        var times = observers
            .Select(o => cluster.FirstMarked(o, origin, SwimMemberState.Left))
            .Where(at => at is not null)
            .Select(at => (at!.Value - leaveAt).TotalSeconds)
            .Order()
            .ToList();
        int halfRank = Math.Max(1, (int)Math.Ceiling(0.5 * observers.Count));
        return new Trial(
            origin,
            observers.Count,
            times.Count,
            times.Count >= needed ? times[needed - 1] : null,
            times.Count >= halfRank ? times[halfRank - 1] : null);
    }

    /// <param name="Origin">The node that left.</param>
    /// <param name="Observers">Live nodes other than the origin when it left.</param>
    /// <param name="Reached">Observers that raised MemberLeft within the timeout.</param>
    /// <param name="Reach">Seconds until the --fraction rank was reached, or null when it was not.</param>
    /// <param name="Half">Seconds until half the observers had it, or null.</param>
    private sealed record Trial(int Origin, int Observers, int Reached, double? Reach, double? Half);
}
