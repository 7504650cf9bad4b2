using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using RingRift.P2P.Testing.History;

namespace RingRift.P2P.Bench;

/// <summary>
/// A long run of three node processes on 127.0.0.1 under steady work and regular faults (issue 16 §4): per
/// mode (Raft, then Bully), <c>--clients</c> client loops (<see cref="HistoryWorkload"/>) add, claim, complete
/// and fail work against random live nodes for <c>--minutes</c>, every request recorded; the leader is
/// SIGKILLed every <c>--kill-every</c> seconds and started again on its data 5 s later, and a follower is
/// restarted (SIGTERM, start) every <c>--restart-every</c> seconds. Lines: one per minute
/// (<see cref="SoakMinutes"/>), one per kill (<see cref="SoakFaults"/>), and a summary per mode with the
/// history checker's verdict over the whole run (<see cref="SoakSummary"/>). Ctrl-C or SIGTERM stops the run
/// and every node process.
/// </summary>
public static class SoakBench
{
    private static readonly TimeSpan StartWait = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan FinalReadWait = TimeSpan.FromSeconds(120);

    /// <summary>
    /// Percent of operations that add work: 25, well under the 45 % that claim, so pending work does not pile up (at the
    /// tests' 35 % the soak added 13 items a second and completed 8.5, the queue growing ~4 items a second; at 30 %, 11 against 9).
    /// </summary>
    private const int BalancedAddPercent = 25;

    public static async Task<int> RunAsync(string[] args, TextWriter output)
    {
        SoakOptions options;
        try { options = SoakOptions.Parse(args); }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine("soak: " + e.Message);
            return 2;
        }
        if (!OperatingSystem.IsLinux()) throw new PlatformNotSupportedException("soak reads /proc: Linux only");

        using var interrupt = new CancellationTokenSource();
        void OnCancel(object? sender, ConsoleCancelEventArgs e)
        {
            e.Cancel = !interrupt.IsCancellationRequested; // a second Ctrl-C ends the bench at once (ProcessExit still kills the nodes)
            interrupt.Cancel();
        }
        Console.CancelKeyPress += OnCancel;
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            interrupt.Cancel();
        });
        var root = Path.Combine(Path.GetTempPath(), "ringrift-soak-" + Guid.NewGuid().ToString("N")[..8]);
        var lines = new SoakOutput(output);
        var keep = options.KeepLogs;
        try
        {
            foreach (var mode in options.Modes)
                await RunModeAsync(mode, options, Path.Combine(root, mode.ToString().ToLowerInvariant()), lines, interrupt.Token);
            return 0;
        }
        catch (OperationCanceledException) when (interrupt.IsCancellationRequested)
        {
            lines.Write(new { bench = "soak_interrupted" });
            return 130;
        }
        catch
        {
            keep = true;
            throw;
        }
        finally
        {
            Console.CancelKeyPress -= OnCancel;
            if (keep) Console.Error.WriteLine($"soak: node data and logs kept in {root}");
            else try { Directory.Delete(root, recursive: true); } catch (IOException) { }
        }
    }

    private static async Task RunModeAsync(SoakMode mode, SoakOptions options, string root, SoakOutput output, CancellationToken interrupt)
    {
        using var cluster = new SoakCluster(mode, options, root);
        for (var i = 0; i < SoakCluster.Size; i++) cluster.Start(i);
        await cluster.WaitStableAsync(StartWait, interrupt);

        var queue = mode == SoakMode.Raft ? HistoryWorkload.QueueKind.Raft : HistoryWorkload.QueueKind.QuorumSqlite;
        var workload = new HistoryWorkload(cluster.LiveUrls, options.Seed, queue) { Pause = TimeSpan.FromMilliseconds(options.PauseMs), MaxHeld = options.MaxHeld == 0 ? int.MaxValue : options.MaxHeld, AddPercent = BalancedAddPercent };
        var end = options.Minutes * 60;
        var start = Stopwatch.GetTimestamp();
        var events = new SoakEvents();
        var minutes = new SoakMinutes(cluster, mode, workload.History, start, events, output);
        var faults = new SoakFaults(cluster, options, mode, workload.History, start, events, output);

        using var stopClients = CancellationTokenSource.CreateLinkedTokenSource(interrupt);
        using var run = CancellationTokenSource.CreateLinkedTokenSource(interrupt);
        stopClients.CancelAfter(TimeSpan.FromSeconds(end)); // the work ends on time, whatever the last kill's bookkeeping still waits for
        var clients = workload.RunAsync(options.Clients, stopClients.Token);
        try
        {
            await BothAsync(minutes.RunAsync(end, run.Token), faults.RunAsync(end, run.Token), run);
        }
        finally
        {
            await stopClients.CancelAsync();
            await clients;
        }

        var read = Stopwatch.StartNew();
        var items = await FinalQueue.ReadAsync(LeaderUrl(cluster, interrupt), FinalReadWait, workload.AddedIds);
        var readSeconds = read.Elapsed.TotalSeconds;
        var check = Stopwatch.StartNew();
        var report = HistoryChecker.Check(workload.History, items, new HistoryCheckOptions
        {
            // Items claimed longer than their timeout (3,600 s by default) go back to pending on their own.
            RequeuesPossible = end >= RingRift.P2P.Coordination.WorkDefaults.TimeoutSeconds,
            // The nodes prune finished items (--retention, --retain-max): one missing is fine once a client may have finished it.
            FinishedMayBePruned = options.RetentionSeconds > 0 || options.RetainMax > 0,
        });
        output.Write(SoakSummary.Line(mode, options, end, report, workload.UntokenedClaims, SoakThroughput.Of(workload.History.Operations, start),
            minutes.Minutes, faults.Recoveries, faults.Restarts, readSeconds, check.Elapsed.TotalSeconds));
    }

    /// <summary>Runs both loops; when one fails the other is cancelled, and the failure (not the cancellation) surfaces.</summary>
    private static async Task BothAsync(Task first, Task second, CancellationTokenSource run)
    {
        async Task Watch(Task loop)
        {
            try { await loop; }
            catch
            {
                await run.CancelAsync();
                throw;
            }
        }
        var both = Task.WhenAll(Watch(first), Watch(second));
        try { await both; }
        catch (Exception) when (both.Exception?.InnerExceptions.FirstOrDefault(e => e is not OperationCanceledException) is { } cause)
        {
            ExceptionDispatchInfo.Throw(cause);
        }
    }

    /// <summary>The leader's URL for the final read, looked up again at most every 2 s (it is read once per item on a long run).</summary>
    private static Func<Task<string>> LeaderUrl(SoakCluster cluster, CancellationToken ct)
    {
        string? url = null;
        var found = 0L;
        return async () =>
        {
            if (url is null || Stopwatch.GetElapsedTime(Interlocked.Read(ref found)) > TimeSpan.FromSeconds(2))
            {
                url = cluster.UrlOf(await cluster.WaitStableAsync(FinalReadWait, ct));
                Interlocked.Exchange(ref found, Stopwatch.GetTimestamp());
            }
            return url;
        };
    }
}
