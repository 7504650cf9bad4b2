using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using RingRift.P2P.Node.Hosting;
using RingRift.P2P.Swim;
using RingRift.P2P.Testing.Netns;
using RingRift.P2P.Testing.Waiting;

namespace RingRift.P2P.Bench;

/// <summary>
/// <c>netns-swim</c>: SWIM crash detection on real kernels, one node process per network namespace
/// (<see cref="NetnsTestBed"/>, <see cref="NetnsSwimCluster"/>: SWIM's default timings), every host losing
/// the given percentage of what it sends to the others (nftables <c>numgen random</c>), side by side with
/// the simulator's figure for the same node count and loss (<see cref="SwimSimBench.SimulateDetection"/>,
/// in this process).
/// </summary>
/// <remarks>
/// <para>Per loss level (<c>--loss 0,5,10,20</c>, percent): a fresh test bed and cluster of <c>--nodes</c> (8);
/// <c>--kills</c> (10) times: <c>--steady</c> seconds (2) plus a random 0–1 s (the phase of the probe
/// cycle), SIGKILL a random node, time from the kill to each survivor's own <c>state_changed_at</c> of its
/// dead mark, start a node again in that host under a new id and wait until everyone sees everyone alive.
/// One JSON line per kill, one per level: p50/p99/max of "every survivor marked it dead" (nearest rank: with
/// 10 kills p99 is the slowest), live nodes ever marked dead (polled every ~200 ms), and the simulator's
/// p50/p99/max and false positives over <c>--sim-trials</c> (200) crashes.</para>
/// <para><c>--no-kill-minutes M</c> instead runs each level M minutes without a kill and reports live nodes
/// marked dead, suspicions (each refuted) and probes per node.</para>
/// <para>Needs root, <c>ip</c> and <c>nft</c>; otherwise it prints one line saying what is missing and exits 1.
/// <c>--node-program PATH</c> runs the nodes from another build; <c>--seed</c> (1) picks victims and seeds
/// the simulator.</para>
/// </remarks>
public static class NetnsSwimBench
{
    private static readonly TimeSpan DetectWithin = TimeSpan.FromSeconds(60);

