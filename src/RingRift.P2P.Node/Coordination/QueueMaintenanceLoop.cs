using RingRift.P2P.Coordination;
using RingRift.P2P.Election;

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
    ILogger<QueueMaintenanceLoop> logger) : BackgroundService
{
    public static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(RefreshInterval, time);
        var lastSweep = time.GetTimestamp();
        try
        {
            do
            {
                try
                {
                    var serving = election.IsLeader && queue.ActiveEpoch == election.Snapshot.Epoch;
                    if (serving && time.GetElapsedTime(lastSweep) >= SweepInterval)
                    {
                        lastSweep = time.GetTimestamp();
                        var requeued = await queue.RequeueTimedOutAsync(stoppingToken);
                        if (requeued.Count > 0) logger.LogInformation("Requeued {Count} timed-out work items", requeued.Count);
                    }
                    await RefreshAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogWarning("Queue maintenance failed: {Error}", ex.Message);
                }
            } while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
    }

    public async Task RefreshAsync(CancellationToken ct)
    {
        var stats = await replica.Store.GetQueueStatsAsync(ct);
        var snapshot = election.Snapshot;
        var serving = election.IsLeader && queue.ActiveEpoch == snapshot.Epoch;
        cache.Set(stats with { IsLeader = serving, IsReady = serving || snapshot.LeaderId is not null, LeaderAddress = snapshot.LeaderAddress });
    }
}
