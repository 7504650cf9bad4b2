using System.Diagnostics;
using System.Text.Json;
using RingRift.P2P.Swim;
using RingRift.P2P.Swim.Net;
using RingRift.P2P.Swim.Wire;

namespace RingRift.P2P.Bench;

/// <summary>
/// <c>swim-kill</c>: SWIM failure detection on real sockets. N − 1 <see cref="SwimNode"/>s run in this
/// process, each on its own <see cref="UdpSwimTransport"/> at 127.0.0.1 (OS-picked free port) with
/// <see cref="TimeProvider.System"/>; the victim runs in a <c>swim-member</c> child process. Per kill:
/// start a child with a fresh id ("victim-k") seeded with three random in-process nodes, wait until
/// every in-process node sees it Alive, keep <c>--steady</c> seconds of steady state, SIGKILL it, and
/// measure the time until every in-process node has raised <see cref="SwimNode.MemberFailed"/> for it.
/// </summary>
/// <remarks>
/// <para>Errors counted as false positives: any in-process node declared dead by another, and a victim
/// declared dead before its kill. Suspicions of in-process nodes are reported apart (not errors).</para>
/// <para>Options: <c>--nodes</c> total including the victim (16, ≥ 3), <c>--kills</c> (20),
/// <c>--steady</c> seconds before each kill (3), <c>--timeout</c> seconds to wait for detection (30),
/// <c>--preset</c> default|seed|lan, <c>--seed</c> for the in-process nodes' Random and the seed picks (1).
/// One JSON line per kill, then the summary line.</para>
/// <para>Clean-up: children are killed in a finally block, on Ctrl+C and at process exit, and each child
/// exits by itself when this process's end of its stdin pipe closes.</para>
/// </remarks>
public static class SwimKillBench
{
    private static readonly TimeSpan JoinTimeout = TimeSpan.FromSeconds(30);

