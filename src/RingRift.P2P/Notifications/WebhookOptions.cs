namespace RingRift.P2P.Notifications;

/// <summary>
/// Delivery policy of <see cref="WebhookNotifier"/>. A delivery makes at most
/// 1 + <see cref="MaxRetries"/> attempts; retry <c>k</c> (1-based) waits
/// <see cref="BaseDelay"/> · 2^(k−1) first (500 ms, 1 s, 2 s by default), so a dead endpoint
/// costs at most 4 · 10 s + 3.5 s ≈ 44 s with the defaults.
/// </summary>
public sealed record WebhookOptions
{
    /// <summary>Retries after the first attempt, on timeouts, connection errors and 5xx. <value>3 by default.</value></summary>
    public int MaxRetries { get; init; } = 3;

    /// <summary>Wait before the first retry, doubled for each further retry. <value>500 ms by default.</value></summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Limit for one attempt, until the response headers arrive; a timed-out attempt is retried.
    /// <value>10 seconds by default.</value> Allowed: 10 ms to 1 day (Polly's timeout bounds).
    /// </summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Throws an <see cref="ArgumentOutOfRangeException"/> naming the first bad field.</summary>
    public void Validate()
    {
        if (MaxRetries is < 0 or > 100)
            throw new ArgumentOutOfRangeException(nameof(MaxRetries), MaxRetries, $"MaxRetries must be between 0 and 100, got {MaxRetries}");
        if (BaseDelay < TimeSpan.Zero || BaseDelay > TimeSpan.FromDays(1))
            throw new ArgumentOutOfRangeException(nameof(BaseDelay), BaseDelay, $"BaseDelay must be between 0 and 1 day, got {BaseDelay}");
        if (Timeout < TimeSpan.FromMilliseconds(10) || Timeout > TimeSpan.FromDays(1))
            throw new ArgumentOutOfRangeException(nameof(Timeout), Timeout, $"Timeout must be between 10 ms and 1 day, got {Timeout}");
    }
}
