using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RingRift.P2P.Loops;

namespace RingRift.P2P.Notifications;

/// <summary>
/// The node's cluster event stream: <see cref="Publish"/> stamps an event, keeps it in
/// <see cref="Recent"/> and hands it to a background sender that POSTs it to every configured
/// webhook subscribed to it (through <see cref="WebhookNotifier"/>, which retries timeouts,
/// connection errors and 5xx). Publishing never waits for delivery: events go through a bounded
/// buffer of <see cref="Capacity"/> events that drops the oldest unsent one when full (counted in
/// <see cref="ClusterEventCounters.Dropped"/>).
/// </summary>
/// <remarks>
/// Each event is delivered to its webhooks in parallel and events one after another, so every
/// webhook sees events in publish order; a slow or dead webhook delays later events (up to the
/// notifier's retry budget, ≈ 44 s by default) but never the publisher.
/// </remarks>
public sealed class ClusterEvents : IClusterEventPublisher, IAsyncDisposable
{
    /// <summary>Unsent events buffered by default.</summary>
    public const int DefaultCapacity = 1000;

    /// <summary>Events kept in <see cref="Recent"/>.</summary>
    public const int RecentCount = 100;

    private static readonly HashSet<string> StampKeys = ["event", "node_id", "time"];

    private readonly string _nodeId;
    private readonly IReadOnlyList<WebhookConfig> _webhooks;
    private readonly WebhookNotifier? _notifier;
    private readonly bool _ownsNotifier;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<ClusterEvent> _channel;
    private readonly CancellationTokenSource _stop = new();
    private readonly Queue<ClusterEvent> _recent = new();
    private readonly Lock _recentLock = new();
    private readonly Task _sender;
    private long _published, _delivered, _failed, _dropped;
    private int _disposed;

    /// <summary>
    /// Where each event sent to at least one webhook is reported as one run of the sender loop (failed
    /// when a webhook did not get it); none when null. Set before the first <see cref="Publish"/>.
    /// </summary>
    public LoopTracker? SendLoop { get; set; }

    /// <param name="nodeId">This node's id, stamped into every payload as <c>node_id</c>.</param>
    /// <param name="webhooks">Where to deliver; empty: events are only kept in <see cref="Recent"/>.</param>
    /// <param name="notifier">Sender to use (not disposed here); a new one with default options, owned and disposed here, when null.</param>
    /// <param name="time">Clock for the <c>time</c> stamp; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="logger">Logs every event at Information and drops / failures at Warning; none when null.</param>
    /// <param name="capacity">Unsent events buffered before the oldest is dropped (1–1,000,000; 1000 by default).</param>
    /// <exception cref="ArgumentException"><paramref name="nodeId"/> is blank.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is out of range.</exception>
    public ClusterEvents(
        string nodeId,
        IReadOnlyList<WebhookConfig> webhooks,
        WebhookNotifier? notifier = null,
        TimeProvider? time = null,
        ILogger<ClusterEvents>? logger = null,
        int capacity = DefaultCapacity)
    {
        if (string.IsNullOrWhiteSpace(nodeId))
            throw new ArgumentException($"nodeId must be a non-blank node id, got '{nodeId}'", nameof(nodeId));
        ArgumentNullException.ThrowIfNull(webhooks);
        if (capacity is < 1 or > 1_000_000)
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity, $"capacity must be between 1 and 1000000 events, got {capacity}");

