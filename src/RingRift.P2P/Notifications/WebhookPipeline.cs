using System.Net.Http;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace RingRift.P2P.Notifications;

/// <summary>
/// The delivery pipeline: an outer retry (exponential backoff, no jitter) around a per-attempt
/// timeout. Retried: <see cref="HttpRequestException"/>, <see cref="TimeoutRejectedException"/>
/// (the attempt timed out) and 5xx responses. Never retried: any other status (3xx, 4xx including
/// 408 and 429) and cancellation by the caller.
/// </summary>
internal static class WebhookPipeline
{
    /// <summary>Carries the event name from the request to the retry log.</summary>
    public static readonly HttpRequestOptionsKey<string> EventNameKey = new("ringrift.webhook.event");

    public static ResiliencePipeline<HttpResponseMessage> Build(WebhookOptions options, TimeProvider time, ILogger logger)
    {
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time, Name = "ringrift-webhook" };
        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = options.MaxRetries,
                Delay = options.BaseDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = false,
                ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
                    .Handle<HttpRequestException>()
                    .Handle<TimeoutRejectedException>()
                    .HandleResult(IsServerError),
                OnRetry = args =>
                {
                    LogRetry(logger, args);
                    return default;
                },
            });
        }
        builder.AddTimeout(new TimeoutStrategyOptions { Timeout = options.Timeout });
        return builder.Build();
    }

    /// <summary>True for 5xx status codes, the only responses worth retrying.</summary>
    public static bool IsServerError(HttpResponseMessage response) => (int)response.StatusCode is >= 500 and <= 599;

    private static void LogRetry(ILogger logger, OnRetryArguments<HttpResponseMessage> args)
    {
        if (!logger.IsEnabled(LogLevel.Debug))
            return;
        var request = args.Context.GetRequestMessage();
        var eventName = request is not null && request.Options.TryGetValue(EventNameKey, out var name) ? name : "?";
        var reason = args.Outcome.Exception is { } ex ? ex.GetType().Name : $"HTTP {(int)args.Outcome.Result!.StatusCode}";
        NotificationsLog.Retrying(logger, eventName, request?.RequestUri?.Host ?? "?", args.AttemptNumber + 1, reason,
            args.RetryDelay.TotalMilliseconds);
    }
}
