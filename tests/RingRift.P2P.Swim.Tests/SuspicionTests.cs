using Microsoft.Extensions.Time.Testing;

namespace RingRift.P2P.Swim.Tests;

/// <summary>Lifeguard §IV-B dynamic suspicion, driven tick by tick with virtual time.</summary>
public sealed class SuspicionTests
{
    private static readonly TimeSpan Min = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(12);
    private static readonly TimeSpan OneTick = TimeSpan.FromTicks(1);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private int _fired;

    private Suspicion Start(int k = 3, TimeSpan? min = null, TimeSpan? max = null) =>
        new("accuser", k, min ?? Min, max ?? Max, _time, () => Interlocked.Increment(ref _fired));

    /// <summary>Advances to one tick before <paramref name="deadline"/> (measured from the test start),
    /// asserts nothing fired, then one more tick and asserts it fired exactly once.</summary>
    private void AssertFiresExactlyAt(TimeSpan deadline, TimeSpan alreadyElapsed)
    {
        _time.Advance(deadline - alreadyElapsed - OneTick);
        Assert.Equal(0, _fired);
        _time.Advance(OneTick);
        Assert.Equal(1, _fired);
    }

    [Fact]
    public void Suspicion_WithNoConfirmations_ExpiresAtMax()
    {
        using var suspicion = Start();

        AssertFiresExactlyAt(Max, TimeSpan.Zero);
        Assert.True(suspicion.IsFinished);
    }

    [Fact]
    public void Suspicion_ConfirmedByK_ExpiresAtMin()
    {
        using var suspicion = Start(k: 3);

        Assert.True(suspicion.Confirm("b"));
        Assert.True(suspicion.Confirm("c"));
        Assert.True(suspicion.Confirm("d"));

        Assert.Equal(3, suspicion.Confirmations);
        Assert.Equal(Min, suspicion.CurrentTimeout);
        AssertFiresExactlyAt(Min, TimeSpan.Zero);
    }

    [Fact]
    public void Suspicion_EachLateConfirmation_RearmsToTheShorterRemainingTime()
    {
        using var suspicion = Start(k: 3);

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(suspicion.Confirm("b"));
        Assert.Equal(TimeSpan.FromSeconds(7), suspicion.CurrentTimeout); // 12 − 10·ln2/ln4

        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.True(suspicion.Confirm("c"));
        var deadline = TimeSpan.FromTicks(40_751_875); // 12 − 10·ln3/ln4 ≈ 4.075 s from the start
        Assert.Equal(deadline, suspicion.CurrentTimeout);

        AssertFiresExactlyAt(deadline, TimeSpan.FromSeconds(3));
    }

    [Fact]
    public void Suspicion_ConfirmationAfterTheShortenedDeadline_FiresAtOnce()
    {
        using var suspicion = Start(k: 3);
        _time.Advance(TimeSpan.FromSeconds(8)); // one confirmation means 7 s: already late

        Assert.True(suspicion.Confirm("b"));

        Assert.Equal(1, _fired);
        Assert.True(suspicion.IsFinished);
        _time.Advance(Max);
        Assert.Equal(1, _fired);
    }

    [Fact]
    public void Suspicion_ConfirmationExactlyAtTheShortenedDeadline_FiresAtOnce()
    {
        using var suspicion = Start(k: 3);
        _time.Advance(TimeSpan.FromSeconds(7));

        Assert.True(suspicion.Confirm("b")); // remaining is exactly zero: expired

        Assert.Equal(1, _fired);
    }

    [Fact]
    public void Suspicion_FiresOnceOnly()
    {
        using var suspicion = Start();
        _time.Advance(Max);
        Assert.Equal(1, _fired);

        _time.Advance(TimeSpan.FromMinutes(5));
        Assert.False(suspicion.Confirm("b")); // too late to count

        Assert.Equal(1, _fired);
        Assert.Equal(0, suspicion.Confirmations);
    }

    [Fact]
    public void Suspicion_Cancelled_NeverFires()
    {
        using var suspicion = Start();
        _time.Advance(Max - OneTick);

        Assert.True(suspicion.Cancel()); // refuted (SWIM §4.2: higher incarnation)
        _time.Advance(TimeSpan.FromMinutes(5));

        Assert.Equal(0, _fired);
        Assert.True(suspicion.IsFinished);
        Assert.False(suspicion.Confirm("b"));
        Assert.False(suspicion.Cancel()); // idempotent
    }

    [Fact]
    public void Suspicion_CancelAfterExpiry_ReportsItWasTooLate()
    {
        using var suspicion = Start();
        _time.Advance(Max);

        Assert.False(suspicion.Cancel());
        Assert.Equal(1, _fired);
    }

    [Fact]
    public void Suspicion_DisposeCancels()
    {
        var suspicion = Start();
        suspicion.Dispose();

        _time.Advance(Max);

        Assert.Equal(0, _fired);
    }

    [Fact]
    public void Suspicion_DuplicateConfirmation_CountsOnce()
    {
        using var suspicion = Start(k: 3);

        Assert.True(suspicion.Confirm("b"));
        Assert.False(suspicion.Confirm("b"));

        Assert.Equal(1, suspicion.Confirmations);
        AssertFiresExactlyAt(TimeSpan.FromSeconds(7), TimeSpan.Zero); // one confirmation's deadline, not two
    }