        _nodeId = nodeId;
        _webhooks = webhooks.ToArray();
        _ownsNotifier = notifier is null && _webhooks.Count > 0;
        _notifier = notifier ?? (_webhooks.Count > 0 ? new WebhookNotifier() : null);
        _time = time ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        Capacity = capacity;
        _channel = Channel.CreateBounded<ClusterEvent>(
            new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            OnDropped);
        _sender = Task.Run(SendLoopAsync);
    }

    /// <summary>Unsent events the buffer holds before dropping the oldest.</summary>
    public int Capacity { get; }

    /// <summary>The configured webhooks.</summary>
    public IReadOnlyList<WebhookConfig> Webhooks => _webhooks;

    /// <summary>The last <see cref="RecentCount"/> (100) published events, oldest first.</summary>
    public IReadOnlyList<ClusterEvent> Recent
    {
        get
        {
            lock (_recentLock)
                return _recent.ToArray();
        }
    }

    /// <summary>Published, delivered, failed and dropped counts, and events still waiting.</summary>
    public ClusterEventCounters Counters => new(
        Interlocked.Read(ref _published), Interlocked.Read(ref _delivered), Interlocked.Read(ref _failed),
        Interlocked.Read(ref _dropped), _channel.Reader.CanCount ? _channel.Reader.Count : 0);

    /// <summary>
    /// Announces an event: returns at once, never waits for the network and never throws on delivery
    /// trouble. The payload sent is <c>{"event", "node_id", "time" (ISO-8601 UTC), …payload}</c>;
    /// payload keys named event, node_id or time are replaced by the stamp. The payload is copied.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="eventName"/> is blank (a programming error, not a delivery one).</exception>
    public void Publish(string eventName, JsonObject payload)
    {
        if (string.IsNullOrWhiteSpace(eventName))
            throw new ArgumentException($"eventName must be a non-blank event name, got '{eventName}'", nameof(eventName));

        var now = _time.GetUtcNow();
        var body = new JsonObject
        {
            ["event"] = eventName,
            ["node_id"] = _nodeId,
            ["time"] = PayloadText.Timestamp(now),
        };
        foreach (var (key, value) in payload ?? [])
        {
            if (!StampKeys.Contains(key))
                body[key] = value?.DeepClone();
        }
        var published = new ClusterEvent(eventName, now, body);

        lock (_recentLock)
        {
            _recent.Enqueue(published);
            while (_recent.Count > RecentCount)
                _recent.Dequeue();
        }
        Interlocked.Increment(ref _published);
        if (_logger.IsEnabled(LogLevel.Information))
            ClusterEventsLog.Published(_logger, eventName, body.ToJsonString());
        if (!_channel.Writer.TryWrite(published))
            Interlocked.Increment(ref _dropped); // the sender has stopped (disposed)
    }

    private void OnDropped(ClusterEvent dropped)
    {
        var count = Interlocked.Increment(ref _dropped);
        ClusterEventsLog.Dropped(_logger, count);
    }

    private async Task SendLoopAsync()
    {
        try
        {
            await foreach (var published in _channel.Reader.ReadAllAsync(_stop.Token).ConfigureAwait(false))
            {
                var targets = _webhooks.Where(w => w.Subscribes(published.Event)).ToArray();
                if (targets.Length == 0 || _notifier is null)
                    continue; // nobody subscribed: kept in Recent only
                var payload = ToDictionary(published.Payload);
                var started = SendLoop?.Started() ?? 0;
                var errors = await Task.WhenAll(targets.Select(w => DeliverAsync(_notifier, w, published.Event, payload))).ConfigureAwait(false);
                SendLoop?.Finished(started, errors.FirstOrDefault(e => e is not null));
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // disposed: quiet shutdown
        }
    }

    /// <summary>Sends one event to one webhook; returns why it was not delivered, null when it was (or the sender stopped).</summary>
    private async Task<string?> DeliverAsync(WebhookNotifier notifier, WebhookConfig webhook, string eventName, IReadOnlyDictionary<string, object?> payload)
    {
        try
        {
            var delivered = await notifier.SendAsync(webhook, eventName, payload, _stop.Token).ConfigureAwait(false);
            Interlocked.Increment(ref delivered ? ref _delivered : ref _failed);
            return delivered ? null : $"{eventName} to {new Uri(webhook.Url).Host} not delivered";
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            return null; // disposed while sending: not counted as a failure
        }
        catch (Exception ex)
        {
            Interlocked.Increment(ref _failed);
            var host = new Uri(webhook.Url).Host;
            ClusterEventsLog.DeliveryFailed(_logger, eventName, host, ex.GetType().Name, ex.Message);
            return $"{eventName} to {host}: {ex.GetType().Name}: {ex.Message}";
        }
    }

    /// <summary>Top-level payload values as CLR values (strings, numbers, booleans) so chat formats print them plainly; objects and arrays stay JSON.</summary>
    private static Dictionary<string, object?> ToDictionary(JsonObject payload)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, node) in payload)
            result[key] = Plain(node);
        return result;
    }

    private static object? Plain(JsonNode? node)
    {
        if (node is not JsonValue value)
            return node?.DeepClone();
        return value.GetValueKind() switch
        {
            JsonValueKind.String => value.GetValue<string>(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Number when value.TryGetValue(out long l) => l,
            JsonValueKind.Number when value.TryGetValue(out int i) => (long)i,
            JsonValueKind.Number when value.TryGetValue(out double d) => d,
            JsonValueKind.Null => null,
            _ => value.DeepClone(),
        };
    }

    /// <summary>Stops the sender at once (events not yet delivered count as dropped) and disposes an owned notifier.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
            return;
        _channel.Writer.TryComplete();
        await _stop.CancelAsync().ConfigureAwait(false);
        await _sender.ConfigureAwait(false);
        while (_channel.Reader.TryRead(out _))
            Interlocked.Increment(ref _dropped);
        if (_ownsNotifier)
            _notifier!.Dispose();
        _stop.Dispose();
    }
}