    public static async Task<int> RunAsync(string[] args, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        SwimConfig config = SwimBenchOptions.Preset(args, out string preset);
        int total = SwimBenchOptions.Int(args, "--nodes", 16, 3);
        int kills = SwimBenchOptions.Int(args, "--kills", 20, 1);
        double steady = SwimBenchOptions.Number(args, "--steady", 3, 0);
        double timeout = SwimBenchOptions.Number(args, "--timeout", 30, 1);
        int seed = SwimBenchOptions.Int(args, "--seed", 1, int.MinValue);
        string token = "swim-kill-" + Guid.NewGuid().ToString("N");
        var auth = PacketAuthenticator.FromClusterToken(token);
        var random = new Random(seed);
        int inProcess = total - 1;

        using IDisposable cleanup = SwimMemberProcess.KillAllOnExit();
        var transports = new List<UdpSwimTransport>();
        var nodes = new List<SwimNode>();
        var watch = Stopwatch.StartNew();
        var allDead = new List<double>();
        var firstDead = new List<double>();
        var joins = new List<double>();
        int undetected = 0, joinFailures = 0;
        SwimKillObserver? observer = null;
        try
        {
            for (int i = 0; i < inProcess; i++)
            {
                var transport = UdpSwimTransport.Bind("127.0.0.1", 0, maxPacketBytes: config.MaxPacketBytes);
                transports.Add(transport);
                nodes.Add(new SwimNode($"k{i}", config, transport, TimeProvider.System, new Random(unchecked(seed * 7919 + i)), auth));
            }

            observer = new SwimKillObserver(nodes.Select(n => n.SelfId));
            for (int i = 0; i < nodes.Count; i++)
            {
                observer.Watch(i, nodes[i]);
            }

            nodes[0].Start([]);
            foreach (SwimNode node in nodes.Skip(1))
            {
                node.Start([nodes[0].Endpoint]);
            }

            double convergeStart = observer.NowMs;
            if (!await WaitUntil(() => nodes.All(n => n.GetMembershipSummary().Alive >= inProcess - 1), JoinTimeout))
            {
                throw new TimeoutException($"the {inProcess} in-process nodes did not converge within {JoinTimeout}.");
            }

            double convergeMs = observer.NowMs - convergeStart;
            for (int k = 1; k <= kills; k++)
            {
                string victimId = $"victim-{k}";
                observer.Arm(victimId);
                SwimEndpoint[] seeds = nodes.OrderBy(_ => random.Next()).Take(3).Select(n => n.Endpoint).ToArray();
                double startedAt = observer.NowMs;
                using var child = SwimMemberProcess.Start(victimId, token, preset, seeds);
                int port = await child.WaitReadyAsync(JoinTimeout);
                if (!await WaitUntil(() => nodes.All(n => n.GetMember(victimId)?.State == SwimMemberState.Alive), JoinTimeout))
                {
                    joinFailures++;
                    output.WriteLine(JsonSerializer.Serialize(new { bench = "swim_kill_trial", kill = k, victim = victimId, error = "not seen alive by every node within 30 s" }));
                    continue;
                }

                double joinMs = observer.NowMs - startedAt;
                joins.Add(joinMs);
                await Task.Delay(TimeSpan.FromSeconds(steady));

                observer.MarkKilled();
                child.Kill();
                bool detected = await WaitUntil(() => observer.DeadCount >= inProcess, TimeSpan.FromSeconds(timeout));
                IReadOnlyDictionary<int, double> times = observer.DetectionMs();
                if (!detected)
                {
                    undetected++;
                }
                else
                {
                    allDead.Add(times.Values.Max());
                    firstDead.Add(times.Values.Min());
                }

                output.WriteLine(JsonSerializer.Serialize(new
                {
                    bench = "swim_kill_trial",
                    kill = k,
                    victim = victimId,
                    pid = child.ProcessId,
                    port,
                    join_ms = SwimBenchOptions.RoundMs(joinMs),
                    detected_by = times.Count,
                    all_dead_ms = detected ? SwimBenchOptions.RoundMs(times.Values.Max()) : double.NaN,
                    first_dead_ms = times.Count > 0 ? SwimBenchOptions.RoundMs(times.Values.Min()) : double.NaN,
                }, SwimBenchOptions.Json));
            }

            IReadOnlyList<string> falsePositives = observer.FalsePositives;
            var perKill = allDead.Select(SwimBenchOptions.RoundMs).ToArray();
            allDead.Sort();
            firstDead.Sort();
            joins.Sort();
            output.WriteLine(JsonSerializer.Serialize(new
            {
                bench = "swim_kill",
                nodes = total,
                in_process = inProcess,
                kills,
                detected = allDead.Count,
                undetected,
                join_failures = joinFailures,
                preset,
                probe_interval_ms = config.ProbeInterval.TotalMilliseconds,
                suspicion_min_s = SwimBenchOptions.Round(SwimMath.SuspicionMinTimeout(config.SuspicionMult, total, config.ProbeInterval, config.SuspicionFloor).TotalSeconds),
                steady_s = steady,
                all_dead_p50_ms = SwimBenchOptions.RoundMs(BenchArgs.Quantile(allDead, 0.50)),
                all_dead_p99_ms = SwimBenchOptions.RoundMs(BenchArgs.Quantile(allDead, 0.99)),
                all_dead_min_ms = SwimBenchOptions.RoundMs(allDead.Count == 0 ? double.NaN : allDead[0]),
                all_dead_max_ms = SwimBenchOptions.RoundMs(allDead.Count == 0 ? double.NaN : allDead[^1]),
                all_dead_mean_ms = SwimBenchOptions.RoundMs(allDead.Count == 0 ? double.NaN : allDead.Average()),
                first_dead_p50_ms = SwimBenchOptions.RoundMs(BenchArgs.Quantile(firstDead, 0.50)),
                join_p50_ms = SwimBenchOptions.RoundMs(BenchArgs.Quantile(joins, 0.50)),
                per_kill_ms = perKill,
                false_positives = falsePositives.Count,
                false_positive_marks = falsePositives.Take(20).ToArray(),
                suspects_of_healthy = observer.HealthySuspects,
                converge_ms = SwimBenchOptions.RoundMs(convergeMs),
                wall_s = SwimBenchOptions.Round(watch.Elapsed.TotalSeconds),
            }, SwimBenchOptions.Json));
            return falsePositives.Count == 0 && undetected == 0 && joinFailures == 0 ? 0 : 1;
        }
        finally
        {
            SwimMemberProcess.KillAll();
            foreach (SwimNode node in nodes)
            {
                node.Stop();
            }

            foreach (UdpSwimTransport transport in transports)
            {
                await transport.DisposeAsync();
            }
        }
    }

    /// <summary>Polls <paramref name="condition"/> every 10 ms until it holds or <paramref name="bound"/> passes.</summary>
    private static async Task<bool> WaitUntil(Func<bool> condition, TimeSpan bound)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed >= bound)
            {
                return false;
            }

            await Task.Delay(10);
        }

        return true;
    }
}
