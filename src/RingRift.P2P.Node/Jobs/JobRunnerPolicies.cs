using Polly;
using Polly.Retry;
using RingRift.P2P.Coordination;

namespace RingRift.P2P.Node.Jobs;

/// <summary>The job runner's retry policies, named and in one place.</summary>
internal static class JobRunnerPolicies
{
    /// <summary>Name of the pipeline that reports a finished job's outcome.</summary>
    public const string ReportPipeline = "job-report";

    /// <summary>Longest wait between two reports of one outcome: 30 s.</summary>
    public static readonly TimeSpan MaxReportBackoff = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Reporting a finished job's outcome (complete or fail): retried until it lands or the runner
    /// stops, <paramref name="firstDelay"/> doubling up to <see cref="MaxReportBackoff"/>, since the
    /// outcome is the one thing the cluster must not lose. A refusal of the work itself
    /// (<see cref="WorkConflictException"/>, <see cref="WorkNotFoundException"/>) is an answer, not a failure: never retried.
    /// </summary>
    public static ResiliencePipeline Report(TimeSpan firstDelay, TimeProvider time, Action<Exception> onRetry) =>
        new ResiliencePipelineBuilder { Name = ReportPipeline, TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } e
                    && e is not (WorkConflictException or WorkNotFoundException)
                    && !(e is OperationCanceledException && args.Context.CancellationToken.IsCancellationRequested)),
                MaxRetryAttempts = int.MaxValue,
                Delay = firstDelay,
                MaxDelay = MaxReportBackoff,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = false,
                OnRetry = args =>
                {
                    onRetry(args.Outcome.Exception!);
                    return default;
                },
            })
            .Build();
}
