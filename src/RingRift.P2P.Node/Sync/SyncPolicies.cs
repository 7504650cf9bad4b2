using Polly;
using Polly.Retry;

namespace RingRift.P2P.Node.Sync;

/// <summary>Data sync's retry policy, named and in one place.</summary>
internal static class SyncPolicies
{
    /// <summary>Name of the pipeline that retries a broken pull.</summary>
    public const string PullPipeline = "sync-pull";

    /// <summary>The pull a context belongs to: told of each retry (shown in <c>/sync/status</c>) and named in the retry's log line.</summary>
    public static readonly ResiliencePropertyKey<SyncStatusTracker.Transfer> Pull = new("sync.pull");

    /// <summary>
    /// A pull whose transfer broke (connection cut or refused, a peer's 5xx, a stall, a short body) is
    /// tried again, up to <see cref="SyncOptions.PullAttempts"/> attempts in all,
    /// <see cref="SyncOptions.RetryDelay"/> apart; each attempt resumes from the <c>.partial</c>. Refusals
    /// (a 4xx, no disk space, a hash mismatch on a fresh download) are answers: never retried.
    /// Before the pause, the pull's transfer is told why its attempt broke (<see cref="SyncStatusTracker.Transfer.Retrying"/>)
    /// and <paramref name="onRetry"/> gets the pull's path and peer, the attempt that broke and why.
    /// </summary>
    public static ResiliencePipeline PullRetry(SyncOptions options, TimeProvider time, Action<string, string, int, Exception> onRetry)
    {
        var builder = new ResiliencePipelineBuilder { Name = PullPipeline, TimeProvider = time };
        if (options.PullAttempts == 1) return builder.Build(); // Polly needs at least one retry
        return builder.AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } e && IsBroken(e, args.Context.CancellationToken)),
            MaxRetryAttempts = options.PullAttempts - 1,
            Delay = options.RetryDelay,
            BackoffType = DelayBackoffType.Constant,
            UseJitter = false,
            OnRetry = args =>
            {
                var error = args.Outcome.Exception!;
                if (args.Context.Properties.TryGetValue(Pull, out var transfer))
                {
                    transfer.Retrying(error.Message);
                    onRetry(transfer.Path, transfer.Peer, args.AttemptNumber + 1, error);
                }
                else
                {
                    onRetry("?", "?", args.AttemptNumber + 1, error);
                }
                return default;
            },
        }).Build();
    }

    /// <summary>
    /// Whether <paramref name="error"/> broke a transfer (worth resuming) rather than refused it. A full disk
    /// is not retried: another attempt would fail the same way (the pull fails with <see cref="SyncFailure.DiskSpace"/>).
    /// </summary>
    public static bool IsBroken(Exception error, CancellationToken ct) =>
        (error is HttpRequestException or TimeoutException || (error is IOException && !RingRift.P2P.Storage.OutOfSpace.Is(error)))
        || (error is OperationCanceledException && !ct.IsCancellationRequested);
}
