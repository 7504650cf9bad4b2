using RingRift.P2P.Loops;

namespace RingRift.P2P.Node.Hosting;

/// <summary>
/// A background loop that runs one step now and then every <see cref="Period"/> on the injected
/// clock, reporting each step to its <see cref="LoopTracker"/> (<c>/status</c>'s <c>loops</c>). A
/// failing step is logged (the first of a streak at Warning with its exception, the rest at Debug,
/// the recovery at Information) and the loop goes on; shutdown is quiet.
/// </summary>
public abstract class PeriodicService(TimeProvider time, LoopRegistry loops, ILogger logger) : BackgroundService
{
    private LoopTracker? _tracker;

    protected TimeProvider Time { get; } = time;

    protected abstract TimeSpan Period { get; }

    /// <summary>The loop's name in <c>/status</c> and the metrics (snake_case).</summary>
    public abstract string LoopName { get; }

    /// <summary>Registers the loop (once its <see cref="Period"/> is known) so it shows from the start.</summary>
    private LoopTracker Tracker => _tracker ??= loops.Register(LoopName, Period);

    /// <summary>
    /// Runs once inside <see cref="StartAsync"/>, before the loop starts: the host starts its services one
    /// after another in registration order, so what this sets up is in place before any service
    /// registered later starts (since .NET 10 the loop itself runs on the thread pool, unordered).
    /// </summary>
    protected virtual Task PrepareAsync(CancellationToken ct) => Task.CompletedTask;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        _ = Tracker;
        await PrepareAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    /// <summary>Runs once before the first step, on the loop.</summary>
    protected virtual Task StartingAsync(CancellationToken ct) => Task.CompletedTask;

    protected abstract Task StepAsync(CancellationToken ct);

    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await StartingAsync(stoppingToken);
            using var timer = new PeriodicTimer(Period, Time);
            do
            {
                await RunStepAsync(stoppingToken);
            } while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
    }

    private async Task RunStepAsync(CancellationToken stoppingToken)
    {
        var failuresBefore = Tracker.ConsecutiveFailures;
        try
        {
            await Tracker.RunAsync(StepAsync, stoppingToken);
            if (failuresBefore > 0) logger.StepRecovered(LoopName, failuresBefore);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            if (failuresBefore == 0) logger.StepFailed(ex, LoopName);
            else logger.StepFailedAgain(LoopName, failuresBefore + 1, ex.Message);
        }
    }
}
