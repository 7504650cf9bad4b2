using System.Collections.Concurrent;
using Polly;
using RingRift.P2P.Node.PeerHttp;

namespace RingRift.P2P.Node.Sync;

/// <summary>
/// Sync/ holds data and model sync between nodes: manifests, resumable verified pulls, the sync routes and model sync.
/// Data sync on one node: the manifest of its data dir, the shared bandwidth limit, pulls from peers
/// (<see cref="PullAsync"/>, <see cref="PullMatchingAsync"/>, <see cref="EnsureFileAsync"/>) and their
/// status. The same instance serves <c>/sync/*</c> (see <see cref="SyncApi.MapSyncApi"/>).
/// </summary>
public sealed partial class DataSync : IDisposable
{
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly ClusterToken _token;
    private readonly TimeProvider _time;
    private readonly Func<string, DiskSpace> _diskSpace;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _pullSlots;
    private readonly ResiliencePipeline _pullRetry;
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _pathLocks = new(StringComparer.Ordinal);

    /// <summary>The node's storage flag: a pull that runs out of space is reported to it (null: not reported).</summary>
    private readonly RingRift.P2P.Storage.StorageHealth? _storage;

    /// <param name="options">Validated here; see <see cref="SyncOptions"/> for defaults.</param>
    /// <param name="token">The cluster token, attached to every request to a peer.</param>
    /// <param name="http">Client for peer requests; its Timeout should be infinite (pulls set their own deadlines). Null: one of our own.</param>
    /// <param name="time">Clock for the bandwidth limit, retry pauses and status; null = system clock.</param>
    /// <param name="diskSpace">Free/total bytes of the drive holding a directory; null = <see cref="DiskSpace.Of"/>. Tests inject a small drive.</param>
    /// <param name="logger">Null = no logging.</param>
    /// <param name="storage">The node's storage flag, told when a pull runs out of space; null = nobody is told.</param>
    public DataSync(SyncOptions options, ClusterToken token, HttpClient? http = null, TimeProvider? time = null,
        Func<string, DiskSpace>? diskSpace = null, ILogger<DataSync>? logger = null, RingRift.P2P.Storage.StorageHealth? storage = null)
    {
        _storage = storage;
        Options = options.Validate();
        _token = token;
        _ownsHttp = http is null;
        _http = http ?? new HttpClient(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(5) }) { Timeout = Timeout.InfiniteTimeSpan };
        _time = time ?? TimeProvider.System;
        _diskSpace = diskSpace ?? DiskSpace.Of;
        _logger = (ILogger?)logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
        _pullSlots = new SemaphoreSlim(options.MaxConcurrentPulls, options.MaxConcurrentPulls);
        Manifest = new DataManifest(options.DataDir);
        Limiter = new BandwidthLimiter(options.BandwidthBytesPerSecond, _time);
        Status = new SyncStatusTracker(_time, options.RecentPullsKept);
        _pullRetry = SyncPolicies.PullRetry(Options, _time, (path, peer, attempt, error) =>
            _logger.PullRetry(path, peer, attempt, Options.PullAttempts, error.Message));
    }

    public SyncOptions Options { get; }

    /// <summary>This node's files and their hashes.</summary>
    public DataManifest Manifest { get; }

    /// <summary>The one token bucket every pull and every served file draws from.</summary>
    public BandwidthLimiter Limiter { get; }

    public SyncStatusTracker Status { get; }

    /// <summary>The manifest of this node (all of it, or only under <paramref name="prefix"/>), as served by <c>GET /sync/manifest</c>.</summary>
    public async Task<SyncManifest> LocalManifestAsync(string? prefix, CancellationToken ct)
    {
        var files = await Manifest.ScanAsync(prefix, ct);
        return new SyncManifest(Options.NodeId, files, files.Sum(f => f.Size));
    }

    /// <summary>What <c>GET /sync/status</c> shows.</summary>
    public SyncStatusSnapshot GetStatus() => Status.Snapshot(Options.NodeId, Limiter.BytesPerSecond, Options.MaxConcurrentPulls);

    public void Dispose()
    {
        if (_ownsHttp) _http.Dispose();
        _pullSlots.Dispose();
    }
}
