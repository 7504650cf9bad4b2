using System.Diagnostics;
using System.Text.Json;
using RingRift.P2P.Swim;
using RingRift.P2P.Testing.Simulation;

namespace RingRift.P2P.Bench;

/// <summary>
/// <c>swim-sim</c>: SWIM + Lifeguard measured on the deterministic simulator (virtual time, real
/// <see cref="SwimNode"/>s, seeded), one JSON line per result.
/// </summary>
/// <remarks>
/// Modes (links: 1–3 ms latency, <c>--loss</c> datagram loss, default 0.05; <c>--preset</c>
/// default|seed|lan picks <see cref="SwimConfig"/>, <see cref="SwimConfigArgs"/> overrides single settings;
/// <c>--seed</c> base seed, default 1):
/// <list type="bullet">
/// <item><c>--mode detect --nodes N --trials T [--per-cluster P] [--steady S]</c> (defaults 16, 50, 1, 0): per trial a fresh
/// seed, converge, run S seconds (under loss, suspicions and refutations pile up meanwhile), crash a random node, run until every live node marks it dead; with P &gt; 1 one converged
/// cluster serves P trials, each victim restarting (higher incarnation) and rejoining before the next crash. Prints p50/p99/max of that time
/// (and of the first observer's), trials not detected within 120 s, and false positives (healthy nodes
/// marked dead by anyone).</item>
/// <item><c>--mode false-positives --nodes N --hours H [--runs R]</c> (defaults 16, 0.25, 1): nodes 1 and 2
/// stall for 2 s every minute (30 s apart); counts healthy nodes ever marked dead, stalled nodes included,
/// and lists up to 20 distinct "observer:member" dead marks. R &gt; 1 splits the hours over R clusters with
/// derived seeds, run in parallel.</item>
/// <item><c>--mode cost --nodes N --seconds S</c> (defaults 16, 60): after convergence and a 10 s warm-up,
/// packets, bytes and stream requests per node per second over S seconds.</item>
/// </list>
/// </remarks>
public static class SwimSimBench
{
    private static readonly TimeSpan ConvergeTimeout = TimeSpan.FromSeconds(300);
    private static readonly TimeSpan DetectTimeout = TimeSpan.FromSeconds(120);

    public static Task<int> RunAsync(string[] args, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        string mode = SwimBenchOptions.Text(args, "--mode", "detect");
        SwimConfig config = SwimBenchOptions.Preset(args, out string preset);
        double loss = SwimBenchOptions.Loss(args);
        int nodes = BenchArgs.GetInt(args, "--nodes", 16);
        int seed = BenchArgs.GetInt(args, "--seed", 1);
        if (nodes < 3)
        {
            throw new ArgumentException($"--nodes is {nodes}; allowed: >= 3.");
        }

        var common = new Common(nodes, seed, preset, config, Link(loss));
        switch (mode)
        {
            case "detect":
                Detect(common, BenchArgs.GetInt(args, "--trials", 50), SwimBenchOptions.Int(args, "--per-cluster", 1, 1),
                    SwimBenchOptions.Number(args, "--steady", 0, 0), output);
                break;
            case "false-positives":
                FalsePositives(common, BenchArgs.Get(args, "--hours", 0.25), SwimBenchOptions.Int(args, "--runs", 1, 1), output);
                break;
            case "cost":
                Cost(common, BenchArgs.Get(args, "--seconds", 60), output);
                break;
            default:
                throw new ArgumentException($"--mode is '{mode}'; allowed: detect, false-positives, cost.");
        }

        return Task.FromResult(0);
    }

    /// <summary>The simulator's links: 1–3 ms latency and <paramref name="loss"/> (0–1) of datagrams lost, each independently.</summary>
    public static LinkProfile Link(double loss) => new() { Loss = loss, Latency = TimeSpan.FromMilliseconds(1), Jitter = TimeSpan.FromMilliseconds(2) };

