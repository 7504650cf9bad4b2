using Microsoft.Extensions.Time.Testing;
using RingRift.P2P.Loops;
using RingRift.P2P.Node.Hosting;
using RingRift.P2P.Testing.Logging;
using RingRift.P2P.Testing.Waiting;

namespace RingRift.P2P.Node.Tests.Hosting;

/// <summary>A periodic loop reports each step to its tracker and logs a streak of failures once, not every step.</summary>
public sealed class PeriodicServiceTests
{
    private sealed class FlakyLoop(int failures, TimeProvider time, LoopRegistry loops, ILogger logger) : PeriodicService(time, loops, logger)
    {
        private int _steps;

        protected override TimeSpan Period => TimeSpan.FromSeconds(1);

        public override string LoopName => "flaky";

        protected override Task StepAsync(CancellationToken ct) =>
            Interlocked.Increment(ref _steps) <= failures ? throw new InvalidOperationException("peer unreachable") : Task.CompletedTask;
    }

    [Fact]
    public async Task A_streak_of_failures_is_tracked_and_logged_once_then_the_recovery()
    {
        var time = new FakeTimeProvider();
        var loops = new LoopRegistry(time);
        var log = new ListLogger<FlakyLoop>();
        using var loop = new FlakyLoop(4, time, loops, log);
        await loop.StartAsync(CancellationToken.None);
        Assert.Contains("flaky", loops.Snapshot().Keys);

        for (var run = 2; run <= 5; run++)
        {
            await Eventually.Until(() => Task.FromResult(loops.Snapshot()["flaky"]), l => l.Runs == run - 1, $"run {run - 1}");
            if (run == 4) Assert.Equal(LoopState.Failing, loops.Snapshot()["flaky"].Status);
            time.Advance(TimeSpan.FromSeconds(1));
        }
        var recovered = await Eventually.Until(() => Task.FromResult(loops.Snapshot()["flaky"]), l => l.Runs == 5, "run 5");
        await loop.StopAsync(CancellationToken.None);

        Assert.Equal((LoopState.Ok, 4L, 0), (recovered.Status, recovered.Failures, recovered.ConsecutiveFailures));
        Assert.Equal("InvalidOperationException: peer unreachable", recovered.LastError);
        Assert.Equal(
            [LogLevel.Warning, LogLevel.Debug, LogLevel.Debug, LogLevel.Debug, LogLevel.Information],
            log.Entries.Select(e => e.Level));
        Assert.Contains("4 failure(s) in a row", log.Entries[^1].Message);
    }
}
