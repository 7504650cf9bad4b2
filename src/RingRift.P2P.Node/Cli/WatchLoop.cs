namespace RingRift.P2P.Node.Cli;

/// <summary>
/// The refresh loop of <c>--watch</c>: fetch, show, wait, until cancelled (Ctrl-C). The first fetch
/// must succeed (a wrong --url fails at once with exit code 1); a later failed fetch is shown with the
/// last good data and the loop goes on. Waiting goes through <c>delay</c> so tests need no real time.
/// </summary>
public sealed class WatchLoop(TimeSpan interval, Func<TimeSpan, CancellationToken, Task> delay)
{
    public WatchLoop(TimeSpan interval) : this(interval, Task.Delay)
    {
    }

    public TimeSpan Interval { get; } = interval;

    /// <summary>Runs until <paramref name="ct"/> is cancelled; throws the first fetch's <see cref="CliException"/>.</summary>
    public async Task RunAsync<T>(Func<CancellationToken, Task<T>> fetch, Action<WatchFrame<T>> show, CancellationToken ct)
    {
        WatchFrame<T>? last = null;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                last = new WatchFrame<T>(await fetch(ct), null);
            }
            catch (CliException ex) when (last is not null)
            {
                last = last with { Error = ex.Message };
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            show(last);
            try
            {
                await delay(Interval, ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}

/// <summary>One refresh: the latest data fetched and, when this refresh failed, why (the data is then the last good one).</summary>
public sealed record WatchFrame<T>(T Data, string? Error);
