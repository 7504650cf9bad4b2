using Microsoft.Extensions.Time.Testing;
using RingRift.P2P.Election;
using RingRift.P2P.Testing.Election;
using Xunit;

namespace RingRift.P2P.Tests.Election;

public sealed class LeaseVoterTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Tick = TimeSpan.FromTicks(1);
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    private LeaseVoter NewVoter(ILeaseStateStore? store = null) => new("v1", Lease, _clock, store);

    [Fact]
    public void Grants_OneLeaderAtATime()
    {
        // Issue rule: a voter grants to one leader at a time.
        var voter = NewVoter();

        var a = voter.Handle(new LeaseRequest("a", 1));
        var b = voter.Handle(new LeaseRequest("b", 2));

        Assert.True(a.Granted);
        Assert.False(b.Granted);
        Assert.StartsWith("held by a for 30 s more", b.Reason);
        Assert.Equal("a", b.HolderId);
        Assert.Equal(1, b.HolderEpoch);
        Assert.Equal("a", voter.Snapshot.Holder);
        Assert.Equal(1, voter.Snapshot.HighestEpoch); // a refused request does not raise the epoch
    }

    [Fact]
    public void Renewal_SameCandidateSameEpoch_ExtendsExpiryFromNow()
    {
        var voter = NewVoter();
        var t0 = _clock.GetUtcNow();
        voter.Handle(new LeaseRequest("a", 1));

        _clock.Advance(TimeSpan.FromSeconds(10));
        var renewed = voter.Handle(new LeaseRequest("a", 1));

        Assert.True(renewed.Granted);
        Assert.Equal(30, renewed.LeaseSeconds);
        Assert.Equal(t0 + TimeSpan.FromSeconds(40), voter.Snapshot.ExpiresAt);
    }

    [Fact]
    public void Grant_ExpiresExactlyAtGrantTimePlusLease()
    {
        var voter = NewVoter();
        voter.Handle(new LeaseRequest("a", 1));
        var expiry = voter.Snapshot.ExpiresAt!.Value;

        _clock.SetUtcNow(expiry - Tick);
        var early = voter.Handle(new LeaseRequest("b", 2));
        Assert.False(early.Granted);
        Assert.Equal("a", voter.Snapshot.Holder);

        _clock.Advance(Tick);
        var atExpiry = voter.Handle(new LeaseRequest("b", 2));
        Assert.True(atExpiry.Granted);
        Assert.Equal("b", voter.Snapshot.Holder);
        Assert.Equal(2, voter.Snapshot.HolderEpoch);
    }

    [Fact]
    public void StaleEpoch_IsRefused_EvenWhenNoGrantIsHeld()
    {
        var voter = NewVoter();
        voter.Handle(new LeaseRequest("a", 5));
        voter.Handle(new LeaseRequest("a", 5, Release: true));

        var stale = voter.Handle(new LeaseRequest("b", 4));

        Assert.False(stale.Granted);
        Assert.StartsWith("stale epoch", stale.Reason);
        Assert.Equal(5, stale.HighestEpoch);
    }

    [Fact]
    public void UsedEpoch_IsNeverGrantedToASecondCandidate()
    {
        // An epoch is granted to at most one candidate ever, so epochs name leaders uniquely.
        var voter = NewVoter();
        voter.Handle(new LeaseRequest("a", 5));
        _clock.Advance(Lease); // a's grant has expired

        var reused = voter.Handle(new LeaseRequest("b", 5));
        var next = voter.Handle(new LeaseRequest("b", 6));

        Assert.False(reused.Granted);
        Assert.Contains("already used by a", reused.Reason);
        Assert.True(next.Granted);
    }

    [Fact]
    public void Release_ByTheHolder_EndsTheGrantAtOnce()
    {
        var voter = NewVoter();
        voter.Handle(new LeaseRequest("a", 1));

        var released = voter.Handle(new LeaseRequest("a", 1, Release: true));
        var b = voter.Handle(new LeaseRequest("b", 2));

        Assert.False(released.Granted);
        Assert.Equal("released", released.Reason);
        Assert.Null(released.HolderId);
        Assert.True(b.Granted);
    }

    [Theory]
    [InlineData("b", 1)] // not the holder
    [InlineData("a", 2)] // the holder, but another epoch
    public void Release_ByAnyoneElse_ChangesNothing(string candidate, long epoch)
    {
        var voter = NewVoter();
        voter.Handle(new LeaseRequest("a", 1));
        var before = voter.Snapshot;

        var response = voter.Handle(new LeaseRequest(candidate, epoch, Release: true));

        Assert.False(response.Granted);
        Assert.Equal("not the holder", response.Reason);
        Assert.Equal(before, voter.Snapshot);
    }

    [Theory]
    [InlineData("b")] // another candidate's pre-vote
    [InlineData("a")] // the holder's own
    public void Inquiry_NamesTheGrantInForce_AndChangesNothing(string candidate)
    {
        // The pre-vote asks with a release of epoch 0: a question every voter answers without changing or saving anything.
        var store = new InMemoryLeaseStateStore();
        var voter = NewVoter(store);
        voter.Handle(new LeaseRequest("a", 3));
        var (before, saves) = (voter.Snapshot, store.SaveCount);
        _clock.Advance(TimeSpan.FromSeconds(10));

        var held = voter.Handle(LeaseRequest.Inquiry(candidate));

        Assert.Equal((false, "a", 3L, 3L, 20.0), (held.Granted, held.HolderId, held.HolderEpoch, held.HighestEpoch, held.LeaseSeconds));
        Assert.Equal(before, voter.Snapshot);
        Assert.Equal(saves, store.SaveCount);

        _clock.Advance(TimeSpan.FromSeconds(20)); // the grant has ended: the inquiry finds the voter free
        var free = voter.Handle(LeaseRequest.Inquiry(candidate));
        Assert.Equal((null, 0L, 3L), (free.HolderId, free.HolderEpoch, free.HighestEpoch));
        Assert.Equal(before, voter.Snapshot);
        Assert.True(voter.Handle(new LeaseRequest("b", 4)).Granted);
    }

    [Fact]
    public void ObserveEpoch_FencesOlderEpochs_AndReservesTheEpochForItsLeader()
    {
        var voter = NewVoter();

        voter.ObserveEpoch(7, "c");

        Assert.Null(voter.Snapshot.Holder); // observing never grants
        Assert.False(voter.Handle(new LeaseRequest("a", 6)).Granted);
        Assert.False(voter.Handle(new LeaseRequest("b", 7)).Granted);
        Assert.True(voter.Handle(new LeaseRequest("c", 7)).Granted);
    }

    [Fact]
    public void ObserveEpoch_WithoutLeader_LetsTheFirstCandidateOwnIt()
    {
        var voter = NewVoter();
        voter.ObserveEpoch(7);

        Assert.True(voter.Handle(new LeaseRequest("c", 7)).Granted);
        _clock.Advance(Lease);
        Assert.False(voter.Handle(new LeaseRequest("d", 7)).Granted);
    }

    [Fact]
    public void Grant_IsSavedBeforeItIsAnswered()
    {
        var store = new InMemoryLeaseStateStore();
        var voter = NewVoter(store);

        var response = voter.Handle(new LeaseRequest("a", 3));

        Assert.True(response.Granted);
        Assert.Equal(1, store.SaveCount);
        Assert.Equal(voter.Snapshot, store.Load());
    }

    [Fact]
    public void Grant_IsNotGiven_WhenSavingFails()
    {
        var voter = NewVoter(new FailingStore());

        Assert.Throws<IOException>(() => voter.Handle(new LeaseRequest("a", 3)));

        Assert.Null(voter.Snapshot.Holder);
        Assert.Equal(0, voter.Snapshot.HighestEpoch);
    }

    [Fact]
    public void RestartedVoter_KeepsRefusingOthers_ForAWholeLeaseFromItsStart()
    {
        // Restart safety: the grant is on disk before it is answered. After a restart the voter cannot tell
        // how much of it is left (its monotonic clock starts again, its wall clock may have been stepped),
        // so it honours the grant for one whole lease from its start: later than the grant's own end.
        var path = Path.Combine(Path.GetTempPath(), $"ringrift-voter-{Guid.NewGuid():N}.json");
        try
        {
            var before = NewVoter(new FileLeaseStateStore(path));
            before.Handle(new LeaseRequest("a", 4));
            var expiry = before.Snapshot.ExpiresAt!.Value;
            _clock.Advance(TimeSpan.FromSeconds(5)); // the process dies and comes back
            var restartedAt = _clock.GetUtcNow();

            var after = NewVoter(new FileLeaseStateStore(path));
            Assert.Equal("a", after.Snapshot.Holder);

            _clock.SetUtcNow(expiry);
            Assert.False(after.Handle(new LeaseRequest("b", 5)).Granted);
            _clock.SetUtcNow(restartedAt + Lease - Tick);
            Assert.False(after.Handle(new LeaseRequest("b", 5)).Granted);
            Assert.False(after.Handle(new LeaseRequest("b", 3)).Granted); // and remembers the epoch
            Assert.True(after.Handle(new LeaseRequest("a", 4)).Granted); // the holder itself renews meanwhile

            _clock.SetUtcNow(restartedAt + Lease + Lease);
            Assert.True(after.Handle(new LeaseRequest("b", 5)).Granted);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void ConcurrentCandidates_GetExactlyOneGrant()
    {
        // Handlers call the voter from many threads at once; the lock makes the decision atomic.
        var voter = NewVoter(new InMemoryLeaseStateStore());
        var granted = new System.Collections.Concurrent.ConcurrentBag<string>();

        Parallel.For(0, 64, i =>
        {
            var r = voter.Handle(new LeaseRequest($"c{i}", 1 + i % 4));
            if (r.Granted)
                granted.Add(r.HolderId!);
        });

        var winner = Assert.Single(granted);
        Assert.Equal(winner, voter.Snapshot.Holder);
    }

    [Fact]
    public void Constructor_RejectsNonPositiveLease()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new LeaseVoter("v1", TimeSpan.Zero, _clock));
        Assert.Equal("leaseDuration", ex.ParamName);
    }

    private sealed class FailingStore : ILeaseStateStore
    {
        public VoterState? Load() => null;

        public void Save(VoterState state) => throw new IOException("disk full");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(-1)]
    public void AStepOfTheVotersWallClock_NeitherEndsAGrantEarly_NorStretchesIt(int hours)
    {
        // A grant lasts one lease on the monotonic clock: an hour's step of the wall clock forward does not
        // free the voter for another candidate (two leaders), and a step back does not hold it for an hour more.
        var clock = new DriftingTimeProvider(_clock);
        var voter = new LeaseVoter("v1", Lease, clock);
        Assert.True(voter.Handle(new LeaseRequest("a", 1)).Granted);

        clock.StepWallClock(TimeSpan.FromHours(hours));
        _clock.Advance(Lease - Tick);
        var refused = voter.Handle(new LeaseRequest("b", 2));

        Assert.False(refused.Granted);
        Assert.Equal("a", refused.HolderId);
        Assert.Equal(Tick.TotalSeconds, refused.LeaseSeconds, precision: 9);
        _clock.Advance(Tick);
        Assert.True(voter.Handle(new LeaseRequest("b", 2)).Granted);
    }
}