    [Fact]
    public void Suspicion_TheAccuser_DoesNotConfirmItself()
    {
        using var suspicion = Start(k: 3);

        Assert.False(suspicion.Confirm("accuser"));

        Assert.Equal(0, suspicion.Confirmations);
        AssertFiresExactlyAt(Max, TimeSpan.Zero);
    }

    [Fact]
    public void Suspicion_ConfirmationsBeyondK_AreIgnored()
    {
        using var suspicion = Start(k: 2);

        Assert.True(suspicion.Confirm("b"));
        Assert.True(suspicion.Confirm("c"));
        Assert.False(suspicion.Confirm("d"));

        Assert.Equal(2, suspicion.Confirmations);
        AssertFiresExactlyAt(Min, TimeSpan.Zero);
    }

    [Fact]
    public void Suspicion_ConfirmationIds_AreCaseSensitive()
    {
        using var suspicion = Start(k: 3);

        Assert.True(suspicion.Confirm("b"));
        Assert.True(suspicion.Confirm("B")); // node ids are compared ordinally, like everywhere else

        Assert.Equal(2, suspicion.Confirmations);
    }

    [Fact]
    public void Suspicion_WithNoExpectedConfirmations_RunsAtMinAndCountsNothing()
    {
        using var suspicion = Start(k: 0);

        Assert.Equal(Min, suspicion.CurrentTimeout);
        Assert.False(suspicion.Confirm("b"));
        AssertFiresExactlyAt(Min, TimeSpan.Zero);
    }

    [Fact]
    public void Suspicion_WithMinEqualToMax_CountsButKeepsTheDeadline()
    {
        using var suspicion = Start(k: 2, min: Min, max: Min);

        Assert.True(suspicion.Confirm("b"));

        Assert.Equal(Min, suspicion.CurrentTimeout);
        AssertFiresExactlyAt(Min, TimeSpan.Zero);
    }

    [Fact]
    public void Suspicion_ExposesItsParameters()
    {
        using var suspicion = Start(k: 3);

        Assert.Equal("accuser", suspicion.SuspectedBy);
        Assert.Equal(3, suspicion.ExpectedConfirmations);
        Assert.Equal(Min, suspicion.Min);
        Assert.Equal(Max, suspicion.Max);
        Assert.Equal(Max, suspicion.CurrentTimeout);
        Assert.False(suspicion.IsFinished);
    }

    [Fact]
    public void Suspicion_RejectsBadArguments_NamingThem()
    {
        Action none = () => { };
        Assert.Equal("suspectedBy", Assert.ThrowsAny<ArgumentException>(() => new Suspicion(" ", 3, Min, Max, _time, none)).ParamName);
        Assert.Equal("expectedConfirmations", Assert.Throws<ArgumentOutOfRangeException>(() => new Suspicion("a", -1, Min, Max, _time, none)).ParamName);
        Assert.Equal("min", Assert.Throws<ArgumentOutOfRangeException>(() => new Suspicion("a", 3, TimeSpan.Zero, Max, _time, none)).ParamName);
        Assert.Equal("max", Assert.Throws<ArgumentOutOfRangeException>(() => new Suspicion("a", 3, Max, Min, _time, none)).ParamName);
        Assert.Equal("time", Assert.Throws<ArgumentNullException>(() => new Suspicion("a", 3, Min, Max, null!, none)).ParamName);
        Assert.Equal("onTimeout", Assert.Throws<ArgumentNullException>(() => new Suspicion("a", 3, Min, Max, _time, null!)).ParamName);

        using var suspicion = Start();
        Assert.Equal("fromNode", Assert.ThrowsAny<ArgumentException>(() => suspicion.Confirm("")).ParamName);
    }

    [Fact]
    public void Suspicion_EarlyOrStaleTimerCallback_RearmsForTheRestInsteadOfFiring()
    {
        // A real timer can deliver a callback scheduled before a re-arm, or a hair early.
        var manual = new ManualTimerProvider(_time);
        using var suspicion = new Suspicion("accuser", 3, Min, Max, manual, () => Interlocked.Increment(ref _fired));
        _time.Advance(TimeSpan.FromSeconds(5));

        manual.Timer.FireCallback();

        Assert.Equal(0, _fired);
        Assert.Equal(TimeSpan.FromSeconds(7), manual.Timer.LastDueTime); // 12 s − 5 s elapsed
        _time.Advance(TimeSpan.FromSeconds(7));
        manual.Timer.FireCallback();
        Assert.Equal(1, _fired);
        manual.Timer.FireCallback();
        Assert.Equal(1, _fired);
    }

    /// <summary>Clock from a FakeTimeProvider, timer whose callback the test invokes by hand.</summary>
    private sealed class ManualTimerProvider(FakeTimeProvider clock) : TimeProvider
    {
        public ManualTimer Timer { get; private set; } = null!;

        public override long TimestampFrequency => clock.TimestampFrequency;

        public override long GetTimestamp() => clock.GetTimestamp();

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            Timer = new ManualTimer(() => callback(state)) { LastDueTime = dueTime };
            return Timer;
        }
    }

    private sealed class ManualTimer(Action fire) : ITimer
    {
        public TimeSpan LastDueTime { get; set; }

        public void FireCallback() => fire();

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            LastDueTime = dueTime;
            return true;
        }

        public void Dispose()
        {
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
