using System.Text.Json.Nodes;
using RingRift.P2P.Coordination;
using RingRift.P2P.Election;
using RingRift.P2P.Loops;
using RingRift.P2P.Node.Api;
using RingRift.P2P.Node.Cluster;
using RingRift.P2P.Node.Hosting;

namespace RingRift.P2P.Node.Consensus;

/// <summary>
/// Moves work that landed in the SQLite fallback queue (while Raft could not serve) into Raft once
/// Raft serves again — exactly once. Runs on the node that owns the SQLite queue (the Bully leader).
/// Per item: claim it in SQLite for <see cref="Claimant"/> (only a pending item can be claimed, so a
/// worker's claim wins over the move), add it to Raft under its own work_id with command id
/// "migrate-&lt;work_id&gt;" (a duplicate id means an earlier attempt already added it), then complete
/// the SQLite copy with result <c>{"moved_to_raft": true}</c>. A crash between the steps leaves the
/// item claimed by <see cref="Claimant"/>, and the next pass finishes it. Items a worker claimed from
/// SQLite during the fallback are left to that worker until their timeout; each pass then requeues
/// the timed-out ones (no other loop sweeps SQLite while Raft serves), and the next pass moves them.
/// </summary>
public sealed class FallbackMigrator(ConsensusSwitch coordinator, RaftService raft, BullyElection election, QuorumWorkQueue quorum,
    IClusterWork work, TimeProvider time, LoopRegistry loops, ILogger<FallbackMigrator> logger) : PeriodicService(time, loops, logger)
{
    /// <summary>The SQLite claimant of items being moved.</summary>
    public const string Claimant = "raft-migration";

    /// <summary>Most items moved per pass: 500.</summary>
    public const int BatchSize = 500;

    protected override TimeSpan Period => TimeSpan.FromSeconds(1);

    public override string LoopName => "fallback_migration";

    /// <summary>Items moved since start.</summary>
    public long Moved { get; private set; }

    protected override async Task StepAsync(CancellationToken ct)
    {
        if (!raft.Enabled || coordinator.Path != ConsensusPath.Raft || raft.Node is not { IsReady: true }) return;
        if (!election.IsLeader || quorum.ActiveEpoch != election.Snapshot.Epoch) return;
        var moved = 0;
        try
        {
            await quorum.RequeueTimedOutAsync(ct);
            var stuck = (await quorum.ListWorkAsync(WorkStatus.Claimed, BatchSize, ct)).Where(i => i.ClaimedBy == Claimant);
            var pending = await quorum.ListWorkAsync(WorkStatus.Pending, BatchSize, ct);
            foreach (var item in stuck.Concat(pending.OrderBy(i => i.CreatedAt)))
            {
                if (item.Status == WorkStatus.Pending && !await quorum.ClaimWorkAsync(item.WorkId, Claimant, ct)) continue;
                await AddToRaftAsync(item, ct);
                await quorum.CompleteWorkAsync(item.WorkId, new JsonObject { ["moved_to_raft"] = true }, Claimant, ct);
                moved++;
            }
        }
        catch (Exception error) when (error is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            logger.FallbackMoveFailed(error.Message);
        }
        if (moved > 0)
        {
            Moved += moved;
            logger.FallbackItemsMoved(moved);
        }
    }

    /// <summary>Adds the item to Raft through the work port (the Raft leader serves it, here or elsewhere).</summary>
    private async Task AddToRaftAsync(WorkItem item, CancellationToken ct)
    {
        try
        {
            await work.AddAsync(NewWork.CopyOf(item), "migrate-" + item.WorkId, ct);
        }
        catch (Exception e) when (e is DuplicateWorkException or ApiException { Status: StatusCodes.Status409Conflict })
        {
            // added by an earlier attempt
        }
    }
}