    /// <summary>
    /// <c>--mode detect</c>'s measurement, for other benches to set beside their own: <paramref name="trials"/>
    /// crashes on clusters of <paramref name="nodes"/> (<paramref name="perCluster"/> per cluster), seeded from <paramref name="seed"/>,
    /// each after <paramref name="steadySeconds"/> of steady state (plus up to 1 s, a random phase of the probe cycle).
    /// </summary>
    public static SimDetection SimulateDetection(int nodes, int seed, SwimConfig config, double loss, int trials, int perCluster = 1,
        double steadySeconds = 0)
    {
        ArgumentNullException.ThrowIfNull(config);
        var c = new Common(nodes, seed, "", config, Link(loss));
        int batches = (trials + perCluster - 1) / perCluster;
        var results = new DetectBatch[batches];
        var steady = TimeSpan.FromSeconds(steadySeconds);
        Parallel.For(0, batches, b => results[b] = DetectBatchRun(c, b * perCluster, Math.Min(perCluster, trials - b * perCluster), steady));
        List<double> all = [.. results.SelectMany(r => r.All)], first = [.. results.SelectMany(r => r.First)];
        all.Sort();
        first.Sort();
        return new SimDetection(all, first, results.Sum(r => r.Undetected), results.Sum(r => r.NotConverged),
            results.Sum(r => r.NotRejoined), results.Sum(r => r.FalsePositives));
    }

    private static void Detect(Common c, int trials, int perCluster, double steadySeconds, TextWriter output)
    {
        var watch = Stopwatch.StartNew();
        var (all, first, undetected, notConverged, notRejoined, falsePositives) =
            SimulateDetection(c.Nodes, c.Seed, c.Config, c.Link.Loss, trials, perCluster, steadySeconds);
        TimeSpan suspicionMin = SwimMath.SuspicionMinTimeout(c.Config.SuspicionMult, c.Nodes, c.Config.ProbeInterval, c.Config.SuspicionFloor);
        output.WriteLine(JsonSerializer.Serialize(new
        {
            bench = "swim_sim_detect",
            nodes = c.Nodes,
            trials,
            loss = c.Link.Loss,
            preset = c.Preset,
            config = SwimConfigArgs.Describe(c.Config),
            seed = c.Seed,
            suspicion_min_s = SwimBenchOptions.Round(suspicionMin.TotalSeconds),
            all_marked_dead_p50_s = SwimBenchOptions.Round(BenchArgs.Quantile(all, 0.50)),
            all_marked_dead_p99_s = SwimBenchOptions.Round(BenchArgs.Quantile(all, 0.99)),
            all_marked_dead_max_s = SwimBenchOptions.Round(all.Count == 0 ? double.NaN : all[^1]),
            first_marked_dead_p50_s = SwimBenchOptions.Round(BenchArgs.Quantile(first, 0.50)),
            first_marked_dead_p99_s = SwimBenchOptions.Round(BenchArgs.Quantile(first, 0.99)),
            undetected_in_120s = undetected,
            not_converged = notConverged,
            not_rejoined = notRejoined,
            per_cluster = perCluster,
            steady_s = steadySeconds,
            false_positives = falsePositives,
            wall_s = SwimBenchOptions.Round(watch.Elapsed.TotalSeconds),
        }, SwimBenchOptions.Json));
    }

