using System.Text.Json;
using RingRift.P2P.Json;
using RingRift.P2P.Node.Api;
using RingRift.P2P.Node.Hosting;
using RingRift.P2P.Node.PeerHttp;
using RingRift.P2P.Node.Sync;
using RingRift.P2P.Training;

namespace RingRift.P2P.Node.Jobs;

/// <summary>
/// Every node keeps the promoted model of every board config: every <see cref="Interval"/> it reads
/// the champions from <c>GET /training/status</c> (served by the leader; asked through this node,
/// which relays) and pulls each champion's model file it lacks from a peer that has it.
/// </summary>
public sealed class ModelSyncLoop(
    NodeOptions options,
    HttpClient http,
    ClusterToken token,
    DataSync sync,
    SyncPeers peers,
    TimeProvider time,
    ILogger<ModelSyncLoop> logger) : PeriodicService(time, logger)
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(10);
    private readonly OwnApiClient _api = new(http, JobsService.LoopbackBaseUri(options), token);

    protected override TimeSpan Period => Interval;

    /// <summary>The leader's training snapshot as last read (null before the first read).</summary>
    public TrainingSnapshot? Latest { get; private set; }

    protected override async Task StepAsync(CancellationToken ct)
    {
        var snapshot = await ReadTrainingAsync(ct);
        if (snapshot is null) return;
        Latest = snapshot;
        foreach (var config in snapshot.Configs)
        {
            if (config.Champion?.ModelPath is not { Length: > 0 } path || Path.IsPathRooted(path)) continue;
            if (File.Exists(Path.Combine(options.DataDir, path))) continue;
            await sync.PullMatchingAsync(peers.Alive(), path, ct);
        }
    }

    private async Task<TrainingSnapshot?> ReadTrainingAsync(CancellationToken ct)
    {
        try
        {
            var (status, json) = await _api.SendAsync(HttpMethod.Get, "training/status", null, ReadTimeout, ct);
            if ((int)status is < 200 or >= 300) return null; // no leader right now: try again next round
            return JsonSerializer.Deserialize<TrainingStatusResponse>(json, P2PJson.Options)?.Training;
        }
        catch (Exception e) when (e is HttpRequestException or JsonException || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            return null; // this node's API is not up yet, or the answer was cut: next round
        }
    }
}
