using System.Diagnostics;
using RingRift.P2P.Testing.History;
using RingRift.P2P.Testing.Soak;

namespace RingRift.P2P.Bench;

/// <summary>
/// The soak's fault schedule: a SIGKILL of the leader every <see cref="SoakOptions.KillEverySeconds"/> (the
/// victim starts again on its data <see cref="SoakOptions.RestartDelaySeconds"/> later) and a graceful restart
/// of a follower every <see cref="SoakOptions.RestartEverySeconds"/>. Each fault waits until all three nodes
/// run and agree on a leader (a kill and a restart due together: the kill first). One line per kill, written
/// when the next fault comes or the run ends: its recovery measured on the history up to then.
/// </summary>
public sealed class SoakFaults(SoakCluster cluster, SoakOptions options, SoakMode mode, WorkHistory history, long startTicks,
    SoakEvents events, SoakOutput output)
{
    /// <summary>How long a fault waits for the cluster to settle before the run fails.</summary>
    public static readonly TimeSpan StableWait = TimeSpan.FromSeconds(120);

    /// <summary>How long after a kill the survivors' agreement on a new leader is looked for.</summary>
    private static readonly TimeSpan NewLeaderWait = TimeSpan.FromSeconds(30);

    private readonly Random _random = new(options.Seed);
    private readonly List<KillRecovery> _recoveries = [];
    private int _kills;
    private int _restarts;

    /// <summary>Every kill's recovery, in order (filled as the run goes).</summary>
    public IReadOnlyList<KillRecovery> Recoveries => _recoveries;

    public int Restarts => _restarts;

    /// <summary>Runs faults until <paramref name="end"/> (seconds from the start); the last kill is measured up to it.</summary>
    public async Task RunAsync(double end, CancellationToken ct)
    {
        var nextKill = options.KillEverySeconds;
        var nextRestart = options.RestartEverySeconds;
        PendingKill? pending = null;
        while (Math.Min(nextKill, nextRestart) < end)
        {
            await DelayUntilAsync(Math.Min(nextKill, nextRestart), ct);
            if (pending is not null) await pending.Settled.WaitAsync(ct);
            var leader = await cluster.WaitStableAsync(StableWait, ct);
            var horizon = Now();
            if (nextKill <= nextRestart)
            {
                var next = Kill(leader, ++_kills, ct);
                nextKill += options.KillEverySeconds;
                if (pending is not null) Report(pending, horizon);
                pending = next;
            }
            else
            {
                await RestartFollowerAsync(leader, ct);
                nextRestart += options.RestartEverySeconds;
                if (pending is not null) Report(pending, horizon);
                pending = null;
            }
        }
        await DelayUntilAsync(end, ct);
        if (pending is not null)
        {
            await pending.Settled.WaitAsync(ct);
            Report(pending, end);
        }
    }

    private PendingKill Kill(int leader, int number, CancellationToken ct)
    {
        var killed = SoakCluster.IdOf(leader);
        cluster.Kill(leader);
        var at = Now(); // once the process is gone: a request sent before it, served by the old leader, is no success after the kill
        events.Add(at, "kill " + killed);
        var pending = new PendingKill(number, killed, at);
        pending.Settled = Task.WhenAll(NameNewLeaderAsync(pending, leader, ct), StartAgainAsync(pending, leader, ct));
        return pending;
    }

    /// <summary>
    /// Notes when the survivors first agree on a leader among themselves, polling for at most
    /// <see cref="NewLeaderWait"/> (none is named when the restarted victim leads again first: as the highest voter it may, if it is back before any survivor holds a lease).
    /// </summary>
    private async Task NameNewLeaderAsync(PendingKill kill, int victim, CancellationToken ct)
    {
        while (Now() < kill.At + NewLeaderWait.TotalSeconds)
        {
            if (await cluster.LeaderAmongLiveAsync(victim, ct) is { } leader)
            {
                kill.NewLeader = SoakCluster.IdOf(leader);
                kill.LeaderAgreedAt = Now();
                return;
            }
            if (cluster.IsRunning(victim) && await cluster.StableLeaderAsync(ct) is not null)
                return; // the victim is back and leads again: the survivors were never seen agreeing without it
            await Task.Delay(20, ct);
        }
    }

    private async Task StartAgainAsync(PendingKill kill, int victim, CancellationToken ct)
    {
        await DelayUntilAsync(kill.At + options.RestartDelaySeconds, ct);
        cluster.Start(victim);
        kill.RestartedAt = Now();
        events.Add(kill.RestartedAt.Value, "start " + kill.Killed);
    }

    /// <summary>SIGTERM to a follower picked at random, then starts it again on its data.</summary>
    private async Task RestartFollowerAsync(int leader, CancellationToken ct)
    {
        var followers = Enumerable.Range(0, SoakCluster.Size).Where(i => i != leader).ToList();
        var pick = followers[_random.Next(followers.Count)];
        var at = Now();
        events.Add(at, "restart " + SoakCluster.IdOf(pick));
        await cluster.StopAsync(pick).WaitAsync(ct);
        cluster.Start(pick);
        _restarts++;
    }

    private void Report(PendingKill kill, double horizon)
    {
        var ops = SoakThroughput.Of(history.Operations, startTicks);
        var recovery = KillRecovery.Measure(ops.Invoked, ops.Done, kill.At, horizon);
        _recoveries.Add(recovery);
        output.Write(new
        {
            bench = "soak_kill",
            mode = mode.ToString().ToLowerInvariant(),
            kill = kill.Number,
            at_s = Math.Round(kill.At, 1),
            killed = kill.Killed,
            new_leader = kill.NewLeader,
            leader_agreed_ms = Ms(kill.LeaderAgreedAt - kill.At),
            first_success_ms = Ms(recovery.FirstSuccessSeconds),
            recovered_ms = Ms(recovery.RecoveredSeconds),
            pre_kill_ops_per_s = Math.Round(recovery.BaselinePerSecond, 1),
            recovered_at_ops_per_s = Math.Round(0.9 * recovery.BaselinePerSecond, 1),
            restarted_after_ms = Ms(kill.RestartedAt - kill.At),
            measured_until_s = Math.Round(horizon, 1),
        });
    }

    private static double? Ms(double? seconds) => SoakOutput.Round(seconds * 1000, 0);

    private double Now() => SoakThroughput.Seconds(Stopwatch.GetTimestamp(), startTicks);

    private async Task DelayUntilAsync(double at, CancellationToken ct)
    {
        var wait = at - Now();
        if (wait > 0) await Task.Delay(TimeSpan.FromSeconds(wait), ct);
    }

    private sealed class PendingKill(int number, string killed, double at)
    {
        public int Number => number;
        public string Killed => killed;
        public double At => at;
        public string? NewLeader { get; set; }
        public double? LeaderAgreedAt { get; set; }
        public double? RestartedAt { get; set; }
        public Task Settled { get; set; } = Task.CompletedTask;
    }
}
