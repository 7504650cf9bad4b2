using Microsoft.Extensions.Time.Testing;

namespace RingRift.P2P.Swim.Tests;

/// <summary>Membership state machine: SWIM §4.2 incarnation rules, refutation, graceful leave, Lifeguard confirmations.</summary>
public sealed class MemberTableTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly List<(string Id, SwimMemberState New, SwimMemberState? Old)> _events = [];

    private MemberTable NewTable(ulong startIncarnation = 0)
    {
        var table = new MemberTable("self", "10.0.0.1", 7947, _time, startIncarnation);
        table.StateChanged += (member, old) => _events.Add((member.NodeId, member.State, old));
        return table;
    }

    private static AliveUpdate Alive(string id, ulong inc, string address = "10.0.0.2", int port = 7947) =>
        new(id, inc, address, port);

    [Fact]
    public void NewTable_HoldsOnlySelf_AliveAtStartIncarnation()
    {
        var table = NewTable(startIncarnation: 7);

        SwimMember self = Assert.Single(table.Members.Values);
        Assert.Equal(("self", "10.0.0.1", 7947, 7UL, SwimMemberState.Alive, _time.GetUtcNow()),
            (self.NodeId, self.Address, self.Port, self.Incarnation, self.State, self.StateChangedAt));
        Assert.Equal(0, table.AliveCount + table.SuspectCount + table.DeadCount + table.LeftCount);
        Assert.Empty(table.AlivePeers());
        Assert.Equal(new AliveUpdate("self", 7, "10.0.0.1", 7947, self.Meta), table.SelfAlive());
    }

    [Fact]
    public void AliveAboutUnknownNode_AddsIt_AndRaisesOneEvent()
    {
        // SWIM §4.2 / §3.2: an Alive (join) about a node we do not know adds it.
        var table = NewTable();

        ApplyOutcome outcome = table.ApplyAlive(Alive("n1", 3));

        Assert.Equal(ApplyResult.Applied, outcome.Result);
        SwimMember member = table.Get("n1")!;
        Assert.Equal((3UL, SwimMemberState.Alive, "10.0.0.2"), (member.Incarnation, member.State, member.Address));
        Assert.Equal([("n1", SwimMemberState.Alive, null)], _events);
        Assert.Equal(1, table.AliveCount);
    }

    [Theory]
    [InlineData(4UL)]
    [InlineData(5UL)]
    public void AliveNotNewerThanKnown_IsStale(ulong incarnation)
    {
        // SWIM §4.2: only a higher incarnation carries new information.
        var table = NewTable();
        table.ApplyAlive(Alive("n1", 5));
        _events.Clear();

        ApplyOutcome outcome = table.ApplyAlive(Alive("n1", incarnation));

        Assert.Equal(ApplyResult.Stale, outcome.Result);
        Assert.Contains("not newer", outcome.Reason);
        Assert.Equal(5UL, table.Get("n1")!.Incarnation);
        Assert.Empty(_events);
    }

    [Fact]
    public void NewerAliveAboutAliveMember_UpdatesIncarnation_WithoutStateEvent()
    {
        var table = NewTable();
        table.ApplyAlive(Alive("n1", 1));
        _events.Clear();
        DateTimeOffset added = _time.GetUtcNow();
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(ApplyResult.Applied, table.ApplyAlive(Alive("n1", 2) with { Meta = [9] }).Result);

        SwimMember member = table.Get("n1")!;
        Assert.Equal((2UL, SwimMemberState.Alive, added), (member.Incarnation, member.State, member.StateChangedAt));
        Assert.Equal([9], member.Meta);
        Assert.Empty(_events);
    }

    [Theory]
    [InlineData(3UL)]
    [InlineData(4UL)]
    public void SuspectAtOrAboveIncarnation_MakesAliveMemberSuspect(ulong incarnation)
    {
        // SWIM §4.2: {Suspect M_j, i} overrides {Alive M_j, i'} for i ≥ i'.
        var table = NewTable();
        table.ApplyAlive(Alive("n1", 3));
        _events.Clear();
        _time.Advance(TimeSpan.FromSeconds(2));

        ApplyOutcome outcome = table.ApplySuspect(new SuspectUpdate("n1", incarnation, "n2"));

        Assert.Equal(ApplyResult.Applied, outcome.Result);
        SwimMember member = table.Get("n1")!;
        Assert.Equal((SwimMemberState.Suspect, incarnation, _time.GetUtcNow()),
            (member.State, member.Incarnation, member.StateChangedAt));
        Assert.Equal([("n1", SwimMemberState.Suspect, SwimMemberState.Alive)], _events);
        Assert.Equal((0, 1), (table.AliveCount, table.SuspectCount));
        Assert.Empty(table.AlivePeers());
    }

    [Fact]
    public void SuspectBelowIncarnation_IsStale()
    {
        // SWIM §4.2: a suspicion about an older incarnation was already refuted.
        var table = NewTable();
        table.ApplyAlive(Alive("n1", 3));

        Assert.Equal(ApplyResult.Stale, table.ApplySuspect(new SuspectUpdate("n1", 2, "n2")).Result);
        Assert.Equal(SwimMemberState.Alive, table.Get("n1")!.State);
    }

    [Fact]
    public void SuspectAboutSuspectMember_IsReportedAsConfirmation_WithoutEvent()
    {
        // Lifeguard (local-health-aware suspicion): further suspicions from other members are
        // independent confirmations the caller's suspicion timer counts; the state does not change.
        var table = NewTable();
        table.ApplyAlive(Alive("n1", 3));
        table.ApplySuspect(new SuspectUpdate("n1", 3, "n2"));
        _events.Clear();

        ApplyOutcome outcome = table.ApplySuspect(new SuspectUpdate("n1", 3, "n3"));

        Assert.Equal(ApplyResult.AlreadySuspect, outcome.Result);
        Assert.Contains("n3", outcome.Reason);
        Assert.Empty(_events);
    }

    [Theory]
    [InlineData(SwimMemberState.Dead)]
    [InlineData(SwimMemberState.Left)]
    public void SuspectAboutDeadOrLeftMember_IsIgnored(SwimMemberState state)
    {
        // SWIM §4.2: suspicion applies only to a member believed alive.
        var table = NewTable();
        table.ApplyAlive(Alive("n1", 3));
        _ = state == SwimMemberState.Dead
            ? table.ApplyDead(new DeadUpdate("n1", 3, "n2"))
            : table.ApplyLeave(new LeaveUpdate("n1", 3));

        Assert.Equal(ApplyResult.Ignored, table.ApplySuspect(new SuspectUpdate("n1", 4, "n2")).Result);
        Assert.Equal(state, table.Get("n1")!.State);
    }

    [Fact]
    public void UpdatesAboutUnknownNode_ExceptAlive_AreUnknown()
    {
        var table = NewTable();

        Assert.Equal(ApplyResult.Unknown, table.ApplySuspect(new SuspectUpdate("ghost", 1, "n2")).Result);
        Assert.Equal(ApplyResult.Unknown, table.ApplyDead(new DeadUpdate("ghost", 1, "n2")).Result);
        Assert.Equal(ApplyResult.Unknown, table.ApplyLeave(new LeaveUpdate("ghost", 1)).Result);
        Assert.Null(table.Get("ghost"));
        Assert.Empty(_events);
    }

    [Fact]
    public void AliveWithHigherIncarnation_ClearsSuspicion_EqualDoesNot()
    {
        // SWIM §4.2: {Alive M_j, i} overrides {Suspect M_j, j} only for i > j.
        var table = NewTable();
        table.ApplyAlive(Alive("n1", 3));
        table.ApplySuspect(new SuspectUpdate("n1", 3, "n2"));
        _events.Clear();

        Assert.Equal(ApplyResult.Stale, table.ApplyAlive(Alive("n1", 3)).Result);
        Assert.Equal(SwimMemberState.Suspect, table.Get("n1")!.State);

        Assert.Equal(ApplyResult.Applied, table.ApplyAlive(Alive("n1", 4)).Result);
        Assert.Equal(SwimMemberState.Alive, table.Get("n1")!.State);
        Assert.Equal([("n1", SwimMemberState.Alive, SwimMemberState.Suspect)], _events);
    }

    [Fact]
    public void DeadAtEqualIncarnation_WinsOverSuspect()
    {
        // SWIM §4.2: {Confirm M_j} overrides any Alive or Suspect of the same (or older) incarnation.
        var table = NewTable();
        table.ApplyAlive(Alive("n1", 3));
        table.ApplySuspect(new SuspectUpdate("n1", 3, "n2"));
        _events.Clear();

        Assert.Equal(ApplyResult.Stale, table.ApplyDead(new DeadUpdate("n1", 2, "n2")).Result);
        Assert.Equal(ApplyResult.Applied, table.ApplyDead(new DeadUpdate("n1", 3, "n2")).Result);

        Assert.Equal(SwimMemberState.Dead, table.Get("n1")!.State);
        Assert.Equal([("n1", SwimMemberState.Dead, SwimMemberState.Suspect)], _events);
        Assert.Equal((0, 0, 1), (table.AliveCount, table.SuspectCount, table.DeadCount));
        Assert.Equal(ApplyResult.Ignored, table.ApplyDead(new DeadUpdate("n1", 3, "n3")).Result);
        Assert.Single(_events);
    }

    [Fact]
    public void DeadNode_RejoinsOnlyWithHigherIncarnation()
    {
        // SWIM §4.2 + issue 3: a dead node that comes back rejoins with a higher incarnation.
        var table = NewTable();
        table.ApplyAlive(Alive("n1", 3));
        table.ApplyDead(new DeadUpdate("n1", 3, "n2"));
        _events.Clear();

        Assert.Equal(ApplyResult.Stale, table.ApplyAlive(Alive("n1", 3)).Result);
        Assert.Equal(SwimMemberState.Dead, table.Get("n1")!.State);

        Assert.Equal(ApplyResult.Applied, table.ApplyAlive(Alive("n1", 4, "10.0.0.9", 8000)).Result);
        SwimMember member = table.Get("n1")!;
        Assert.Equal((SwimMemberState.Alive, 4UL, "10.0.0.9", 8000), (member.State, member.Incarnation, member.Address, member.Port));
        Assert.Equal([("n1", SwimMemberState.Alive, SwimMemberState.Dead)], _events);
    }

    [Theory]
    [InlineData(SwimMemberState.Alive)]
    [InlineData(SwimMemberState.Suspect)]
    public void NewerAliveFromAnotherAddress_ForLiveMember_IsConflict(SwimMemberState state)
    {
        // Two processes claiming one id: keep the one we know until it is dead or gone (memberlist does the same).
        var table = NewTable();
        table.ApplyAlive(Alive("n1", 3));
        if (state == SwimMemberState.Suspect)
        {
            table.ApplySuspect(new SuspectUpdate("n1", 3, "n2"));
        }

        Assert.Equal(ApplyResult.Conflict, table.ApplyAlive(Alive("n1", 9, "10.0.0.66")).Result);
        Assert.Equal(("10.0.0.2", 3UL), (table.Get("n1")!.Address, table.Get("n1")!.Incarnation));
    }

    [Fact]
    public void SuspectAboutSelf_IsRefuted_ByRaisingIncarnationAboveIt()
    {
        // SWIM §4.2: a suspected member refutes with Alive at a higher incarnation.
        var table = NewTable();

        ApplyOutcome first = table.ApplySuspect(new SuspectUpdate("self", 0, "n2"));
        Assert.Equal(ApplyResult.Refuted, first.Result);
        Assert.Equal(1UL, table.Self.Incarnation);
        Assert.Equal(SwimMemberState.Alive, table.Self.State);
        Assert.Equal(1UL, table.SelfAlive().Incarnation);

        Assert.Equal(ApplyResult.Refuted, table.ApplySuspect(new SuspectUpdate("self", 5, "n2")).Result);
        Assert.Equal(6UL, table.Self.Incarnation);
        Assert.Empty(_events); // self never changed state
    }

    [Fact]
    public void SuspicionAboutSelf_OlderThanOwnIncarnation_IsStale()
    {
        // SWIM §4.2: an accusation about an incarnation we already refuted needs no new refutation.
        var table = NewTable(startIncarnation: 4);

        Assert.Equal(ApplyResult.Stale, table.ApplySuspect(new SuspectUpdate("self", 3, "n2")).Result);
        Assert.Equal(ApplyResult.Stale, table.ApplyDead(new DeadUpdate("self", 3, "n2")).Result);
        Assert.Equal(4UL, table.Self.Incarnation);
    }

    [Fact]
    public void DeadAboutSelf_IsRefuted()
    {
        // SWIM §4.2 / Lifeguard buddy system: a live node told it is dead answers with a higher incarnation.
        var table = NewTable(startIncarnation: 2);

        Assert.Equal(ApplyResult.Refuted, table.ApplyDead(new DeadUpdate("self", 2, "n2")).Result);
        Assert.Equal(3UL, table.Self.Incarnation);
        Assert.Equal(SwimMemberState.Alive, table.Self.State);
    }

    [Fact]
    public void AliveAboutSelf_EchoIsIgnored_NewerOneIsRefuted()
    {
        // A node restarted at incarnation 0 hears its previous life's Alive at 5 and must outbid it.
        var table = NewTable();

        Assert.Equal(ApplyResult.Ignored, table.ApplyAlive(Alive("self", 0, "10.0.0.1")).Result);
        Assert.Equal(ApplyResult.Refuted, table.ApplyAlive(Alive("self", 5, "10.0.0.1")).Result);
        Assert.Equal(6UL, table.Self.Incarnation);
        Assert.Equal(ApplyResult.Stale, table.ApplyAlive(Alive("self", 5, "10.0.0.1")).Result);
    }

    [Fact]
    public void AliveAboutSelf_FromAnotherAddressAtSameIncarnation_IsRefuted()
    {
        var table = NewTable();

        Assert.Equal(ApplyResult.Refuted, table.ApplyAlive(Alive("self", 0, "10.0.0.66")).Result);
        Assert.Equal(("10.0.0.1", 1UL), (table.Self.Address, table.Self.Incarnation));
    }

    [Fact]
    public void Refutation_AtMaximumIncarnation_IsIgnored()
    {
        var table = NewTable(startIncarnation: ulong.MaxValue);

        ApplyOutcome outcome = table.ApplySuspect(new SuspectUpdate("self", ulong.MaxValue, "n2"));

        Assert.Equal(ApplyResult.Ignored, outcome.Result);
        Assert.Contains("maximum", outcome.Reason);
    }

    [Fact]
    public void Leave_IsFinal_UntilAliveWithHigherIncarnation()
    {
        var table = NewTable();
        table.ApplyAlive(Alive("n1", 3));
        _events.Clear();

        Assert.Equal(ApplyResult.Applied, table.ApplyLeave(new LeaveUpdate("n1", 3)).Result);
        Assert.Equal([("n1", SwimMemberState.Left, SwimMemberState.Alive)], _events);
        Assert.Equal((0, 1), (table.AliveCount, table.LeftCount));

        Assert.Equal(ApplyResult.Ignored, table.ApplySuspect(new SuspectUpdate("n1", 3, "n2")).Result);
        Assert.Equal(ApplyResult.Ignored, table.ApplyDead(new DeadUpdate("n1", 3, "n2")).Result);
        Assert.Equal(ApplyResult.Ignored, table.ApplyLeave(new LeaveUpdate("n1", 3)).Result);
        Assert.Equal(ApplyResult.Stale, table.ApplyAlive(Alive("n1", 3)).Result);
        Assert.Equal(SwimMemberState.Left, table.Get("n1")!.State);
        Assert.Single(_events);

        Assert.Equal(ApplyResult.Applied, table.ApplyAlive(Alive("n1", 4)).Result);
        Assert.Equal(SwimMemberState.Alive, table.Get("n1")!.State);
        Assert.Equal(("n1", SwimMemberState.Alive, SwimMemberState.Left), _events[^1]);
    }

    [Fact]
    public void LeaveOlderThanKnownIncarnation_IsStale()
    {
        var table = NewTable();
        table.ApplyAlive(Alive("n1", 3));

        Assert.Equal(ApplyResult.Stale, table.ApplyLeave(new LeaveUpdate("n1", 2)).Result);
        Assert.Equal(SwimMemberState.Alive, table.Get("n1")!.State);
    }

    [Fact]
    public void DeadMember_ThatLeaves_BecomesLeft()
    {
        var table = NewTable();
        table.ApplyAlive(Alive("n1", 3));
        table.ApplyDead(new DeadUpdate("n1", 3, "n2"));

        Assert.Equal(ApplyResult.Applied, table.ApplyLeave(new LeaveUpdate("n1", 3)).Result);
        Assert.Equal((0, 1), (table.DeadCount, table.LeftCount));
    }

    [Fact]
    public void LeaveAboutSelf_WhenNotLeaving_IsRefuted()
    {
        var table = NewTable();

        Assert.Equal(ApplyResult.Refuted, table.ApplyLeave(new LeaveUpdate("self", 0)).Result);
        Assert.Equal((SwimMemberState.Alive, 1UL), (table.Self.State, table.Self.Incarnation));
    }

    [Fact]
    public void LeaveSelf_MarksSelfLeftOnce_AndStopsRefuting()
    {
        var table = NewTable(startIncarnation: 2);

        Assert.Equal(new LeaveUpdate("self", 2), table.LeaveSelf());
        Assert.Equal(new LeaveUpdate("self", 2), table.LeaveSelf());

        Assert.Equal(SwimMemberState.Left, table.Self.State);
        Assert.Equal([("self", SwimMemberState.Left, SwimMemberState.Alive)], _events);
        Assert.Equal(ApplyResult.Ignored, table.ApplyLeave(new LeaveUpdate("self", 2)).Result);
        Assert.Equal(ApplyResult.Ignored, table.ApplySuspect(new SuspectUpdate("self", 2, "n2")).Result);
        Assert.Equal(ApplyResult.Ignored, table.ApplyDead(new DeadUpdate("self", 2, "n2")).Result);
        Assert.Equal(ApplyResult.Ignored, table.ApplyAlive(Alive("self", 9, "10.0.0.1")).Result);
        Assert.Equal(2UL, table.Self.Incarnation);
    }

    [Fact]
    public void Counts_AndAlivePeers_ExcludeSelf()
    {
        var table = NewTable();
        table.ApplyAlive(Alive("c", 1));
        table.ApplyAlive(Alive("a", 1));
        table.ApplyAlive(Alive("b", 1));
        table.ApplyAlive(Alive("d", 1));
        table.ApplySuspect(new SuspectUpdate("b", 1, "a"));
        table.ApplyDead(new DeadUpdate("d", 1, "a"));

        Assert.Equal((2, 1, 1), (table.AliveCount, table.SuspectCount, table.DeadCount));
        Assert.Equal(["a", "c"], table.AlivePeers().Select(m => m.NodeId));
        Assert.Equal(["a", "b", "c", "d", "self"], table.Members.Keys);
    }

    [Fact]
    public void StateChanged_IsRaisedAfterTheChangeIsVisible()
    {
        var table = new MemberTable("self", "10.0.0.1", 7947, _time);
        table.ApplyAlive(Alive("n1", 1));
        SwimMemberState? seenInHandler = null;
        int seenSuspects = -1;
        table.StateChanged += (member, _) =>
        {
            seenInHandler = table.Get(member.NodeId)!.State;
            seenSuspects = table.SuspectCount;
        };

        table.ApplySuspect(new SuspectUpdate("n1", 1, "n2"));

        Assert.Equal(SwimMemberState.Suspect, seenInHandler);
        Assert.Equal(1, seenSuspects);
    }

    [Fact]
    public void MembersSnapshot_DoesNotChangeAfterLaterUpdates()
    {
        var table = NewTable();
        table.ApplyAlive(Alive("n1", 1));
        var before = table.Members;

        table.ApplySuspect(new SuspectUpdate("n1", 1, "n2"));
        table.ApplyAlive(Alive("n2", 1));

        Assert.Equal(SwimMemberState.Alive, before["n1"].State);
        Assert.False(before.ContainsKey("n2"));
        Assert.Equal(SwimMemberState.Suspect, table.Members["n1"].State);
    }

    [Fact]
    public void RemoveDeadAndLeft_ForgetsThemExactlyAtRetention()
    {
        var table = NewTable();
        table.ApplyAlive(Alive("dead", 1));
        table.ApplyAlive(Alive("left", 1));
        table.ApplyAlive(Alive("alive", 1));
        table.ApplyDead(new DeadUpdate("dead", 1, "alive"));
        table.ApplyLeave(new LeaveUpdate("left", 1));
        var retain = TimeSpan.FromSeconds(30);

        _time.Advance(retain - TimeSpan.FromTicks(1));
        Assert.Equal(0, table.RemoveDeadAndLeft(retain));

        _time.Advance(TimeSpan.FromTicks(1));
        Assert.Equal(2, table.RemoveDeadAndLeft(retain));
        Assert.Equal(["alive", "self"], table.Members.Keys);
        Assert.Equal((1, 0, 0), (table.AliveCount, table.DeadCount, table.LeftCount));

        // Forgotten: an old Alive re-adds it as a new member.
        Assert.Equal(ApplyResult.Applied, table.ApplyAlive(Alive("dead", 1)).Result);
    }

    [Fact]
    public void BadInput_IsRejected_NamingFieldAndValue()
    {
        var table = NewTable();

        Assert.Contains("alive.Port is 0", Assert.Throws<ArgumentOutOfRangeException>(() => table.ApplyAlive(Alive("n1", 1, port: 0))).Message);
        Assert.Contains("alive.Address is empty", Assert.Throws<ArgumentException>(() => table.ApplyAlive(Alive("n1", 1, address: ""))).Message);
        Assert.Contains("suspect.NodeId is empty", Assert.Throws<ArgumentException>(() => table.ApplySuspect(new SuspectUpdate("", 1, "n2"))).Message);
        Assert.Contains("dead.FromNodeId is empty", Assert.Throws<ArgumentException>(() => table.ApplyDead(new DeadUpdate("n1", 1, ""))).Message);
        Assert.Contains("selfPort is 70000", Assert.Throws<ArgumentOutOfRangeException>(() => new MemberTable("s", "h", 70000, _time)).Message);
        Assert.Contains("retainFor", Assert.Throws<ArgumentOutOfRangeException>(() => table.RemoveDeadAndLeft(TimeSpan.FromSeconds(-1))).Message);
    }
}
