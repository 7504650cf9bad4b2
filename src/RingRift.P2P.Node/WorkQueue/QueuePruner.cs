using RingRift.P2P.Coordination;
using RingRift.P2P.Node.Api;
using RingRift.P2P.Node.Hosting;
using RingRift.P2P.Node.Metrics;
using RingRift.P2P.Raft;
using RingRift.P2P.Raft.Node;
using RingRift.P2P.Storage;

namespace RingRift.P2P.Node.WorkQueue;

/// <summary>
/// The leader's retention rounds (<see cref="QueueRetention"/>, from <c>RINGRIFT_QUEUE_RETENTION</c> and
/// <c>RINGRIFT_QUEUE_RETAIN_MAX</c>): the queue maintenance loop starts one every <see cref="QueueRetention.Interval"/>
/// while this node serves the queue, on whichever queue serves (a prune command in the Raft log, or a deletion
/// pushed to the SQLite replicas). A round runs beside the loop, one at a time, so a round waiting for a slow
/// voter never holds up the loop's other work. What the rounds did shows in <c>/status</c> <c>work_retention</c>
/// and in <c>ringrift_p2p_work_pruned_total</c>.
/// </summary>
public sealed class QueuePruner(NodeOptions options, QueueMetrics metrics, TimeProvider time, ILogger<QueuePruner> logger)
{
    private readonly QueueRetention _retention = options.Config.Retention;
    private readonly Lock _gate = new();
    private long? _lastStart;
    private Task? _round;
    private long _pruned;
    private double? _lastPrunedAt;
    private string? _waiting;

    public QueueRetention Retention => _retention;

    /// <summary>
    /// Starts <paramref name="round"/> (given the retention) when one is due: retention is on, none is running,
    /// and the last one started at least <see cref="QueueRetention.Interval"/> ago. Returns at once.
    /// </summary>
    public void StartIfDue(Func<QueueRetention, CancellationToken, Task<PruneRound>> round, CancellationToken ct)
    {
        if (!_retention.IsEnabled) return;
        lock (_gate)
        {
            if (_round is { IsCompleted: false }) return;
            if (_lastStart is { } last && time.GetElapsedTime(last) < QueueRetention.Interval) return;
            _lastStart = time.GetTimestamp();
            _round = Task.Run(() => RunAsync(round, ct), CancellationToken.None);
        }
    }

    /// <summary>This node stopped serving: the next leadership starts a round at once.</summary>
    public void Reset()
    {
        lock (_gate) _lastStart = null;
    }

    /// <summary>Waits for the round in progress, if any (tests, shutdown).</summary>
    public Task Idle()
    {
        lock (_gate) return _round ?? Task.CompletedTask;
    }

    /// <summary>The retention settings and what this node's rounds did since it started.</summary>
    public WorkRetentionStatus Status
    {
        get
        {
            lock (_gate)
                return new WorkRetentionStatus(_retention.MaxAge.TotalSeconds, _retention.MaxFinished, _pruned, _lastPrunedAt, _waiting);
        }
    }

    private async Task RunAsync(Func<QueueRetention, CancellationToken, Task<PruneRound>> round, CancellationToken ct)
    {
        try
        {
            var done = await round(_retention, ct);
            lock (_gate)
            {
                _waiting = done.Waiting;
                if (done.Pruned > 0)
                {
                    _pruned += done.Pruned;
                    _lastPrunedAt = time.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0;
                }
            }
            if (done.Pruned > 0)
            {
                metrics.Pruned(done.Pruned);
                logger.Pruned(done.Pruned);
            }
            if (done.Waiting is { } why) logger.PruneWaiting(why);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is NotLeaderException or QuorumUnreachableException or NotRaftLeaderException
                                      or RaftCommitUnknownException or RaftReadUnavailableException or StorageFullException)
        {
            lock (_gate) _waiting = e.Message; // leadership or quorum moved under the round: the next one tries again
            logger.PruneWaiting(e.Message);
        }
        catch (Exception e)
        {
            lock (_gate) _waiting = e.Message;
            logger.PruneFailed(e);
        }
    }
}
