using System.Text.Json.Nodes;
using RingRift.P2P.Models;

namespace RingRift.P2P.Coordination;

/// <summary>
/// The cluster work queue (the seed's ReplicatedWorkQueue API). Implemented by the embedded
/// SQLite queue and, later, by the Raft-replicated queue; one contract test suite runs against both.
/// </summary>
/// <remarks>
/// Life cycle: pending → claimed → running → completed | failed | cancelled. A claim counts as an
/// attempt. A failed (or timed-out) item returns to pending while attempts &lt; max_attempts, and
/// stays failed after that. Claims are atomic: of any number of concurrent claimers of one item,
/// exactly one wins.
/// </remarks>
public interface IWorkQueue
{
    /// <summary>Adds an item; throws <see cref="DuplicateWorkException"/> when the id exists, <see cref="ArgumentException"/> on bad fields.</summary>
    Task<WorkItem> AddWorkAsync(NewWork work, CancellationToken ct = default);

    /// <summary>Claims one pending item for a node. False when it is missing or not pending.</summary>
    Task<bool> ClaimWorkAsync(string workId, string nodeId, CancellationToken ct = default);

    /// <summary>
    /// Claims the best pending item whose work_type is in <paramref name="capabilities"/>
    /// (null or empty: any): highest priority, then oldest, then lowest id. Null when none.
    /// </summary>
    Task<WorkItem?> ClaimNextAsync(string nodeId, IReadOnlyCollection<JobType>? capabilities, CancellationToken ct = default);

    /// <summary>claimed → running. <paramref name="nodeId"/>, when given, must be the claimant.</summary>
    Task<WorkItem> StartWorkAsync(string workId, string? nodeId = null, CancellationToken ct = default);

    /// <summary>claimed | running → completed, storing the result.</summary>
    Task<WorkItem> CompleteWorkAsync(string workId, JsonObject? result, string? nodeId = null, CancellationToken ct = default);

    /// <summary>claimed | running → pending (attempts left) or failed (none left), storing the error.</summary>
    Task<WorkItem> FailWorkAsync(string workId, string error, string? nodeId = null, CancellationToken ct = default);

    /// <summary>pending | claimed | running → cancelled; completed / failed items raise <see cref="WorkConflictException"/>.</summary>
    Task<WorkItem> CancelWorkAsync(string workId, CancellationToken ct = default);

    Task<WorkItem?> GetWorkAsync(string workId, CancellationToken ct = default);

    /// <summary>Items, optionally of one status, newest first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<WorkItem>> ListWorkAsync(WorkStatus? status = null, int limit = 1000, CancellationToken ct = default);

    Task<QueueStats> GetQueueStatsAsync(CancellationToken ct = default);

    /// <summary>
    /// Puts claimed / running items whose (started_at ?? claimed_at) + timeout_seconds has passed back
    /// to pending, or to failed when attempts are used up. Returns the items it changed.
    /// </summary>
    Task<IReadOnlyList<WorkItem>> RequeueTimedOutAsync(CancellationToken ct = default);
}

/// <summary>
/// A local store that a leader replicates: it versions every change under the current epoch,
/// accepts newer versions of items from the leader, and exports everything it holds.
/// </summary>
public interface IReplicaWorkStore : IWorkQueue
{
    /// <summary>
    /// Leader epoch stamped into new versions: every version assigned from now on is at least
    /// <c>epoch &lt;&lt; 40</c> and greater than any version already stored.
    /// </summary>
    void SetEpoch(long epoch);

    /// <summary>Stores each item whose version is greater than the stored one (or that is new). Returns how many were stored.</summary>
    Task<int> ApplyReplicatedAsync(IReadOnlyList<WorkItem> items, CancellationToken ct = default);

    /// <summary>Every item held, any status.</summary>
    Task<IReadOnlyList<WorkItem>> ExportAsync(CancellationToken ct = default);

    /// <summary>
    /// The highest version ever stored in this store (0 when empty). A replica compares it with the
    /// highest version it has acknowledged (<see cref="ReplicaPosition"/>) to notice a store that is
    /// older than what it acknowledged, e.g. one restored from a backup.
    /// </summary>
    Task<long> GetHighestVersionAsync(CancellationToken ct = default);

    /// <summary>
    /// <see cref="IWorkQueue.RequeueTimedOutAsync"/> judged at <paramref name="asOf"/> (Unix seconds) instead
    /// of this store's clock: the leader's sweep passes a time that a wall-clock step cannot move forward.
    /// </summary>
    Task<IReadOnlyList<WorkItem>> RequeueTimedOutAsync(double asOf, CancellationToken ct = default);

    /// <summary>
    /// Items that committed changes failed down a dependency chain (a dependency failed for good or was
    /// cancelled) since the last call; the leader replicates them with the change that caused them.
    /// </summary>
    IReadOnlyList<WorkItem> DrainSettled();

    /// <summary>
    /// The oldest <paramref name="limit"/> prunable finished items and how many there are (see <see cref="FinishedItems"/>):
    /// what the leader's retention round (<see cref="QueueRetention.Pick"/>) chooses from.
    /// </summary>
    Task<FinishedItems> ReadOldestFinishedAsync(int limit, CancellationToken ct = default);

    /// <summary>
    /// The leader's deletion: drops each of <paramref name="items"/> that this store still holds at exactly that
    /// version, finished, and that no unfinished item depends on. Returns the items it dropped.
    /// </summary>
    Task<IReadOnlyList<WorkItem>> PruneAsync(IReadOnlyList<WorkItem> items, CancellationToken ct = default);

    /// <summary>
    /// A replica's deletion, pushed by the leader: drops each item held at a version at most the given one
    /// (a newer version is the item added again since, and stays). Returns how many it dropped.
    /// </summary>
    Task<int> ApplyPrunedAsync(IReadOnlyList<PrunedItem> items, CancellationToken ct = default);

    /// <summary>
    /// Drops every item stored at a version below <paramref name="version"/>: after a hand-over has stored the
    /// merged queue (every item re-stamped at or above the new epoch's base version), what lies below is what
    /// the merge left out. Returns how many it dropped.
    /// </summary>
    Task<int> DropBelowAsync(long version, CancellationToken ct = default);
}
