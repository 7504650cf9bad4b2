namespace RingRift.P2P.Node.Sync;

/// <summary>
/// A token bucket shared by every transfer on the node (pulls and served files): it refills at
/// <see cref="BytesPerSecond"/> up to <see cref="BurstBytes"/>. A caller takes the bytes it is about to
/// send or has just received, going into debt when the bucket is short, and waits until the debt is
/// repaid: wait = −tokens / rate. Concurrent callers queue behind each other's debt, so the total
/// rate holds whatever the number of transfers. A rate of 0 means unlimited (no waiting).
/// </summary>
public sealed class BandwidthLimiter
{
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private double _tokens;
    private long _lastRefill;

    /// <param name="bytesPerSecond">Sustained rate; 0 = unlimited.</param>
    /// <param name="time">Clock for refills and waits.</param>
    /// <param name="burstBytes">Bucket size; by default a quarter second of the rate, at least 64 KiB.</param>
    public BandwidthLimiter(long bytesPerSecond, TimeProvider time, long? burstBytes = null)
    {
        if (bytesPerSecond < 0) throw new ArgumentOutOfRangeException(nameof(bytesPerSecond), bytesPerSecond, "bytesPerSecond must be ≥ 0 (0 = unlimited)");
        if (burstBytes is <= 0) throw new ArgumentOutOfRangeException(nameof(burstBytes), burstBytes, "burstBytes must be > 0");
        BytesPerSecond = bytesPerSecond;
        BurstBytes = burstBytes ?? Math.Max(64 * 1024, bytesPerSecond / 4);
        _time = time;
        _tokens = BurstBytes;
        _lastRefill = time.GetTimestamp();
    }

    public long BytesPerSecond { get; }

    public long BurstBytes { get; }

    public bool IsUnlimited => BytesPerSecond == 0;

    /// <summary>Takes <paramref name="bytes"/> from the bucket and completes once the rate allows them.</summary>
    public ValueTask WaitAsync(int bytes, CancellationToken ct)
    {
        if (IsUnlimited || bytes <= 0) return ValueTask.CompletedTask;
        TimeSpan wait;
        lock (_lock)
        {
            var now = _time.GetTimestamp();
            _tokens = Math.Min(BurstBytes, _tokens + _time.GetElapsedTime(_lastRefill, now).TotalSeconds * BytesPerSecond);
            _lastRefill = now;
            _tokens -= bytes;
            if (_tokens >= 0) return ValueTask.CompletedTask;
            wait = TimeSpan.FromSeconds(-_tokens / BytesPerSecond);
        }
        return new ValueTask(Task.Delay(wait, _time, ct));
    }
}
