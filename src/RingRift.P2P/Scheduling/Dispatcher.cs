using RingRift.P2P.Coordination;
using RingRift.P2P.Jobs;
using RingRift.P2P.Models;

namespace RingRift.P2P.Scheduling;

/// <summary>
/// The leader's push dispatch: each round reads the queue, plans with <see cref="PlacementPlanner"/>
/// and claims every planned item on behalf of its node (<see cref="IWorkQueue.ClaimWorkAsync"/>),
/// up to <see cref="DispatcherOptions.MaxClaimsInFlight"/> claims at a time. The chosen node's job
/// runner then finds the item among those claimed by it.
/// </summary>
/// <remarks>
/// Used slots per node = claimed + running items whose claimed_by is that node, each counted in the
/// pool <see cref="JobSlots.KindOf"/> gives for its type on that node. A claim that returns false
/// lost a race (a worker pulled the item, or it was cancelled) and is counted, not an error. A claim
/// that throws is counted in <see cref="DispatchRound.ClaimErrors"/> and the round carries on. Rounds
/// must not overlap: a second concurrent call throws <see cref="InvalidOperationException"/>.
/// </remarks>
public sealed class Dispatcher
{
    private readonly DispatcherOptions _options;
    private readonly TimeProvider _time;
    private int _running;
    private volatile DispatchRound? _lastRound;

    public Dispatcher(DispatcherOptions? options = null, TimeProvider? time = null)
    {
        _options = options ?? new DispatcherOptions();
        _time = time ?? TimeProvider.System;
    }

    public DispatcherOptions Options => _options;

    /// <summary>The most recent finished round, or null before the first (for <c>/status</c>).</summary>
    public DispatchRound? LastRound => _lastRound;

    /// <summary>
    /// Runs one round. <paramref name="nodes"/> are the latest summaries of every known node (the
    /// leader included, if it runs jobs); <paramref name="isAlive"/> is membership's verdict per node id
    /// (it should say true for the leader itself).
    /// </summary>
    public async Task<DispatchRound> RunOnceAsync(IWorkQueue queue, IReadOnlyList<NodeSummary> nodes, Func<string, bool> isAlive, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentNullException.ThrowIfNull(isAlive);
        if (Interlocked.Exchange(ref _running, 1) == 1)
            throw new InvalidOperationException("a dispatch round is already running; rounds must not overlap");
        try
        {
            var round = await RunAsync(queue, nodes, isAlive, ct).ConfigureAwait(false);
            _lastRound = round;
            return round;
        }
        finally
        {
            Volatile.Write(ref _running, 0);
        }
    }

    private async Task<DispatchRound> RunAsync(IWorkQueue queue, IReadOnlyList<NodeSummary> nodes, Func<string, bool> isAlive, CancellationToken ct)
    {
        var startedAt = _time.GetUtcNow();
        var start = _time.GetTimestamp();

        var pending = await queue.ListWorkAsync(WorkStatus.Pending, _options.ListLimit, ct).ConfigureAwait(false);
        var claimed = await queue.ListWorkAsync(WorkStatus.Claimed, _options.ListLimit, ct).ConfigureAwait(false);
        var running = await queue.ListWorkAsync(WorkStatus.Running, _options.ListLimit, ct).ConfigureAwait(false);
        var afterRead = _time.GetTimestamp();

        var candidates = Candidates(nodes, isAlive, claimed, running);
        var plan = PlacementPlanner.Plan(pending, candidates, _options.LoadMaxForNewJobs);
        var afterPlan = _time.GetTimestamp();

        var commit = await CommitAsync(queue, plan.Placements, ct).ConfigureAwait(false);
        var end = _time.GetTimestamp();

        return new DispatchRound
        {
            StartedAt = startedAt,
            PendingSeen = pending.Count,
            ActiveSeen = claimed.Count + running.Count,
            Nodes = candidates.Count,
            NodesAlive = candidates.Count(c => c.Alive),
            Planned = plan.Placements.Count,
            Placed = commit.Committed.Count,
            LostRaces = commit.LostRaces,
            ClaimErrors = commit.Errors,
            FirstClaimError = commit.FirstError,
            Unplaced = plan.Unplaced,
            ReadMs = _time.GetElapsedTime(start, afterRead).TotalMilliseconds,
            PlanMs = _time.GetElapsedTime(afterRead, afterPlan).TotalMilliseconds,
            CommitMs = _time.GetElapsedTime(afterPlan, end).TotalMilliseconds,
            ElapsedMs = _time.GetElapsedTime(start, end).TotalMilliseconds,
            Committed = commit.Committed,
        };
    }

