using System.Net.Http;
using Polly;
using Polly.Retry;
using RingRift.P2P.Node.Api;

namespace RingRift.P2P.Node.Cluster;

/// <summary>
/// The one retry and timeout policy of cluster work calls. A forwarded call gets
/// <see cref="ForwardTimeout"/> per attempt. A call from one of this node's components is retried
/// (up to 20 more times, 100 ms apart with jitter: about 2 s, on a route chosen afresh each time, since
/// the leader may have moved) when it surely did nothing: no node could serve it (503 NO_LEADER,
/// NOT_READY, NOT_LEADER) or the leader's connection was refused. A read is also retried after a
/// timeout or a lost answer; a write is not, because it may have been applied (the caller retries it
/// with a command id, which Raft applies once). Calls from the HTTP API are tried once: the client
/// owns its retries (see <see cref="ClusterWork.ForHttp"/>).
/// </summary>
public static class ClusterWorkPolicy
{
    /// <summary>Per forwarded attempt: 15 s.</summary>
    public static readonly TimeSpan ForwardTimeout = TimeSpan.FromSeconds(15);

    /// <summary>Pipeline of reads (get, list, stats, training).</summary>
    public const string ReadPipeline = "cluster-work-read";

    /// <summary>Pipeline of writes (add, claim, start, complete, fail, cancel).</summary>
    public const string WritePipeline = "cluster-work-write";

    /// <summary>
    /// Pipeline of writes that carry a command id while Raft serves: Raft applies a command id once, so
    /// a write whose outcome is unknown (503 <c>COMMIT_UNKNOWN</c>, <c>LEADER_UNREACHABLE</c>, <c>TIMEOUT</c>:
    /// the leader changed or the answer was lost) is re-sent with the same id, on a fresh route.
    /// </summary>
    public const string CommandPipeline = "cluster-work-command";

    private static readonly string[] RoutingRefusals = ["NO_LEADER", "NOT_READY", "NOT_LEADER"];
    private static readonly string[] LostAnswers = ["LEADER_UNREACHABLE", "READ_UNAVAILABLE", "TIMEOUT"];
    private static readonly string[] UnknownOutcomes = ["COMMIT_UNKNOWN", "LEADER_UNREACHABLE", "TIMEOUT", .. RoutingRefusals];

    /// <summary>Registers both named pipelines.</summary>
    public static IServiceCollection AddClusterWorkPolicy(this IServiceCollection services)
    {
        services.AddResiliencePipeline(ReadPipeline, builder => builder.AddRetry(Retry(idempotent: true)));
        services.AddResiliencePipeline(WritePipeline, builder => builder.AddRetry(Retry(idempotent: false)));
        services.AddResiliencePipeline(CommandPipeline, builder => builder.AddRetry(Retry(new PredicateBuilder().Handle<Exception>(ShouldResendCommand))));
        return services;
    }

    /// <summary>Whether <paramref name="error"/> is worth another attempt.</summary>
    public static bool ShouldRetry(Exception error, bool idempotent) => error is ApiException { Status: StatusCodes.Status503ServiceUnavailable } a
        && (RoutingRefusals.Contains(a.Code)
            || a.InnerException is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError }
            || (idempotent && LostAnswers.Contains(a.Code)));

    /// <summary>
    /// Whether a write carrying a command id is worth re-sending while Raft serves: everything
    /// <see cref="ShouldRetry"/> retries, and any outcome that is merely unknown, whether the leader
    /// answered it (forwarded) or this node's Raft queue threw it (served here).
    /// </summary>
    public static bool ShouldResendCommand(Exception error) =>
        ShouldRetry(error, idempotent: false)
        || (ErrorHandling.Map(error) is (StatusCodes.Status503ServiceUnavailable, var code, _) && UnknownOutcomes.Contains(code));

    private static RetryStrategyOptions Retry(bool idempotent) => Retry(new PredicateBuilder().Handle<ApiException>(e => ShouldRetry(e, idempotent)));

    private static RetryStrategyOptions Retry(PredicateBuilder<object> shouldHandle) => new()
    {
        ShouldHandle = shouldHandle,
        MaxRetryAttempts = 20,
        Delay = TimeSpan.FromMilliseconds(100),
        BackoffType = DelayBackoffType.Constant,
        UseJitter = true,
    };
}