    /// <summary>Trials <paramref name="firstTrial"/>.. on one cluster (seeded by the first trial's number).</summary>
    private static DetectBatch DetectBatchRun(Common c, int firstTrial, int count, TimeSpan steady)
    {
        var r = new DetectBatch();
        int seed = SimScenario.DeriveSeed(c.Seed, firstTrial);
        var cluster = new SwimSimCluster(c.Nodes, seed, c.Config, c.Link);
        if (cluster.StartAndConverge(ConvergeTimeout) is null)
        {
            r.NotConverged = count;
            return r;
        }

        var random = new Random(seed);
        var downtimes = new List<(int Node, TimeSpan From, TimeSpan Until)>();
        for (int k = 0; k < count; k++)
        {
            cluster.RunFor(steady + TimeSpan.FromMilliseconds(random.Next(0, 1000))); // crash at a random phase of the probe cycle
            int victim = random.Next(c.Nodes);
            cluster.Crash(victim);
            TimeSpan crashAt = cluster.CrashedAt(victim)!.Value;
            if (cluster.RunUntil(() => cluster.AllLiveMarkedDead(victim), DetectTimeout, TimeSpan.FromMilliseconds(100)) is null)
            {
                r.Undetected++;
            }
            else
            {
                var times = cluster.LiveNodes().Where(o => o != victim)
                    .Select(o => (cluster.FirstMarked(o, victim, SwimMemberState.Dead)!.Value - crashAt).TotalSeconds).ToList();
                r.All.Add(times.Max());
                r.First.Add(times.Min());
            }

            downtimes.Add((victim, crashAt, TimeSpan.MaxValue));
            if (k + 1 < count)
            {
                // Bring the victim back (fresh process, higher incarnation) so every trial sees N nodes.
                downtimes[^1] = (victim, crashAt, cluster.Elapsed);
                cluster.Restart(victim, seed: (victim + 1) % c.Nodes);
                if (cluster.RunUntil(cluster.AllLiveSeeAllLiveAlive, ConvergeTimeout) is null)
                {
                    r.NotRejoined++;
                    break;
                }
            }
        }

        // A dead mark is false unless its member was down then (crashed and not yet restarted).
        r.FalsePositives = cluster.Events.Count(e => e.State == SwimMemberState.Dead
            && !downtimes.Any(d => d.Node == e.Member && e.At >= d.From && e.At < d.Until));
        return r;
    }

    private sealed class DetectBatch
    {
        public List<double> All { get; } = [];
        public List<double> First { get; } = [];
        public int Undetected { get; set; }
        public int NotConverged { get; set; }
        public int NotRejoined { get; set; }
        public int FalsePositives { get; set; }
    }

    private static void FalsePositives(Common c, double hours, int runs, TextWriter output)
    {
        var watch = Stopwatch.StartNew();
        var stall = TimeSpan.FromSeconds(2);
        var span = TimeSpan.FromHours(hours / runs);
        var results = new FalsePositiveRun[runs];
        Parallel.For(0, runs, run =>
        {
            int seed = runs == 1 ? c.Seed : SimScenario.DeriveSeed(c.Seed, run);
            var cluster = new SwimSimCluster(c.Nodes, seed, c.Config, c.Link);
            bool converged = cluster.StartAndConverge(ConvergeTimeout) is not null;
            TimeSpan from = cluster.Elapsed;
            cluster.Scenario.Faults.StallEvery(1, TimeSpan.FromMinutes(1), stall, from + TimeSpan.FromSeconds(10));
            cluster.Scenario.Faults.StallEvery(2, TimeSpan.FromMinutes(1), stall, from + TimeSpan.FromSeconds(40));
            cluster.RunFor(span);
            results[run] = new FalsePositiveRun(
                converged,
                cluster.Events.Where(e => e.State == SwimMemberState.Dead && e.At >= from).Select(e => (Run: run, Event: e, From: from)).ToList(),
                cluster.Events.Count(e => e.State == SwimMemberState.Suspect && e.At >= from),
                cluster.Nodes.Sum(n => n.Stats.FinalProbes),
                cluster.Nodes.Sum(n => n.Stats.AccusationsAnswered),
                cluster.Nodes.Sum(n => n.Stats.InconclusiveProbes));
        });

        var dead = results.SelectMany(r => r.Dead).ToList();
        output.WriteLine(JsonSerializer.Serialize(new
        {
            bench = "swim_sim_false_positives",
            nodes = c.Nodes,
            loss = c.Link.Loss,
            preset = c.Preset,
            config = SwimConfigArgs.Describe(c.Config),
            seed = c.Seed,
            runs,
            stalled_nodes = 2,
            stall_s = stall.TotalSeconds,
            stall_every_s = 60,
            stalls = (long)(2 * span.TotalMinutes * runs),
            converged = results.All(r => r.Converged),
            simulated_hours = SwimBenchOptions.Round(span.TotalHours * runs),
            node_hours = SwimBenchOptions.Round(span.TotalHours * runs * c.Nodes),
            healthy_nodes_declared_dead = dead.Select(d => (d.Run, d.Event.Member)).Distinct().Count(),
            dead_events = dead.Count,
            dead_events_about_stalled = dead.Count(d => d.Event.Member is 1 or 2),
            dead_marks = dead.Select(d => $"{(runs == 1 ? "" : $"r{d.Run}/")}{SwimSimCluster.NodeId(d.Event.Observer)}:{SwimSimCluster.NodeId(d.Event.Member)}")
                .Distinct().Order().Take(20).ToArray(),
            first_dead_at_s = dead.Count == 0 ? double.NaN : SwimBenchOptions.Round(dead.Min(d => (d.Event.At - d.From).TotalSeconds)),
            suspect_events = results.Sum(r => r.SuspectEvents),
            final_probes = results.Sum(r => r.FinalProbes),
            accusations_answered = results.Sum(r => r.AccusationsAnswered),
            inconclusive_probes = results.Sum(r => r.InconclusiveProbes),
            wall_s = SwimBenchOptions.Round(watch.Elapsed.TotalSeconds),
        }, SwimBenchOptions.Json));
    }

