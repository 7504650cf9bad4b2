using RingRift.P2P.Testing.Simulation;

namespace RingRift.P2P.Swim.Tests.Simulation;

/// <summary>The simulator's virtual clock: event order, timers, and the TimeProvider contract.</summary>
public sealed class SimClockTests
{
    private static readonly TimeSpan OneTick = TimeSpan.FromTicks(1);

    private readonly SimClock _clock = new();
    private readonly List<string> _log = [];

    [Fact]
    public void Events_RunInTimeOrder_RegardlessOfSchedulingOrder()
    {
        _clock.Schedule(TimeSpan.FromSeconds(3), () => _log.Add("c"));
        _clock.Schedule(TimeSpan.FromSeconds(1), () => _log.Add("a"));
        _clock.Schedule(TimeSpan.FromSeconds(2), () => _log.Add("b"));

        long ran = _clock.RunFor(TimeSpan.FromSeconds(5));

        Assert.Equal(["a", "b", "c"], _log);
        Assert.Equal(3, ran);
        Assert.Equal(TimeSpan.FromSeconds(5), _clock.Elapsed);
    }

    [Fact]
    public void EventsDueAtTheSameInstant_RunInInsertionOrder()
    {
        for (int i = 0; i < 50; i++)
        {
            int n = i;
            _clock.Schedule(TimeSpan.FromMilliseconds(7), () => _log.Add(n.ToString()));
        }

        _clock.RunFor(TimeSpan.FromMilliseconds(7));

        Assert.Equal(Enumerable.Range(0, 50).Select(i => i.ToString()), _log);
    }

    [Fact]
    public void RunUntil_StopsBeforeEventsDueAfterIt_AndLeavesTheClockThere()
    {
        _clock.Schedule(TimeSpan.FromSeconds(1), () => _log.Add("due"));

        _clock.RunFor(TimeSpan.FromSeconds(1) - OneTick);
        Assert.Empty(_log);
        Assert.Equal(TimeSpan.FromSeconds(1) - OneTick, _clock.Elapsed);
        Assert.Equal(1, _clock.PendingEvents);

        _clock.RunFor(OneTick);
        Assert.Equal(["due"], _log);
        Assert.Equal(0, _clock.PendingEvents);
    }

    [Fact]
    public void Callbacks_SeeTheirOwnDueTimeAsNow()
    {
        var seen = new List<TimeSpan>();
        _clock.Schedule(TimeSpan.FromMilliseconds(250), () => seen.Add(_clock.Elapsed));
        _clock.Schedule(TimeSpan.FromMilliseconds(750), () => seen.Add(_clock.Elapsed));

        _clock.RunFor(TimeSpan.FromSeconds(10));

        Assert.Equal([TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(750)], seen);
    }

    [Fact]
    public void Step_RunsOnlyTheNextEvent_AndReportsAnEmptyQueue()
    {
        _clock.Schedule(TimeSpan.FromSeconds(2), () => _log.Add("b"));
        _clock.Schedule(TimeSpan.FromSeconds(1), () => _log.Add("a"));

        Assert.True(_clock.Step());
        Assert.Equal(["a"], _log);
        Assert.Equal(TimeSpan.FromSeconds(1), _clock.Elapsed);
        Assert.True(_clock.Step());
        Assert.False(_clock.Step());
        Assert.Equal(TimeSpan.FromSeconds(2), _clock.Elapsed);
    }

    [Fact]
    public void TimeProviderViews_AgreeWithVirtualTime()
    {
        long t0 = _clock.GetTimestamp();
        DateTimeOffset u0 = _clock.GetUtcNow();

        _clock.RunFor(TimeSpan.FromMilliseconds(1234.5678));

        Assert.Equal(SimClock.DefaultStart, u0);
        Assert.Equal(TimeSpan.FromMilliseconds(1234.5678), _clock.GetElapsedTime(t0));
        Assert.Equal(u0 + TimeSpan.FromMilliseconds(1234.5678), _clock.GetUtcNow());
        Assert.Equal(_clock.Now, _clock.GetUtcNow());
        Assert.Equal(TimeSpan.TicksPerSecond, _clock.TimestampFrequency);
    }