    /// <summary>One candidate per distinct node id (the first summary wins), with its used slots.</summary>
    private static List<NodeCandidate> Candidates(IReadOnlyList<NodeSummary> nodes, Func<string, bool> isAlive,
        IReadOnlyList<WorkItem> claimed, IReadOnlyList<WorkItem> running)
    {
        var byId = new Dictionary<string, NodeSummary>(nodes.Count, StringComparer.Ordinal);
        foreach (var node in nodes)
        {
            if (node is null || string.IsNullOrWhiteSpace(node.NodeId)) continue; // nothing to place on
            byId.TryAdd(node.NodeId, node);
        }

        var used = new Dictionary<string, (int Gpu, int Cpu)>(StringComparer.Ordinal);
        foreach (var item in claimed.Concat(running))
        {
            if (item.ClaimedBy is not { } holder || !byId.TryGetValue(holder, out var summary)) continue;
            used.TryGetValue(holder, out var slots);
            used[holder] = JobSlots.KindOf(item.WorkType, summary) == SlotKind.Gpu
                ? (slots.Gpu + 1, slots.Cpu)
                : (slots.Gpu, slots.Cpu + 1);
        }

        var candidates = new List<NodeCandidate>(byId.Count);
        foreach (var (id, summary) in byId)
        {
            used.TryGetValue(id, out var slots);
            candidates.Add(new NodeCandidate(summary, isAlive(id), slots.Gpu, slots.Cpu));
        }
        return candidates;
    }

    private async Task<CommitResult> CommitAsync(IWorkQueue queue, IReadOnlyList<Placement> placements, CancellationToken ct)
    {
        if (placements.Count == 0) return new CommitResult([], 0, 0, null);

        var outcomes = new ClaimOutcome[placements.Count];
        string? firstError = null;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = _options.MaxClaimsInFlight, CancellationToken = ct };
        await Parallel.ForEachAsync(Enumerable.Range(0, placements.Count), parallel, async (i, token) =>
        {
            var placement = placements[i];
            try
            {
                outcomes[i] = await queue.ClaimWorkAsync(placement.WorkId, placement.NodeId, token).ConfigureAwait(false)
                    ? ClaimOutcome.Claimed
                    : ClaimOutcome.LostRace;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !token.IsCancellationRequested)
            {
                outcomes[i] = ClaimOutcome.Error;
                Interlocked.CompareExchange(ref firstError, $"claim of '{placement.WorkId}' for '{placement.NodeId}' failed: {ex.Message}", null);
            }
        }).ConfigureAwait(false);

        var committed = new List<Placement>(placements.Count);
        int lost = 0, errors = 0;
        for (var i = 0; i < outcomes.Length; i++)
        {
            switch (outcomes[i])
            {
                case ClaimOutcome.Claimed: committed.Add(placements[i]); break;
                case ClaimOutcome.LostRace: lost++; break;
                default: errors++; break;
            }
        }
        return new CommitResult(committed, lost, errors, firstError);
    }

    private enum ClaimOutcome : byte
    {
        Error = 0,
        Claimed = 1,
        LostRace = 2,
    }

    private sealed record CommitResult(List<Placement> Committed, int LostRaces, int Errors, string? FirstError);
}
