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
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(JobsService.LoopbackBaseUri(options), "training/status"));
        token.Apply(request);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(TimeSpan.FromSeconds(10));
        try
        {
            using var response = await http.SendAsync(request, cts.Token);
            if (!response.IsSuccessStatusCode) return null; // no leader right now: try again next round
            var json = await response.Content.ReadAsStringAsync(cts.Token);
            return JsonSerializer.Deserialize<TrainingStatusResponse>(json, P2PJson.Options)?.Training;
        }
        catch (Exception e) when (e is HttpRequestException or JsonException || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            return null; // this node's API is not up yet, or the answer was cut: next round
        }
    }
}
