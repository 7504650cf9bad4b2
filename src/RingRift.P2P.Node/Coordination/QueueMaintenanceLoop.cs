using RingRift.P2P.Coordination;
using RingRift.P2P.Election;
using RingRift.P2P.Node.Hosting;

namespace RingRift.P2P.Node.Coordination;

/// <summary>
/// Every second: refreshes the cached queue counts; on the serving leader, at least every 5 s,
/// requeues claimed or running items whose timeout has passed (and replicates that change).
/// </summary>
public sealed class QueueMaintenanceLoop(
    QuorumWorkQueue queue,
    WorkReplica replica,
    BullyElection election,
    QueueStatsCache cache,
    TimeProvider time,
    ILogger<QueueMaintenanceLoop> logger) : PeriodicService(time, logger)
{
    public static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(1);

    private long _lastSweep = time.GetTimestamp();

    protected override TimeSpan Period => RefreshInterval;

    protected override async Task StepAsync(CancellationToken ct)
    {
        var serving = election.IsLeader && queue.ActiveEpoch == election.Snapshot.Epoch;
        if (serving && Time.GetElapsedTime(_lastSweep) >= SweepInterval)
        {
            _lastSweep = Time.GetTimestamp();
            var requeued = await queue.RequeueTimedOutAsync(ct);
            if (requeued.Count > 0) logger.LogInformation("Requeued {Count} timed-out work items", requeued.Count);
        }
        await RefreshAsync(ct);
    }

    public async Task RefreshAsync(CancellationToken ct)
    {
        var stats = await replica.Store.GetQueueStatsAsync(ct);
        var snapshot = election.Snapshot;
        var serving = election.IsLeader && queue.ActiveEpoch == snapshot.Epoch;
        cache.Set(stats with { IsLeader = serving, IsReady = serving || snapshot.LeaderId is not null, LeaderAddress = snapshot.LeaderAddress });
    }
}
