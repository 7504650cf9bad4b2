namespace RingRift.P2P.Node.Hosting;

/// <summary>
/// A background loop that runs one step now and then every <see cref="Period"/> on the injected
/// clock. A failing step is logged and the loop goes on; shutdown is quiet.
/// </summary>
public abstract class PeriodicService(TimeProvider time, ILogger logger) : BackgroundService
{
    protected TimeProvider Time { get; } = time;

    protected abstract TimeSpan Period { get; }

    /// <summary>
    /// Runs once inside <see cref="StartAsync"/>, before the loop starts: the host starts its services one
    /// after another in registration order, so what this sets up is in place before any service
    /// registered later starts (since .NET 10 the loop itself runs on the thread pool, unordered).
    /// </summary>
    protected virtual Task PrepareAsync(CancellationToken ct) => Task.CompletedTask;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
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
                try
                {
                    await StepAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    logger.StepFailed(ex, GetType().Name);
                }
            } while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
    }
}
