using Microsoft.Extensions.Time.Testing;
using RingRift.P2P.Json;
using RingRift.P2P.Loops;
using Xunit;

namespace RingRift.P2P.Tests.Loops;

public sealed class LoopTrackerTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly LoopRegistry _loops;

    public LoopTrackerTests() => _loops = new LoopRegistry(_time);

    private LoopStatus Status(string name = "heartbeat") => _loops.Snapshot()[name];

    [Fact]
    public void A_new_loop_is_starting_and_healthy_until_three_intervals_pass_without_a_run()
    {
        _loops.Register("heartbeat", Interval);
        Assert.Equal(LoopState.Starting, Status().Status);
        Assert.True(Status().Healthy);
        Assert.Null(Status().LastRunAt);
        Assert.Equal(_time.GetUtcNow().Add(Interval).ToUnixTimeMilliseconds() / 1000.0, Status().NextDueAt);

        _time.Advance(Interval * LoopTracker.StallIntervals);
        Assert.True(Status().Healthy);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(LoopState.Stalled, Status().Status);
        Assert.False(Status().Healthy);
    }

    [Fact]
    public void A_run_records_its_start_duration_and_next_due_time_and_a_late_loop_stalls()
    {
        var loop = _loops.Register("heartbeat", Interval);
        var startedAt = _time.GetUtcNow();
        var run = loop.Started();
        _time.Advance(TimeSpan.FromMilliseconds(250));
        Assert.Equal(0.25, Status().RunningForSeconds);
        loop.Finished(run);

        var status = Status();
        Assert.Equal(LoopState.Ok, status.Status);
        Assert.Equal(1, status.Runs);
        Assert.Equal(250, status.LastDurationMs);
        Assert.Null(status.RunningForSeconds);
        Assert.Equal(startedAt.ToUnixTimeMilliseconds() / 1000.0, status.LastRunAt);
        Assert.Equal(startedAt.Add(Interval).ToUnixTimeMilliseconds() / 1000.0, status.NextDueAt);
        Assert.Equal(0.25, status.SecondsSinceLastRun);

        _time.Advance(Interval * LoopTracker.StallIntervals); // 15.25 s since the run started
        Assert.Equal(LoopState.Stalled, Status().Status);
        loop.Finished(loop.Started());
        Assert.Equal(LoopState.Ok, Status().Status);
    }

    [Fact]
    public void A_step_that_hangs_stalls_the_loop()
    {
        var loop = _loops.Register("dispatch", Interval);
        loop.Started();
        _time.Advance(Interval * LoopTracker.StallIntervals + TimeSpan.FromSeconds(1));
        var status = Status("dispatch");
        Assert.Equal(LoopState.Stalled, status.Status);
        Assert.Equal(16, status.RunningForSeconds);
        Assert.Equal(0, status.Runs);
    }

    [Fact]
    public void Three_failures_in_a_row_make_it_failing_and_one_success_clears_that_but_not_the_last_error()
    {
        var loop = _loops.Register("heartbeat", Interval);
        loop.Finished(loop.Started(), new InvalidOperationException("no quorum"));
        loop.Finished(loop.Started(), new InvalidOperationException("no quorum"));
        Assert.Equal(LoopState.Ok, Status().Status);
        var failedAt = _time.GetUtcNow();
        loop.Finished(loop.Started(), new TimeoutException("too slow"));

        var failing = Status();
        Assert.Equal(LoopState.Failing, failing.Status);
        Assert.False(failing.Healthy);
        Assert.Equal(3, failing.ConsecutiveFailures);
        Assert.Equal("TimeoutException: too slow", failing.LastError);
        Assert.Equal(failedAt.ToUnixTimeMilliseconds() / 1000.0, failing.LastErrorAt);

        loop.Finished(loop.Started());
        var recovered = Status();
        Assert.Equal(LoopState.Ok, recovered.Status);
        Assert.Equal((4L, 3L, 0), (recovered.Runs, recovered.Failures, recovered.ConsecutiveFailures));
        Assert.Equal("TimeoutException: too slow", recovered.LastError);
    }

    [Fact]
    public void A_loop_driven_by_events_never_stalls_but_can_fail()
    {
        var loop = _loops.Register("webhook_sender", null);
        _time.Advance(TimeSpan.FromDays(1));
        Assert.Equal(LoopState.Starting, Status("webhook_sender").Status);
        Assert.Null(Status("webhook_sender").NextDueAt);
        for (var i = 0; i < LoopTracker.FailingRuns; i++) loop.Finished(loop.Started(), "work_failed to hooks.example not delivered");
        Assert.Equal(LoopState.Failing, Status("webhook_sender").Status);
    }

    [Fact]
    public async Task RunAsync_counts_failures_and_passes_them_on_but_not_a_shutdown()
    {
        var loop = _loops.Register("heartbeat", Interval);
        await loop.RunAsync(_ => Task.CompletedTask, CancellationToken.None);
        await Assert.ThrowsAsync<IOException>(() => loop.RunAsync(_ => throw new IOException("disk"), CancellationToken.None));
        using var stopping = new CancellationTokenSource();
        await stopping.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            loop.RunAsync(ct => Task.FromCanceled(ct), stopping.Token));

        var status = Status();
        Assert.Equal((2L, 1L), (status.Runs, status.Failures));
        Assert.Equal("IOException: disk", status.LastError);
        Assert.Null(status.RunningForSeconds);
    }

    [Fact]
    public void Registering_a_name_again_returns_the_same_tracker_with_the_new_interval()
    {
        var first = _loops.Register("raft", Interval);
        var again = _loops.Register("raft", TimeSpan.FromSeconds(2));
        Assert.Same(first, again);
        Assert.Equal(2, Status("raft").IntervalSeconds);
        Assert.Throws<ArgumentOutOfRangeException>(() => _loops.Register("x", TimeSpan.Zero));
        Assert.Throws<ArgumentException>(() => _loops.Register(" ", Interval));
    }

    [Fact]
    public void The_status_serializes_with_snake_case_names_and_a_lower_case_state()
    {
        var loop = _loops.Register("model_sync", Interval);
        loop.Finished(loop.Started());
        var json = System.Text.Json.JsonSerializer.Serialize(Status("model_sync"), P2PJson.Options);
        Assert.Contains("\"status\":\"ok\"", json);
        Assert.Contains("\"seconds_since_last_run\":0", json);
        Assert.Contains("\"next_due_at\":", json);
    }
}
