using System.Net.Http.Headers;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace RingRift.P2P.Notifications;

/// <summary>
/// Sends webhook notifications (the seed's <c>send_webhook_notification</c>): one JSON POST per
/// event in the Slack, Discord or generic shape, retried by <see cref="WebhookOptions"/> (timeouts,
/// connection errors and 5xx; never 4xx). Safe for concurrent <see cref="SendAsync"/> calls; create
/// one per process and reuse it.
/// </summary>
/// <remarks>
/// Delivery failures are logged (with the host only: webhook paths hold secrets) and reported as
/// <c>false</c>; they never throw. Redirects are not followed (a 3xx counts as a refusal).
/// Cancelling the caller's token is the one exception: <see cref="SendAsync"/> then throws
/// <see cref="OperationCanceledException"/>, as every .NET async API does, so shutdown is not
/// mistaken for a failed delivery.
/// </remarks>
public sealed class WebhookNotifier : IDisposable
{
    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private volatile bool _disposed;

    /// <param name="options">Retry and timeout policy; <see cref="WebhookOptions"/> defaults when null.</param>
    /// <param name="logger">Logger for failures and retries; none when null.</param>
    /// <param name="innerHandler">
    /// Transport under the resilience handler (a <see cref="SocketsHttpHandler"/> that does not follow
    /// redirects when null). The notifier owns it and disposes it.
    /// </param>
    /// <param name="time">Clock for timestamps, backoff and timeouts; <see cref="TimeProvider.System"/> when null.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public WebhookNotifier(
        WebhookOptions? options = null,
        ILogger<WebhookNotifier>? logger = null,
        HttpMessageHandler? innerHandler = null,
        TimeProvider? time = null)
    {
        Options = options ?? new WebhookOptions();
        Options.Validate();
        _time = time ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        var transport = innerHandler ?? new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        };
        var resilience = new ResilienceHandler(WebhookPipeline.Build(Options, _time, _logger)) { InnerHandler = transport };
        _http = new HttpClient(resilience, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>The policy in use.</summary>
    public WebhookOptions Options { get; }

    /// <summary>
    /// POSTs <paramref name="eventName"/> with <paramref name="payload"/> to <paramref name="config"/>'s
    /// URL in its <see cref="WebhookConfig.EffectiveFormat"/>.
    /// </summary>
    /// <returns>
    /// True when the endpoint answered 2xx; false when the event is not subscribed (no request is
    /// made) or delivery failed after all attempts.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="config"/> or <paramref name="payload"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="eventName"/> is blank.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="ct"/> was cancelled.</exception>
    /// <exception cref="ObjectDisposedException">The notifier was disposed.</exception>
    public async Task<bool> SendAsync(
        WebhookConfig config,
        string eventName,
        IReadOnlyDictionary<string, object?> payload,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(payload);
        if (string.IsNullOrWhiteSpace(eventName))
            throw new ArgumentException($"eventName must be a non-blank event name, got '{eventName}'", nameof(eventName));
        ObjectDisposedException.ThrowIf(_disposed, this);

        var host = new Uri(config.Url).Host;
        if (!config.Subscribes(eventName))
        {
            NotificationsLog.NotSubscribed(_logger, eventName, host); // not subscribed: no request at all
            return false;
        }
        ct.ThrowIfCancellationRequested();

        var format = config.EffectiveFormat;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, config.Url);
            request.Content = new ByteArrayContent(WebhookBody.Build(format, eventName, payload, _time.GetUtcNow()));
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            request.Options.Set(WebhookPipeline.EventNameKey, eventName);

            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                NotificationsLog.Delivered(_logger, eventName, host, format, status);
                return true;
            }
            NotificationsLog.Refused(_logger, eventName, host, status);
            return false;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw; // the caller gave up: not a delivery failure
        }
        catch (Exception ex) when (ex is not ObjectDisposedException || !_disposed)
        {
            NotificationsLog.Failed(_logger, eventName, host, ex.GetType().Name, ex.Message);
            return false;
        }
    }

    /// <summary>Disposes the HTTP client and its handlers; later sends throw <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        _http.Dispose();
    }
}