    [Fact]
    public void OneShotTimer_FiresOnceExactlyAtItsDueTime()
    {
        int fired = 0;
        using ITimer timer = _clock.CreateTimer(_ => fired++, null, TimeSpan.FromSeconds(2), Timeout.InfiniteTimeSpan);

        _clock.RunFor(TimeSpan.FromSeconds(2) - OneTick);
        Assert.Equal(0, fired);
        _clock.RunFor(OneTick);
        Assert.Equal(1, fired);
        _clock.RunFor(TimeSpan.FromMinutes(1));
        Assert.Equal(1, fired);
    }

    [Fact]
    public void PeriodicTimer_FiresEveryPeriodWithoutDrift()
    {
        var at = new List<TimeSpan>();
        using ITimer timer = _clock.CreateTimer(_ => at.Add(_clock.Elapsed), null, TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(300));

        _clock.RunFor(TimeSpan.FromMilliseconds(1000));

        Assert.Equal(new[] { 100, 400, 700, 1000 }.Select(ms => TimeSpan.FromMilliseconds(ms)), at);
    }

    [Fact]
    public void Change_MovesTheDeadline_AndTheOldEntryIsSkipped()
    {
        var at = new List<TimeSpan>();
        using ITimer timer = _clock.CreateTimer(_ => at.Add(_clock.Elapsed), null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);

        Assert.True(timer.Change(TimeSpan.FromSeconds(3), Timeout.InfiniteTimeSpan));
        Assert.Equal(1, _clock.PendingEvents); // the stale 1 s entry is not counted

        _clock.RunFor(TimeSpan.FromSeconds(3) - OneTick);
        Assert.Empty(at);
        _clock.RunFor(OneTick);
        Assert.Equal([TimeSpan.FromSeconds(3)], at);
    }

    [Fact]
    public void Change_ToInfinite_Disarms_UntilArmedAgain()
    {
        int fired = 0;
        using ITimer timer = _clock.CreateTimer(_ => fired++, null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));

        timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _clock.RunFor(TimeSpan.FromSeconds(10));
        Assert.Equal(0, fired);

