using Polly;
using Polly.Retry;

namespace RingRift.P2P.Raft.Node;

/// <summary>The Raft layer's retry and timeout policies, named and in one place.</summary>
public static class RaftPolicies
{
    /// <summary>Name of the pipeline that re-sends a command whose outcome was unknown.</summary>
    public const string UnknownOutcomePipeline = "raft-unknown-outcome";

    /// <summary>Name of the pipeline that asks a new leader for its node id and HTTP address.</summary>
    public const string LeaderMetadataPipeline = "raft-leader-metadata";

    /// <summary>Name of the pipeline that waits until this member has caught up with a new leader.</summary>
    public const string CatchUpPipeline = "raft-catch-up";

    /// <summary>How often a write whose outcome was unknown is re-sent (same command id) before giving up: 3.</summary>
    public const int UnknownOutcomeRetries = 3;

    private static readonly ResiliencePropertyKey<RaftCommitUnknownException> LastUnknown = new("raft.last-unknown-outcome");
    private static readonly ResiliencePropertyKey<bool> Refused = new("raft.refused-after-unknown-outcome");

    /// <summary>
    /// Re-sends a command (same command id, so it applies at most once) after
    /// <see cref="RaftCommitUnknownException"/>, up to <see cref="UnknownOutcomeRetries"/> times, 20, 40
    /// and 80 ms apart (a new leader is usually elected and caught up by then). Used through
    /// <see cref="SubmitAsync"/>, which adds the rule that a refusal after an unknown outcome is not an answer.
    /// </summary>
    public static readonly ResiliencePipeline UnknownOutcome = new ResiliencePipelineBuilder { Name = UnknownOutcomePipeline }
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is RaftCommitUnknownException
                && !args.Context.CancellationToken.IsCancellationRequested
                && !args.Context.Properties.GetValue(Refused, false)),
            MaxRetryAttempts = UnknownOutcomeRetries,
            Delay = TimeSpan.FromMilliseconds(20),
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = false,
            OnRetry = args =>
            {
                args.Context.Properties.Set(LastUnknown, (RaftCommitUnknownException)args.Outcome.Exception!);
                return default;
            },
        })
        .Build();

    /// <summary>
    /// Submits <paramref name="command"/> to <paramref name="log"/> through <see cref="UnknownOutcome"/>.
    /// Once an attempt's outcome was unknown, a later <see cref="NotRaftLeaderException"/> does not prove the
    /// command was not applied (the old leader may have committed it before it stepped down), so the caller
    /// then gets the unknown outcome, not the refusal.
    /// </summary>
    public static async Task<WorkCommandResult> SubmitAsync(IWorkCommandLog log, WorkCommand command, CancellationToken ct)
    {
        // The first attempt runs outside the pipeline: it is every command's hot path, and almost always the only one.
        try
        {
            return await log.SubmitAsync(command, ct).ConfigureAwait(false);
        }
        catch (RaftCommitUnknownException unknown) when (!ct.IsCancellationRequested)
        {
            return await ResendAsync(log, command, unknown, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Runs the pipeline after a first attempt (made outside it) whose outcome was <paramref name="first"/>.</summary>
    private static async Task<WorkCommandResult> ResendAsync(IWorkCommandLog log, WorkCommand command, RaftCommitUnknownException first, CancellationToken ct)
    {
        var context = ResilienceContextPool.Shared.Get(ct);
        try
        {
            return await UnknownOutcome.ExecuteAsync(static async (context, state) =>
            {
                // The pipeline's first attempt replays the first attempt's outcome, so its retries are the re-sends.
                if (!context.Properties.TryGetValue(LastUnknown, out var unknown)) throw state.first;
                try
                {
                    return await state.log.SubmitAsync(state.command, context.CancellationToken).ConfigureAwait(false);
                }
                catch (NotRaftLeaderException)
                {
                    context.Properties.Set(Refused, true); // the answer: not re-sent
                    throw unknown;
                }
            }, context, (log, command, first)).ConfigureAwait(false);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>
    /// Asking a new leader for its metadata: 1 s per attempt, retried 50, 100, 200, 400 then every 500 ms
    /// until it answers or the caller gives up (the leader changed again, or the node stops).
    /// </summary>
    public static ResiliencePipeline LeaderMetadata() => new ResiliencePipelineBuilder { Name = LeaderMetadataPipeline }
        .AddRetry(UntilCancelled(TimeSpan.FromMilliseconds(50), DelayBackoffType.Exponential, TimeSpan.FromMilliseconds(500)))
        .AddTimeout(TimeSpan.FromSeconds(1))
        .Build();

    /// <summary>
    /// Catching up with a new leader (a read barrier): 2 s per attempt, retried every 50 ms until it
    /// succeeds or the caller gives up (the leader changed again, or the node stops).
    /// </summary>
    public static ResiliencePipeline CatchUp() => new ResiliencePipelineBuilder { Name = CatchUpPipeline }
        .AddRetry(UntilCancelled(TimeSpan.FromMilliseconds(50), DelayBackoffType.Constant, null))
        .AddTimeout(TimeSpan.FromSeconds(2))
        .Build();

    private static RetryStrategyOptions UntilCancelled(TimeSpan delay, DelayBackoffType backoff, TimeSpan? maxDelay) => new()
    {
        ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is not null
            && !args.Context.CancellationToken.IsCancellationRequested),
        MaxRetryAttempts = int.MaxValue,
        Delay = delay,
        BackoffType = backoff,
        MaxDelay = maxDelay,
        UseJitter = false,
    };
}
