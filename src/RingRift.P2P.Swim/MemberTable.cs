using System.Collections.Immutable;

namespace RingRift.P2P.Swim;

/// <summary>
/// This node's membership state machine: applies Alive, Suspect, Dead and Leave updates with the
/// incarnation rules of SWIM §4.2 and decides when this node must refute an accusation.
/// </summary>
/// <remarks>
/// <para>Rules, in the order each <c>Apply…</c> checks them:</para>
/// <list type="bullet">
/// <item>Alive about an unknown node adds it; Suspect, Dead and Leave about an unknown node are <see cref="ApplyResult.Unknown"/>.</item>
/// <item>An incarnation lower than the table's is <see cref="ApplyResult.Stale"/>; for Alive an equal one is stale too,
/// because only a strictly higher incarnation overrides Suspect, Dead or Left (SWIM §4.2).</item>
/// <item>Suspect, Dead, Leave, or a newer Alive, about this node is refuted: its incarnation becomes
/// <c>max(own, accused) + 1</c> and the result is <see cref="ApplyResult.Refuted"/>; the caller then
/// broadcasts <see cref="SelfAlive"/>. Once this node has called <see cref="LeaveSelf"/> it refutes nothing.</item>
/// <item>Suspect applies only to an Alive member; Dead applies to Alive or Suspect (it wins over Suspect at an
/// equal incarnation); Leave applies to any state but Left. Left stays final until an Alive with a higher incarnation.</item>
/// <item>An Alive with a higher incarnation but another address for a member still Alive or Suspect is a
/// <see cref="ApplyResult.Conflict"/> (two processes claiming one id); it is accepted once the member is Dead or Left.</item>
/// </list>
/// <para>Thread-safe: writers take one internal lock; readers get immutable snapshots.
/// <see cref="StateChanged"/> is raised after the change is visible, outside the lock, once per state change.</para>
/// </remarks>
public sealed class MemberTable
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private volatile Snapshot _snapshot;
    private bool _selfLeft;

    /// <summary>Creates a table that holds only this node, Alive.</summary>
    /// <param name="selfId">This node's id; not empty.</param>
    /// <param name="selfAddress">Address this node's SWIM transport listens on; not empty.</param>
    /// <param name="selfPort">Port this node's SWIM transport listens on; 1–65535.</param>
    /// <param name="time">Clock for <see cref="SwimMember.StateChangedAt"/>.</param>
    /// <param name="startIncarnation">
    /// 0 by default. A node that rejoins after being declared dead should start above the incarnation
    /// others remember (e.g. one persisted or derived from the clock), so its first Alive is not stale;
    /// if it does not, the first accusation it hears makes it refute upwards anyway.
    /// </param>
    /// <param name="selfMeta">Metadata this node gossips; empty by default.</param>
    public MemberTable(string selfId, string selfAddress, int selfPort, TimeProvider time,
        ulong startIncarnation = 0, byte[]? selfMeta = null)
    {
        RequireId(selfId, nameof(selfId));
        RequireAddress(selfAddress, selfPort, nameof(selfAddress), nameof(selfPort));
        ArgumentNullException.ThrowIfNull(time);

        _time = time;
        SelfId = selfId;
        var self = new SwimMember(selfId, selfAddress, selfPort, startIncarnation, SwimMemberState.Alive,
            time.GetUtcNow(), selfMeta ?? []);
        _snapshot = new Snapshot(
            ImmutableSortedDictionary.Create<string, SwimMember>(StringComparer.Ordinal).Add(selfId, self),
            0, 0, 0, 0);
    }

    /// <summary>Raised after a member's state changes (or it is first added, old state null); never for incarnation-only changes.</summary>
    public event Action<SwimMember, SwimMemberState?>? StateChanged;

    /// <summary>This node's id.</summary>
    public string SelfId { get; }

    /// <summary>This node's current entry (its incarnation rises with each refutation).</summary>
    public SwimMember Self => _snapshot.Members[SelfId];

    /// <summary>Immutable snapshot of every member including this node, ordered by id (ordinal).</summary>
    public ImmutableSortedDictionary<string, SwimMember> Members => _snapshot.Members;

    /// <summary>Alive members other than this node.</summary>
    public int AliveCount => _snapshot.Alive;

    /// <summary>Suspect members other than this node.</summary>
    public int SuspectCount => _snapshot.Suspect;

    /// <summary>Dead members other than this node.</summary>
    public int DeadCount => _snapshot.Dead;

    /// <summary>Members other than this node that left on purpose.</summary>
    public int LeftCount => _snapshot.Left;

    /// <summary>The member with <paramref name="nodeId"/>, or null when unknown.</summary>
    public SwimMember? Get(string nodeId)
    {
        ArgumentNullException.ThrowIfNull(nodeId);
        return _snapshot.Members.GetValueOrDefault(nodeId);
    }

    /// <summary>Alive members other than this node, ordered by id.</summary>
    public IReadOnlyList<SwimMember> AlivePeers()
    {
        Snapshot snapshot = _snapshot;
        var peers = new List<SwimMember>(snapshot.Alive);
        foreach (SwimMember member in snapshot.Members.Values)
        {
            if (member.State == SwimMemberState.Alive && member.NodeId != SelfId)
            {
                peers.Add(member);
            }
        }

        return peers;
    }

    /// <summary>This node's Alive message at its current incarnation, to broadcast after a refutation or on join.</summary>
    public AliveUpdate SelfAlive()
    {
        SwimMember self = Self;
        return new AliveUpdate(self.NodeId, self.Incarnation, self.Address, self.Port, self.Meta);
    }

    /// <summary>
    /// Marks this node Left (graceful leave) and returns the Leave message to broadcast. From now on
    /// the table refutes nothing about this node. Calling it again returns the same message.
    /// </summary>
    public LeaveUpdate LeaveSelf()
    {
        Change? change = null;
        LeaveUpdate leave;
        lock (_gate)
        {
            SwimMember self = _snapshot.Members[SelfId];
            leave = new LeaveUpdate(SelfId, self.Incarnation);
            if (!_selfLeft)
            {
                _selfLeft = true;
                change = Replace(self, self with { State = SwimMemberState.Left, StateChangedAt = _time.GetUtcNow() });
            }
        }

        Raise(change);
        return leave;
    }

    /// <summary>Applies "NodeId is alive at Incarnation" (SWIM §4.2).</summary>
    public ApplyOutcome ApplyAlive(AliveUpdate alive)
    {
        ArgumentNullException.ThrowIfNull(alive);
        RequireId(alive.NodeId, "alive.NodeId");
        RequireAddress(alive.Address, alive.Port, "alive.Address", "alive.Port");

        Change? change = null;
        ApplyOutcome outcome;
        lock (_gate)
        {
            outcome = AliveLocked(alive, ref change);
        }

        Raise(change);
        return outcome;
    }

    /// <summary>Applies "FromNodeId suspects NodeId at Incarnation" (SWIM §4.2).</summary>
    public ApplyOutcome ApplySuspect(SuspectUpdate suspect)
    {
        ArgumentNullException.ThrowIfNull(suspect);
        RequireId(suspect.NodeId, "suspect.NodeId");
        RequireId(suspect.FromNodeId, "suspect.FromNodeId");

        Change? change = null;
        ApplyOutcome outcome;
        lock (_gate)
        {
            outcome = SuspectLocked(suspect, ref change);
        }

        Raise(change);
        return outcome;
    }

    /// <summary>Applies "FromNodeId declares NodeId dead at Incarnation" (SWIM §4.2 Confirm).</summary>
    public ApplyOutcome ApplyDead(DeadUpdate dead)
    {
        ArgumentNullException.ThrowIfNull(dead);
        RequireId(dead.NodeId, "dead.NodeId");
        RequireId(dead.FromNodeId, "dead.FromNodeId");

        Change? change = null;
        ApplyOutcome outcome;
        lock (_gate)
        {
            outcome = DeadLocked(dead, ref change);
        }

        Raise(change);
        return outcome;
    }

    /// <summary>Applies "NodeId leaves on purpose at Incarnation".</summary>
    public ApplyOutcome ApplyLeave(LeaveUpdate leave)
    {
        ArgumentNullException.ThrowIfNull(leave);
        RequireId(leave.NodeId, "leave.NodeId");

        Change? change = null;
        ApplyOutcome outcome;
        lock (_gate)
        {
            outcome = LeaveLocked(leave, ref change);
        }

        Raise(change);
        return outcome;
    }

    /// <summary>
    /// Forgets Dead and Left members whose state has not changed for at least <paramref name="retainFor"/>,
    /// so the table does not grow forever; an Alive heard later re-adds them as new. Raises no event.
    /// </summary>
    /// <returns>How many members were removed.</returns>
    public int RemoveDeadAndLeft(TimeSpan retainFor)
    {
        if (retainFor < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(retainFor), retainFor,
                $"retainFor is {retainFor}; it must be zero or positive.");
        }

        lock (_gate)
        {
            DateTimeOffset cutoff = _time.GetUtcNow() - retainFor;
            int removed = 0;
            foreach (SwimMember member in _snapshot.Members.Values)
            {
                if (member.NodeId == SelfId
                    || member.State is not (SwimMemberState.Dead or SwimMemberState.Left)
                    || member.StateChangedAt > cutoff)
                {
                    continue;
                }

                _snapshot = _snapshot.Without(member, SelfId);
                removed++;
            }

            return removed;
        }
    }

    private ApplyOutcome AliveLocked(AliveUpdate alive, ref Change? change)
    {
        if (alive.NodeId == SelfId)
        {
            return AliveAboutSelfLocked(alive);
        }

        if (!_snapshot.Members.TryGetValue(alive.NodeId, out SwimMember? current))
        {
            var added = new SwimMember(alive.NodeId, alive.Address, alive.Port, alive.Incarnation,
                SwimMemberState.Alive, _time.GetUtcNow(), alive.Meta ?? []);
            _snapshot = _snapshot.With(null, added, SelfId);
            change = new Change(added, null);
            return new(ApplyResult.Applied, $"new member {alive.NodeId} at incarnation {alive.Incarnation}");
        }

        if (alive.Incarnation <= current.Incarnation)
        {
            return new(ApplyResult.Stale,
                $"alive at incarnation {alive.Incarnation} is not newer than {current.State} at {current.Incarnation}");
        }

        bool moved = alive.Address != current.Address || alive.Port != current.Port;
        if (moved && current.State is (SwimMemberState.Alive or SwimMemberState.Suspect))
        {
            return new(ApplyResult.Conflict,
                $"{alive.NodeId} is {current.State} at {current.Address}:{current.Port}, not {alive.Address}:{alive.Port}");
        }

        SwimMember updated = current with
        {
            Incarnation = alive.Incarnation,
            Address = alive.Address,
            Port = alive.Port,
            Meta = alive.Meta ?? [],
            State = SwimMemberState.Alive,
            StateChangedAt = current.State == SwimMemberState.Alive ? current.StateChangedAt : _time.GetUtcNow(),
        };
        change = Replace(current, updated);
        return new(ApplyResult.Applied,
            $"alive at incarnation {alive.Incarnation} overrides {current.State} at {current.Incarnation}");
    }

    private ApplyOutcome AliveAboutSelfLocked(AliveUpdate alive)
    {
        SwimMember self = _snapshot.Members[SelfId];
        if (_selfLeft)
        {
            return new(ApplyResult.Ignored, "this node has left; it refutes nothing");
        }

        if (alive.Incarnation < self.Incarnation)
        {
            return new(ApplyResult.Stale,
                $"alive about this node at incarnation {alive.Incarnation} is older than our {self.Incarnation}");
        }

        if (alive.Incarnation == self.Incarnation && alive.Address == self.Address && alive.Port == self.Port)
        {
            return new(ApplyResult.Ignored, "our own alive, echoed back");
        }

        return RefuteLocked(self, alive.Incarnation, "alive about this node with another address or a newer incarnation");
    }

    private ApplyOutcome SuspectLocked(SuspectUpdate suspect, ref Change? change)
    {
        if (!_snapshot.Members.TryGetValue(suspect.NodeId, out SwimMember? current))
        {
            return new(ApplyResult.Unknown, $"suspect about unknown node {suspect.NodeId}");
        }

        if (suspect.Incarnation < current.Incarnation)
        {
            return new(ApplyResult.Stale,
                $"suspect at incarnation {suspect.Incarnation} is older than {current.Incarnation}");
        }

        if (suspect.NodeId == SelfId)
        {
            return _selfLeft
                ? new(ApplyResult.Ignored, "this node has left; it refutes nothing")
                : RefuteLocked(current, suspect.Incarnation, $"suspected by {suspect.FromNodeId}");
        }

        if (current.State == SwimMemberState.Suspect)
        {
            return new(ApplyResult.AlreadySuspect,
                $"{suspect.NodeId} is already suspect; {suspect.FromNodeId} may count as a confirmation");
        }

        if (current.State != SwimMemberState.Alive)
        {
            return new(ApplyResult.Ignored, $"{suspect.NodeId} is {current.State}; only an alive member can become suspect");
        }

        change = Replace(current, current with
        {
            Incarnation = suspect.Incarnation,
            State = SwimMemberState.Suspect,
            StateChangedAt = _time.GetUtcNow(),
        });
        return new(ApplyResult.Applied, $"{suspect.FromNodeId} suspects {suspect.NodeId} at incarnation {suspect.Incarnation}");
    }

    private ApplyOutcome DeadLocked(DeadUpdate dead, ref Change? change)
    {
        if (!_snapshot.Members.TryGetValue(dead.NodeId, out SwimMember? current))
        {
            return new(ApplyResult.Unknown, $"dead about unknown node {dead.NodeId}");
        }

        if (dead.Incarnation < current.Incarnation)
        {
            return new(ApplyResult.Stale, $"dead at incarnation {dead.Incarnation} is older than {current.Incarnation}");
        }

        if (dead.NodeId == SelfId)
        {
            return _selfLeft
                ? new(ApplyResult.Ignored, "this node has left; it refutes nothing")
                : RefuteLocked(current, dead.Incarnation, $"declared dead by {dead.FromNodeId}");
        }

        if (current.State is SwimMemberState.Dead or SwimMemberState.Left)
        {
            return new(ApplyResult.Ignored, $"{dead.NodeId} is already {current.State}");
        }

        change = Replace(current, current with
        {
            Incarnation = dead.Incarnation,
            State = SwimMemberState.Dead,
            StateChangedAt = _time.GetUtcNow(),
        });
        return new(ApplyResult.Applied, $"{dead.FromNodeId} declares {dead.NodeId} dead at incarnation {dead.Incarnation}");
    }

    private ApplyOutcome LeaveLocked(LeaveUpdate leave, ref Change? change)
    {
        if (!_snapshot.Members.TryGetValue(leave.NodeId, out SwimMember? current))
        {
            return new(ApplyResult.Unknown, $"leave about unknown node {leave.NodeId}");
        }

        if (leave.Incarnation < current.Incarnation)
        {
            return new(ApplyResult.Stale, $"leave at incarnation {leave.Incarnation} is older than {current.Incarnation}");
        }

        if (leave.NodeId == SelfId)
        {
            return _selfLeft
                ? new(ApplyResult.Ignored, "our own leave, echoed back")
                : RefuteLocked(current, leave.Incarnation, "leave about this node, which is not leaving");
        }

        if (current.State == SwimMemberState.Left)
        {
            return new(ApplyResult.Ignored, $"{leave.NodeId} has already left");
        }

        change = Replace(current, current with
        {
            Incarnation = leave.Incarnation,
            State = SwimMemberState.Left,
            StateChangedAt = _time.GetUtcNow(),
        });
        return new(ApplyResult.Applied, $"{leave.NodeId} left at incarnation {leave.Incarnation}");
    }

    /// <summary>SWIM §4.2: raise our incarnation above the accusation so our Alive overrides it everywhere.</summary>
    private ApplyOutcome RefuteLocked(SwimMember self, ulong accusedIncarnation, string why)
    {
        ulong highest = Math.Max(self.Incarnation, accusedIncarnation);
        if (highest == ulong.MaxValue)
        {
            return new(ApplyResult.Ignored, $"cannot refute ({why}): incarnation {highest} is the maximum");
        }

        ulong next = highest + 1;
        _snapshot = _snapshot.With(self, self with { Incarnation = next }, SelfId);
        return new(ApplyResult.Refuted, $"{why}; refuted with incarnation {next}");
    }

    private Change? Replace(SwimMember current, SwimMember updated)
    {
        _snapshot = _snapshot.With(current, updated, SelfId);
        return current.State == updated.State ? null : new Change(updated, current.State);
    }

    private void Raise(Change? change)
    {
        if (change is { } c)
        {
            StateChanged?.Invoke(c.Member, c.OldState);
        }
    }

    private static void RequireId(string? id, string name)
    {
        if (string.IsNullOrEmpty(id))
        {
            throw new ArgumentException($"{name} is {(id is null ? "null" : "empty")}; a node id is required.", name);
        }
    }

    private static void RequireAddress(string? address, int port, string addressName, string portName)
    {
        if (string.IsNullOrEmpty(address))
        {
            throw new ArgumentException(
                $"{addressName} is {(address is null ? "null" : "empty")}; a host name or IP address is required.", addressName);
        }

        if (port is < 1 or > 65535)
        {
            throw new ArgumentOutOfRangeException(portName, port, $"{portName} is {port}; it must be 1–65535.");
        }
    }

    private readonly record struct Change(SwimMember Member, SwimMemberState? OldState);

    /// <summary>Members plus per-state counts (self excluded), swapped as one immutable unit.</summary>
    private sealed record Snapshot(
        ImmutableSortedDictionary<string, SwimMember> Members, int Alive, int Suspect, int Dead, int Left)
    {
        public Snapshot With(SwimMember? old, SwimMember updated, string selfId)
        {
            Snapshot counted = old is null ? this : Count(old, -1, selfId);
            return (counted with { Members = Members.SetItem(updated.NodeId, updated) }).Count(updated, +1, selfId);
        }

        public Snapshot Without(SwimMember old, string selfId) =>
            Count(old, -1, selfId) with { Members = Members.Remove(old.NodeId) };

        private Snapshot Count(SwimMember member, int delta, string selfId)
        {
            if (member.NodeId == selfId)
            {
                return this;
            }

            return member.State switch
            {
                SwimMemberState.Alive => this with { Alive = Alive + delta },
                SwimMemberState.Suspect => this with { Suspect = Suspect + delta },
                SwimMemberState.Dead => this with { Dead = Dead + delta },
                SwimMemberState.Left => this with { Left = Left + delta },
                _ => throw new InvalidOperationException($"member {member.NodeId} has unknown state {member.State}."),
            };
        }
    }
}
