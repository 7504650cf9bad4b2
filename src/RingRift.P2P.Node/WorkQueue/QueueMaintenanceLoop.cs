using RingRift.P2P.Coordination;
using RingRift.P2P.Election;
using RingRift.P2P.Loops;
using RingRift.P2P.Membership;
using RingRift.P2P.Node.Consensus;
using RingRift.P2P.Node.Hosting;
using RingRift.P2P.Node.Metrics;
using RingRift.P2P.Node.PeerHttp;
using RingRift.P2P.Sqlite;
using RingRift.P2P.Timing;

namespace RingRift.P2P.Node.WorkQueue;

/// <summary>
/// WorkQueue/ holds the quorum-replicated SQLite queue's node side: replication over HTTP, timeout sweeps and the cached counts.
/// Every second: refreshes the cached queue counts; on the serving leader, at least every 5 s,
/// requeues claimed or running items whose timeout has passed (and replicates that change) — on
/// the Raft queue when Raft serves, as a leader-stamped command — judged on a <see cref="SweepClock"/>
/// so a wall-clock step forward releases nothing early, and every 15 s counts items per
/// status and work type for the metrics; and every 5 s starts a retention round (<see cref="QueuePruner"/>) that
/// prunes finished items past <c>RINGRIFT_QUEUE_RETENTION</c> or <c>RINGRIFT_QUEUE_RETAIN_MAX</c>, judged on the same clock.
/// </summary>
public sealed class QueueMaintenanceLoop(
    ConsensusSwitch coordinator,
    RaftService raft,
    QuorumWorkQueue queue,
    WorkReplica replica,
    SqliteWorkQueue store,
    BullyElection election,
    QueueStatsCache cache,
    NodeOptions options,
    PeerTable peers,
    PeerClient client,
    QueueMetrics metrics,
    QueuePruner pruner,
    TimeProvider time,
    LoopRegistry loops,
    ILogger<QueueMaintenanceLoop> logger) : PeriodicService(time, loops, logger)
{
    public static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(5);

    /// <summary>How often the serving node counts items per status and type (a walk over every item).</summary>
    public static readonly TimeSpan CountByTypeInterval = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(1);

    private long _lastSweep = time.GetTimestamp();
    private readonly SweepClock _sweepClock = new(time);
    private long? _lastCount;

    protected override TimeSpan Period => RefreshInterval;

    public override string LoopName => "queue_maintenance";

    protected override async Task StepAsync(CancellationToken ct)
    {
        if (coordinator.Path == ConsensusPath.Raft)
        {
            await RaftStepAsync(ct);
            return;
        }
        var serving = election.IsLeader && queue.ActiveEpoch == election.Snapshot.Epoch;
        if (SweepDue(serving) is { } asOf)
            Record(await queue.RequeueTimedOutAsync(asOf, ct));
        if (serving) StartPruning(queue.PruneFinishedAsync, ct);
        else pruner.Reset();
        await RefreshAsync(ct);
        if (!serving) ForgetCounts();
        else if (CountDue()) cache.SetByType(await store.CountByStatusAndTypeAsync(ct));
    }

    /// <summary>
    /// Reads the sweep clock on every step while serving (so a leadership anchors it within a second of
    /// starting to serve) and returns the time to sweep at when a sweep is due; resets it otherwise.
    /// </summary>
    private double? SweepDue(bool serving)
    {
        if (!serving)
        {
            _sweepClock.Reset();
            return null;
        }
        var asOf = _sweepClock.UnixNow();
        if (Time.GetElapsedTime(_lastSweep) < SweepInterval) return null;
        _lastSweep = Time.GetTimestamp();
        return asOf;
    }

    /// <summary>Stops the loop, then waits for a retention round still running (its token is cancelled, so it ends soon), before the queue closes.</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await pruner.Idle().WaitAsync(cancellationToken);
    }

    /// <summary>Starts a retention round when one is due, judged at the sweep clock's now (read here, on the loop's thread).</summary>
    private void StartPruning(Func<QueueRetention, double, CancellationToken, Task<PruneRound>> round, CancellationToken ct)
    {
        var now = _sweepClock.UnixNow();
        pruner.StartIfDue((retention, c) => round(retention, now, c), ct);
    }

    private void Record(IReadOnlyList<WorkItem> timedOut)
    {
        if (timedOut.Count == 0) return;
        logger.Requeued(timedOut.Count);
        metrics.TimedOut(timedOut);
    }

    private bool CountDue()
    {
        if (_lastCount is { } last && Time.GetElapsedTime(last) < CountByTypeInterval) return false;
        _lastCount = Time.GetTimestamp();
        return true;
    }

    /// <summary>Not serving: the counts would be a replica's, not the cluster's; the next leader counts again at once.</summary>
    private void ForgetCounts()
    {
        _lastCount = null;
        cache.SetByType(null);
    }

    private async Task RaftStepAsync(CancellationToken ct)
    {
        if (raft.Queue is not { } replicated || raft.Node is not { } node)
        {
            _sweepClock.Reset();
            pruner.Reset();
            cache.Set(new QueueStats { IsLeader = false, IsReady = false });
            ForgetCounts();
            return;
        }
        if (SweepDue(node.IsLeader) is { } asOf)
            Record(await replicated.RequeueTimedOutAsync(asOf, ct));
        if (node.IsLeader) StartPruning(replicated.PruneFinishedAsync, ct);
        else pruner.Reset();
        var stats = node.ReadLocal(state => state.Stats());
        cache.Set(stats with { IsLeader = node.IsLeader, IsReady = node.IsReady, LeaderAddress = node.LeaderHttpAddress ?? node.LeaderAddress });
        if (!node.IsLeader) ForgetCounts();
        else if (CountDue()) cache.SetByType(node.ReadLocal(state => state.CountByStatusAndType()));
    }

    /// <summary>
    /// Voters hold a replica, so their own counts are close to the leader's; a node that is not a
    /// voter holds none and shows the leader's counts instead, fetched here in the background.
    /// </summary>
    public async Task RefreshAsync(CancellationToken ct)
    {
        var snapshot = election.Snapshot;
        var serving = election.IsLeader && queue.ActiveEpoch == snapshot.Epoch;
        QueueStats? stats = null;
        if (!options.IsVoter && snapshot.LeaderId is { } leader && peers.TryGet(leader, out var record))
            stats = await client.GetAsync<QueueStats>(record.Endpoint, "work/status", RefreshInterval, ct);
        stats ??= await replica.Store.GetQueueStatsAsync(ct);
        var leaderAddress = snapshot.LeaderAddress
            ?? (snapshot.LeaderId is { } id && peers.TryGet(id, out var p) ? p.Endpoint.ToString() : null);
        cache.Set(stats with { IsLeader = serving, IsReady = serving || snapshot.LeaderId is not null, LeaderAddress = leaderAddress });
    }
}