        timer.Change(TimeSpan.Zero, Timeout.InfiniteTimeSpan);
        Assert.Equal(0, fired); // never synchronously inside Change
        _clock.RunFor(TimeSpan.Zero);
        Assert.Equal(1, fired);
    }

    [Fact]
    public void Dispose_StopsAPeriodicTimer_AndLaterChangeReturnsFalse()
    {
        int fired = 0;
        ITimer timer = _clock.CreateTimer(_ => fired++, null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        _clock.RunFor(TimeSpan.FromSeconds(2));
        Assert.Equal(2, fired);

        timer.Dispose();
        _clock.RunFor(TimeSpan.FromSeconds(10));

        Assert.Equal(2, fired);
        Assert.False(timer.Change(TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan));
        Assert.Equal(0, _clock.PendingEvents);
    }

    [Fact]
    public void Timer_CanDisposeItselfFromItsCallback()
    {
        int fired = 0;
        ITimer? timer = null;
        timer = _clock.CreateTimer(_ => { fired++; timer!.Dispose(); }, null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));

        _clock.RunFor(TimeSpan.FromSeconds(5));

        Assert.Equal(1, fired);
    }

    [Fact]
    public void TimersAndEventsCreatedInsideCallbacks_RunInTheSameRun_WhenDue()
    {
        _clock.Schedule(TimeSpan.FromSeconds(1), () =>
        {
            _log.Add("outer");
            _ = _clock.CreateTimer(_ => _log.Add($"timer@{_clock.Elapsed.TotalSeconds}"), null, TimeSpan.Zero, Timeout.InfiniteTimeSpan);
            _clock.Schedule(TimeSpan.FromSeconds(1), () => _log.Add($"event@{_clock.Elapsed.TotalSeconds}"));
        });

        _clock.RunFor(TimeSpan.FromSeconds(2));

        Assert.Equal(["outer", "timer@1", "event@2"], _log);
    }

    [Fact]
    public void RunUntil_FromInsideACallback_Throws()
    {
        InvalidOperationException? error = null;
        _clock.Schedule(TimeSpan.Zero, () => error = Assert.Throws<InvalidOperationException>(() => _clock.RunFor(TimeSpan.FromSeconds(1))));

        _clock.RunFor(TimeSpan.Zero);

        Assert.NotNull(error);
    }

    [Fact]
    public void BadArguments_AreRejectedWithTheirName()
    {
        var delay = Assert.Throws<ArgumentOutOfRangeException>(() => _clock.Schedule(TimeSpan.FromTicks(-1), () => { }));
        Assert.Equal("delay", delay.ParamName);
        var due = Assert.Throws<ArgumentOutOfRangeException>(() => _clock.CreateTimer(_ => { }, null, TimeSpan.FromSeconds(-2), Timeout.InfiniteTimeSpan));
        Assert.Equal("dueTime", due.ParamName);
        _clock.RunFor(TimeSpan.FromSeconds(1));
        var until = Assert.Throws<ArgumentOutOfRangeException>(() => _clock.RunUntil(_clock.Start));
        Assert.Equal("until", until.ParamName);
    }

    [Fact]
    public async Task Await_InsideASimulatedCallback_ResumesOnTheClockAtTheVirtualDeadline()
    {
        var resumedAt = new List<TimeSpan>();
        int runningThread = Environment.CurrentManagedThreadId;
        int resumedThread = -1;
        Task? flow = null;
        _clock.Schedule(TimeSpan.FromSeconds(1), () => flow = Flow());

        async Task Flow()
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500), _clock);
            resumedAt.Add(_clock.Elapsed);
            resumedThread = Environment.CurrentManagedThreadId;
        }

        _clock.RunFor(TimeSpan.FromMilliseconds(1500) - OneTick);
        Assert.Empty(resumedAt);
        _clock.RunFor(OneTick);

        Assert.Equal([TimeSpan.FromMilliseconds(1500)], resumedAt);
        Assert.Equal(runningThread, resumedThread);
        await flow!;
    }

    [Fact]
    public void Suspicion_ArmedOnTheClock_ExpiresExactlyAtMax()
    {
        // Lifeguard §IV-B: with no confirmations the suspicion lasts Max.
        int fired = 0;
        using var suspicion = new Suspicion("accuser", 3, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(12), _clock, () => fired++);

        _clock.RunFor(TimeSpan.FromSeconds(12) - OneTick);
        Assert.Equal(0, fired);
        _clock.RunFor(OneTick);
        Assert.Equal(1, fired);
    }

    [Fact]
    public void Suspicion_Confirmed_ReArmsToTheShorterDeadline()
    {
        // Lifeguard §IV-B: each independent confirmation pulls the deadline in along the log curve.
        int fired = 0;
        using var suspicion = new Suspicion("accuser", 3, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(12), _clock, () => fired++);
        _clock.RunFor(TimeSpan.FromSeconds(1));

        Assert.True(suspicion.Confirm("b"));
        TimeSpan deadline = suspicion.CurrentTimeout;
        Assert.True(deadline < TimeSpan.FromSeconds(12));

        _clock.RunUntil(_clock.Start + deadline - OneTick);
        Assert.Equal(0, fired);
        _clock.RunFor(OneTick);
        Assert.Equal(1, fired);
        _clock.RunFor(TimeSpan.FromSeconds(20));
        Assert.Equal(1, fired);
    }

    [Fact]
    public void Suspicion_Cancelled_NeverFires()
    {
        int fired = 0;
        var suspicion = new Suspicion("accuser", 3, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(12), _clock, () => fired++);

        Assert.True(suspicion.Cancel());
        _clock.RunFor(TimeSpan.FromMinutes(1));

        Assert.Equal(0, fired);
        Assert.Equal(0, _clock.PendingEvents);
    }
}
