using RingRift.P2P.Coordination;
using RingRift.P2P.Jobs;
using RingRift.P2P.Models;
using RingRift.P2P.Node.Sync;

namespace RingRift.P2P.Node.Jobs;

/// <summary>
/// Pulls what a job needs before it starts: a training job gets every self-play games file of its
/// board config that an alive peer has and this node lacks (games/&lt;config&gt;/); an evaluation gets
/// its candidate and baseline model files. Pull failures fail the job only when a file it names is
/// still missing afterwards; games files a peer could not serve are left for the next training.
/// </summary>
public sealed class JobDataPreparer(DataSync sync, SyncPeers peers, string dataDir)
{
    public async Task PrepareAsync(WorkItem item, CancellationToken ct)
    {
        if (item.WorkType == JobType.Training && BoardConfig.TryFrom(item.Config, out var board, out _))
        {
            await sync.PullMatchingAsync(peers.Alive(), DataLayout.GamesDir(board) + "/", ct);
            return;
        }
        if (item.WorkType != JobType.Evaluation) return;
        foreach (var key in new[] { WorkKeys.ModelPath, WorkKeys.BaselineModelPath })
        {
            if (item.Config[key]?.GetValue<string>() is not { Length: > 0 } path || Path.IsPathRooted(path)) continue;
            if (File.Exists(Path.Combine(dataDir, path))) continue;
            var pulled = await sync.PullMatchingAsync(peers.Alive(), path, ct);
            if (!File.Exists(Path.Combine(dataDir, path)))
                throw new InvalidOperationException($"{key} '{path}' is on no reachable peer ({pulled.Failures.Count} pull failure(s))");
        }
    }
}
