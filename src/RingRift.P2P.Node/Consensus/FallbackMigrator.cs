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
/// "migrate-&lt;work_id&gt;", read it back from Raft (a linearizable read), and only then complete the
/// SQLite copy with result <c>{"moved_to_raft": true}</c>. The read-back matters: the add goes through
/// the work port, which serves from whichever queue serves at that moment, so if Raft stops serving
/// mid-pass the add lands on the SQLite queue, finds the item there and answers "duplicate id". Taking
/// that for "already in Raft" would complete the only copy. An item not found in Raft ends the pass;
/// a crash or a failure between the steps leaves the item claimed by <see cref="Claimant"/>, and the
/// next pass finishes it. Items a worker claimed from
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
        if (!raft.Enabled || coordinator.Path != ConsensusPath.Raft || raft.Node is not { IsReady: true } || raft.Queue is not { } raftQueue) return;
        if (!election.IsLeader || quorum.ActiveEpoch != election.Snapshot.Epoch) return;
        var pass = await MoveAsync(quorum, (item, commandId, c) => work.AddAsync(item, commandId, c), raftQueue.GetWorkAsync, ct);
        if (pass.Moved > 0)
        {
            Moved += pass.Moved;
            logger.FallbackItemsMoved(pass.Moved);
        }
        if (pass.NotInRaft is { } workId) logger.FallbackMoveNotConfirmed(workId);
        if (pass.Error is { } error) logger.FallbackMoveFailed(error.Message);
    }

    /// <summary>
    /// What one pass did: how many items it moved, and why it stopped early, if it did: the item Raft did not
    /// hold after its add, or the error a queue call raised.
    /// </summary>
    internal readonly record struct Pass(int Moved, string? NotInRaft = null, Exception? Error = null);

    /// <summary>
    /// One pass over <paramref name="sqlite"/>: requeue timed-out claims, then move the items left claimed by
    /// <see cref="Claimant"/> and the pending ones (oldest first, at most <see cref="BatchSize"/> of each).
    /// Each is added through <paramref name="add"/> (the work port: work, command id) and completed in SQLite only
    /// once <paramref name="findInRaft"/> returns it.
    /// </summary>
    internal static async Task<Pass> MoveAsync(IWorkQueue sqlite, Func<NewWork, string, CancellationToken, Task> add,
        Func<string, CancellationToken, Task<WorkItem?>> findInRaft, CancellationToken ct)
    {
        var moved = 0;
        try
        {
            await sqlite.RequeueTimedOutAsync(ct);
            var stuck = (await sqlite.ListWorkAsync(WorkStatus.Claimed, BatchSize, ct)).Where(i => i.ClaimedBy == Claimant);
            var pending = await sqlite.ListWorkAsync(WorkStatus.Pending, BatchSize, ct);
            foreach (var item in stuck.Concat(pending.OrderBy(i => i.CreatedAt)))
            {
                if (item.Status == WorkStatus.Pending && !await sqlite.ClaimWorkAsync(item.WorkId, Claimant, ct)) continue;
                await AddIgnoringDuplicateAsync(add, item, ct);
                if (await findInRaft(item.WorkId, ct) is null) return new Pass(moved, NotInRaft: item.WorkId);
                await sqlite.CompleteWorkAsync(item.WorkId, new JsonObject { ["moved_to_raft"] = true }, Claimant, ct);
                moved++;
            }
            return new Pass(moved);
        }
        catch (Exception error) when (error is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            return new Pass(moved, Error: error);
        }
    }

    /// <summary>Adds the item under its own work_id; "duplicate id" is left to the read-back to interpret.</summary>
    private static async Task AddIgnoringDuplicateAsync(Func<NewWork, string, CancellationToken, Task> add, WorkItem item, CancellationToken ct)
    {
        try
        {
            await add(NewWork.CopyOf(item), "migrate-" + item.WorkId, ct);
        }
        catch (Exception e) when (e is DuplicateWorkException or ApiException { Status: StatusCodes.Status409Conflict })
        {
            // an earlier attempt added it, or the add reached the SQLite queue: the read-back tells which
        }
    }
}
