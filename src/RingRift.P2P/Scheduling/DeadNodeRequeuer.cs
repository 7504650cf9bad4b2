using RingRift.P2P.Coordination;
using RingRift.P2P.Membership;

namespace RingRift.P2P.Scheduling;

/// <summary>
/// The leader's guard against work stranded on dead nodes: every tick, claimed and running items
/// whose claimant membership no longer reports alive go back through
/// <see cref="IWorkQueue.FailWorkAsync"/> (to pending while attempts remain, else failed), at once
/// rather than after the item's timeout.
/// </summary>
/// <remarks>
/// <para>Rules, in order, per claimant of a claimed / running item:</para>
/// <list type="number">
/// <item>This node is not leader → nothing happens, and the leadership clock resets.</item>
/// <item>The claimant is this node (<see cref="IMembershipView.SelfId"/>) → left alone: its own runner owns it.</item>
/// <item>Membership reports it alive → left alone.</item>
/// <item>It is not a cluster node at all (<c>isClusterNode</c> false: an external worker pulling with
/// its own id) → left to the item's timeout; membership cannot speak for it.</item>
/// <item>It left on purpose (<c>hasLeft</c>: SWIM left, or a goodbye heartbeat) → requeued once it has been
/// gone for <see cref="DeadNodeRequeuerOptions.DepartedGrace"/> (counted from the first tick of this leadership
/// that saw it gone); until then deferred. Its jobs outlive it, and a node restarted within the grace
/// reattaches to them and reports them.</item>
/// <item>Membership has declared it dead (<c>isDeclaredDead</c>) → requeued now.</item>
/// <item>Otherwise (unknown to membership, never heard) → requeued only once this node has
/// been leader for <see cref="DeadNodeRequeuerOptions.Grace"/>: a new leader must first have had a
/// chance to hear from every live node; until then the items count as deferred.</item>
/// </list>
/// <para>The fail is fenced to the claimant (<c>nodeId</c> = the dead node), so an item that was
/// completed or reclaimed meanwhile is refused by the queue and counted as raced. The leadership
/// clock starts at the first tick that says this node leads, so the lead should tick at least
/// once per heartbeat interval. Ticks must not overlap.</para>
/// </remarks>
public sealed class DeadNodeRequeuer
{
    private readonly IWorkQueue _queue;
    private readonly IMembershipView _membership;
    private readonly Func<string, bool> _isDeclaredDead;
    private readonly Func<string, bool> _isClusterNode;
    private readonly TimeProvider _time;
    private readonly Func<string, bool> _hasLeft;
    private readonly DeadNodeRequeuerOptions _options;
    private readonly Dictionary<string, long> _leftSince = new(StringComparer.Ordinal);
    private long? _leaderSince;
    private volatile RequeueTick? _lastTick;

    /// <param name="queue">The cluster queue.</param>
    /// <param name="membership">This node's membership view (its <see cref="IMembershipView.SelfId"/> is never requeued).</param>
    /// <param name="isDeclaredDead">True when membership has positively declared the node dead (SWIM dead or
    /// left; <see cref="PeerTableDeaths.IsDeclaredDead"/> for heartbeats). Must not throw.</param>
    /// <param name="time">Clock for the grace.</param>
    /// <param name="options">Grace and list limit; defaults when null.</param>
    /// <param name="isClusterNode">True for ids membership knows or once knew (heard, from the inventory or
    /// the saved peer list); others are external workers whose items only their timeout requeues. Null: every id is a cluster node.</param>
    /// <param name="hasLeft">True when the node left on purpose and has not been back (SWIM left; a goodbye heartbeat).
    /// Must not throw. Null: no node ever counts as having left.</param>
    public DeadNodeRequeuer(IWorkQueue queue, IMembershipView membership, Func<string, bool> isDeclaredDead, TimeProvider time,
        DeadNodeRequeuerOptions? options = null, Func<string, bool>? isClusterNode = null, Func<string, bool>? hasLeft = null)
    {
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentNullException.ThrowIfNull(membership);
        ArgumentNullException.ThrowIfNull(isDeclaredDead);
        ArgumentNullException.ThrowIfNull(time);
        _queue = queue;
        _membership = membership;
        _isDeclaredDead = isDeclaredDead;
        _isClusterNode = isClusterNode ?? (_ => true);
        _hasLeft = hasLeft ?? (_ => false);
        _time = time;
        _options = options ?? new DeadNodeRequeuerOptions();
    }

    /// <summary>
    /// Raised after a tick, once per node whose work it moved (for the <c>node_offline</c> webhook).
    /// A handler that throws does not stop the others or the tick; see <see cref="RequeueTick"/>.
    /// </summary>
    public event Action<NodeDeclaredDead>? NodeDeclaredDead;

    /// <summary>The most recent tick, or null before the first.</summary>
    public RequeueTick? LastTick => _lastTick;

