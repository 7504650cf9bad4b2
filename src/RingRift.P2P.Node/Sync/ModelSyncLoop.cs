using RingRift.P2P.Loops;
using RingRift.P2P.Node.Api;
using RingRift.P2P.Node.Cluster;
using RingRift.P2P.Node.Hosting;
using RingRift.P2P.Training;

namespace RingRift.P2P.Node.Sync;

/// <summary>
/// Every node keeps the promoted model of every board config: every <see cref="Interval"/> it reads
/// the champions from the leader's training state (through the cluster work port) and pulls each
/// champion's model file it lacks from a peer that has it.
/// </summary>
public sealed class ModelSyncLoop(
    NodeOptions options,
    IClusterWork work,
    DataSync sync,
    SyncPeers peers,
    TimeProvider time,
    LoopRegistry loops,
    ILogger<ModelSyncLoop> logger) : PeriodicService(time, loops, logger)
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    protected override TimeSpan Period => Interval;

    public override string LoopName => "model_sync";

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
            return (await work.GetTrainingAsync(ct)).Training;
        }
        catch (ApiException)
        {
            return null; // no leader right now, or it could not answer: next round
        }
    }
}