    private sealed record FalsePositiveRun(bool Converged, List<(int Run, SwimSimEvent Event, TimeSpan From)> Dead,
        int SuspectEvents, long FinalProbes, long AccusationsAnswered, long InconclusiveProbes);

    private static void Cost(Common c, double seconds, TextWriter output)
    {
        var watch = Stopwatch.StartNew();
        var cluster = new SwimSimCluster(c.Nodes, c.Seed, c.Config, c.Link);
        bool converged = cluster.StartAndConverge(ConvergeTimeout) is not null;
        cluster.RunFor(TimeSpan.FromSeconds(10));
        cluster.Scenario.Network.ResetCounters();
        var window = TimeSpan.FromSeconds(seconds);
        cluster.RunFor(window);
        SimCounters total = cluster.TotalCounters();
        double perNodeSecond = c.Nodes * window.TotalSeconds;
        output.WriteLine(JsonSerializer.Serialize(new
        {
            bench = "swim_sim_cost",
            nodes = c.Nodes,
            loss = c.Link.Loss,
            preset = c.Preset,
            config = SwimConfigArgs.Describe(c.Config),
            seed = c.Seed,
            converged,
            window_s = window.TotalSeconds,
            packets_per_node_s = SwimBenchOptions.Round(total.PacketsSent / perNodeSecond),
            bytes_per_node_s = SwimBenchOptions.Round(total.BytesSent / perNodeSecond),
            requests_per_node_s = SwimBenchOptions.Round(total.RequestsSent / perNodeSecond),
            stream_bytes_per_node_s = SwimBenchOptions.Round(total.StreamBytesSent / perNodeSecond),
            mean_packet_bytes = SwimBenchOptions.Round(total.PacketsSent == 0 ? 0 : (double)total.BytesSent / total.PacketsSent),
            wall_s = SwimBenchOptions.Round(watch.Elapsed.TotalSeconds),
        }, SwimBenchOptions.Json));
    }

    private sealed record Common(int Nodes, int Seed, string Preset, SwimConfig Config, LinkProfile Link);
}

/// <summary>
/// What <see cref="SwimSimBench.SimulateDetection"/> measured: per detected crash the seconds until every live
/// node (<paramref name="All"/>) and the first one (<paramref name="First"/>) marked it dead, both sorted;
/// crashes not detected within 120 s; clusters that did not converge or victims that did not rejoin; and
/// healthy nodes marked dead.
/// </summary>
public sealed record SimDetection(IReadOnlyList<double> All, IReadOnlyList<double> First, int Undetected, int NotConverged,
    int NotRejoined, int FalsePositives);