    public static async Task<int> RunAsync(string[] args, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        var nodes = SwimBenchOptions.Int(args, "--nodes", 8, 3);
        var kills = SwimBenchOptions.Int(args, "--kills", 10, 1);
        var levels = LossLevels(SwimBenchOptions.Text(args, "--loss", "0,5,10,20"));
        var noKillMinutes = SwimBenchOptions.Number(args, "--no-kill-minutes", 0, 0);
        var steady = SwimBenchOptions.Number(args, "--steady", 2, 0);
        var simTrials = SwimBenchOptions.Int(args, "--sim-trials", 200, 1);
        var seed = SwimBenchOptions.Int(args, "--seed", 1, int.MinValue);
        var command = ProgramLocation.Given(BenchArgs.GetNodeProgram(args));
        var program = new NetnsProgram(command.File, command.Prefix);
        var random = new Random(seed);
        foreach (var loss in levels)
        {
            NetnsTestBed bed;
            try
            {
                bed = NetnsTestBed.Create(nodes);
            }
            catch (NetnsUnavailableException e)
            {
                await Console.Error.WriteLineAsync("netns-swim: " + e.Message);
                return 1;
            }

            var root = Directory.CreateTempSubdirectory("ringrift-netns-swim-bench-").FullName;
            var keepLogs = false;
            try
            {
                foreach (var host in bed.Hosts) bed.SetLoss(host, loss);
                using var cluster = await NetnsSwimCluster.StartAsync(bed, root, program);
                if (noKillMinutes > 0)
                {
                    await QuietAsync(cluster, nodes, loss, TimeSpan.FromMinutes(noKillMinutes), output);
                }
                else
                {
                    await KillsAsync(cluster, new Level(nodes, loss, kills, steady, simTrials, seed), random, output);
                }
            }
            catch (Exception e) when (e is WaitTimedOutException or HttpRequestException or InvalidOperationException)
            {
                keepLogs = true;
                await Console.Error.WriteLineAsync($"netns-swim: {loss} % loss: {e.Message} (node logs kept in {root})");
                return 1;
            }
            finally
            {
                bed.Dispose();
                if (!keepLogs)
                {
                    try { Directory.Delete(root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
                }
            }
        }

        return 0;
    }

    private static async Task KillsAsync(NetnsSwimCluster cluster, Level level, Random random, TextWriter output)
    {
        var watch = Stopwatch.StartNew();
        List<double> all = [], first = [];
        var undetected = 0;
        for (var k = 1; k <= level.Kills; k++)
        {
            await Task.Delay(TimeSpan.FromSeconds(level.Steady + random.NextDouble()));
            var victim = random.Next(level.Nodes);
            var victimId = cluster[victim].Id;
            double allDead = double.NaN, firstDead = double.NaN;
            try
            {
                var detections = await cluster.KillAndAwaitDetectionAsync(victim, DetectWithin);
                (allDead, firstDead) = (detections.Values.Max(), detections.Values.Min());
                all.Add(allDead);
                first.Add(firstDead);
            }
            catch (WaitTimedOutException)
            {
                undetected++;
            }

            output.WriteLine(JsonSerializer.Serialize(new
            {
                bench = "netns_swim_kill",
                loss_percent = level.Loss,
                kill = k,
                victim = victimId,
                all_dead_s = SwimBenchOptions.Round(allDead),
                first_dead_s = SwimBenchOptions.Round(firstDead),
            }, SwimBenchOptions.Json));
            await cluster.RestartAsync(victim, string.Create(CultureInfo.InvariantCulture, $"node-{victim + 1}-{k}"));
            await cluster.WaitAllSeeAllAliveAsync(NetnsNode.ProcessWait);
        }

        all.Sort();
        first.Sort();
        var sim = SwimSimBench.SimulateDetection(level.Nodes, level.Seed, SwimConfig.Default, level.Loss / 100.0, level.SimTrials);
        output.WriteLine(JsonSerializer.Serialize(new
        {
            bench = "netns_swim",
            nodes = level.Nodes,
            loss_percent = level.Loss,
            preset = "default",
            kills = level.Kills,
            detected = all.Count,
            undetected_in_60s = undetected,
            all_dead_p50_s = SwimBenchOptions.Round(BenchArgs.Quantile(all, 0.50)),
            all_dead_p99_s = SwimBenchOptions.Round(BenchArgs.Quantile(all, 0.99)),
            all_dead_max_s = SwimBenchOptions.Round(all.Count == 0 ? double.NaN : all[^1]),
            first_dead_p50_s = SwimBenchOptions.Round(BenchArgs.Quantile(first, 0.50)),
            false_positives = cluster.Watch.FalseDeaths.Distinct().Count(),
            false_marks = cluster.Watch.FalseDeaths.Distinct().Take(20).ToArray(),
            member_polls = cluster.Watch.Polls,
            sim_trials = level.SimTrials,
            sim_all_dead_p50_s = SwimBenchOptions.Round(BenchArgs.Quantile(sim.All, 0.50)),
            sim_all_dead_p99_s = SwimBenchOptions.Round(BenchArgs.Quantile(sim.All, 0.99)),
            sim_all_dead_max_s = SwimBenchOptions.Round(sim.All.Count == 0 ? double.NaN : sim.All[^1]),
            sim_undetected_in_120s = sim.Undetected,
            sim_false_positives = sim.FalsePositives,
            wall_s = SwimBenchOptions.Round(watch.Elapsed.TotalSeconds),
        }, SwimBenchOptions.Json));
    }

    private static async Task QuietAsync(NetnsSwimCluster cluster, int nodes, int loss, TimeSpan span, TextWriter output)
    {
        var (suspicions, probes) = (await cluster.SumCounterAsync("suspicions"), await cluster.SumCounterAsync("probes"));
        await Task.Delay(span);
        var exited = cluster.Live.Where(n => n.Process.HasExited).ToList();
        if (exited.Count > 0)
        {
            throw new InvalidOperationException("node processes ended during the quiet window: " + string.Join("; ",
                exited.Select(n => $"{n.Id} exit code {n.Process.ExitCode}, log:\n{n.Process.LogTail(40)}")));
        }

        var stillAlive = true;
        try
        {
            await cluster.WaitAllSeeAllAliveAsync(TimeSpan.FromSeconds(30));
        }
        catch (WaitTimedOutException)
        {
            stillAlive = false;
        }

        output.WriteLine(JsonSerializer.Serialize(new
        {
            bench = "netns_swim_no_kill",
            nodes,
            loss_percent = loss,
            preset = "default",
            minutes = span.TotalMinutes,
            false_positives = cluster.Watch.FalseDeaths.Distinct().Count(),
            false_marks = cluster.Watch.FalseDeaths.Distinct().Take(20).ToArray(),
            suspicions = await cluster.SumCounterAsync("suspicions") - suspicions,
            probes_per_node = (await cluster.SumCounterAsync("probes") - probes) / nodes,
            all_alive_at_end = stillAlive,
            member_polls = cluster.Watch.Polls,
        }, SwimBenchOptions.Json));
    }

    /// <summary>The loss percentages after <c>--loss</c>: whole numbers 0–99, comma-separated.</summary>
    private static List<int> LossLevels(string text)
    {
        var levels = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out var percent) || percent is < 0 or > 99)
            {
                throw new ArgumentException($"--loss is '{text}'; allowed: whole percentages 0-99, comma-separated (e.g. 0,5,10,20).");
            }

            levels.Add(percent);
        }

        return levels;
    }

    private sealed record Level(int Nodes, int Loss, int Kills, double Steady, int SimTrials, int Seed);
}