    /// <summary>Runs one pass. <paramref name="isLeader"/>: whether this node leads now.</summary>
    public async Task<RequeueTick> TickAsync(bool isLeader, CancellationToken ct = default)
    {
        var now = _time.GetTimestamp();
        var at = _time.GetUtcNow();
        if (!isLeader)
        {
            _leaderSince = null;
            _leftSince.Clear();
            return _lastTick = new RequeueTick { At = at };
        }
        _leaderSince ??= now;
        var graceOver = _time.GetElapsedTime(_leaderSince.Value, now) >= _options.Grace;

        var claimed = await _queue.ListWorkAsync(WorkStatus.Claimed, _options.ListLimit, ct).ConfigureAwait(false);
        var running = await _queue.ListWorkAsync(WorkStatus.Running, _options.ListLimit, ct).ConfigureAwait(false);

        int requeued = 0, failed = 0, deferred = 0, raced = 0, external = 0;
        var deadNodes = new List<NodeDeclaredDead>();
        var stillLeft = new HashSet<string>(StringComparer.Ordinal);
        foreach (var holder in ByClaimant(claimed, running))
        {
            var nodeId = holder.Key;
            if (nodeId == _membership.SelfId) continue;          // our own runner owns these
            if (_membership.IsPeerAlive(nodeId)) continue;       // alive: nothing to do
            if (!_isClusterNode(nodeId))                          // an external worker: its item timeout decides
            {
                external += holder.Value.Count;
                continue;
            }
            var left = _hasLeft(nodeId);
            if (left)                                             // stopped on purpose: a restart reattaches to its jobs
            {
                stillLeft.Add(nodeId);
                var since = _leftSince.TryGetValue(nodeId, out var first) ? first : _leftSince[nodeId] = now;
                if (_time.GetElapsedTime(since, now) < _options.DepartedGrace)
                {
                    deferred += holder.Value.Count;
                    continue;
                }
            }
            var declared = !left && _isDeclaredDead(nodeId);
            if (!left && !declared && !graceOver)                 // not yet had a chance to hear from it
            {
                deferred += holder.Value.Count;
                continue;
            }

            var error = left
                ? $"node_offline: {nodeId} left and was not back within {_options.DepartedGrace.TotalSeconds:0.###} s"
                : declared
                ? $"node_offline: {nodeId} declared dead by membership"
                : $"node_offline: {nodeId} not alive in membership {_options.Grace.TotalSeconds:0.###} s after this leader took over";
            var back = new List<string>();
            var gone = new List<string>();
            foreach (var workId in holder.Value)
            {
                switch (await FailAsync(workId, error, nodeId, ct).ConfigureAwait(false))
                {
                    case WorkStatus.Pending: back.Add(workId); break;
                    case WorkStatus.Failed: gone.Add(workId); break;
                    default: raced++; break;
                }
            }
            requeued += back.Count;
            failed += gone.Count;
            if (back.Count + gone.Count > 0)
            {
                var cause = left ? DeadNodeCause.LeftNotBack : declared ? DeadNodeCause.DeclaredDead : DeadNodeCause.NotSeenAfterGrace;
                deadNodes.Add(new NodeDeclaredDead(nodeId, cause, at, back, gone));
            }
        }
        foreach (var nodeId in _leftSince.Keys.Where(id => !stillLeft.Contains(id)).ToList())
            _leftSince.Remove(nodeId); // back, or holds nothing any more: a later leave starts a new grace

        var tick = new RequeueTick
        {
            At = at,
            Leading = true,
            GraceOver = graceOver,
            Requeued = requeued,
            Failed = failed,
            Deferred = deferred,
            Raced = raced,
            External = external,
            DeadNodes = deadNodes,
            NotifyErrors = Notify(deadNodes),
        };
        _lastTick = tick;
        return tick;
    }

    /// <summary>Fails one item fenced to its claimant; the status it ended in, or null when it had changed.</summary>
    private async Task<WorkStatus?> FailAsync(string workId, string error, string nodeId, CancellationToken ct)
    {
        try
        {
            var after = await _queue.FailWorkAsync(workId, error, nodeId, ct).ConfigureAwait(false);
            return after.Status;
        }
        catch (WorkConflictException)
        {
            return null; // completed, cancelled or held by another node by now
        }
        catch (WorkNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Claimed and running items grouped by claimant, nodes and items in ordinal order (deterministic).</summary>
    private static SortedDictionary<string, List<string>> ByClaimant(IReadOnlyList<WorkItem> claimed, IReadOnlyList<WorkItem> running)
    {
        var groups = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var item in claimed.Concat(running))
        {
            if (string.IsNullOrEmpty(item.ClaimedBy)) continue;
            if (!groups.TryGetValue(item.ClaimedBy, out var ids)) groups[item.ClaimedBy] = ids = [];
            ids.Add(item.WorkId);
        }
        foreach (var ids in groups.Values) ids.Sort(StringComparer.Ordinal);
        return groups;
    }

    private int Notify(List<NodeDeclaredDead> deadNodes)
    {
        if (deadNodes.Count == 0 || NodeDeclaredDead is not { } handlers) return 0;
        var errors = 0;
        foreach (var dead in deadNodes)
        {
            foreach (var handler in handlers.GetInvocationList().Cast<Action<NodeDeclaredDead>>())
            {
                try
                {
                    handler(dead);
                }
                catch (Exception)
                {
                    errors++; // a webhook hook must not block the requeue loop; the count is in the tick
                }
            }
        }
        return errors;
    }
}
