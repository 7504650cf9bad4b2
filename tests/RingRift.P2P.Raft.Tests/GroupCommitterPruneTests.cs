using RingRift.P2P.Coordination;
using RingRift.P2P.Models;
using RingRift.P2P.Raft.Node;

namespace RingRift.P2P.Raft.Tests;

/// <summary>
/// A prune command always gets a log entry of its own: a member of an older release cannot read it and skips
/// the entry it is in (upgrades.md), so the other commands queued beside it must go into other entries.
/// </summary>
public sealed class GroupCommitterPruneTests
{
    [Fact]
    public async Task QueuedBesideOtherCommands_APruneIsWrittenAlone_AndTheOthersAroundItStillBatch()
    {
        var entries = new List<IReadOnlyList<WorkCommand>>();
        var firstHeld = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task Replicate(CommandBatch batch, ReadOnlyMemory<byte> payload, CancellationToken ct)
        {
            var decoded = WorkCommandCodec.DecodeBatch(payload.Span);
            lock (entries) entries.Add(decoded);
            batch.Results = decoded.Select(_ => new WorkCommandResult()).ToList();
            if (firstHeld.TrySetResult()) return release.Task; // hold the only slot while the rest queue up
            return Task.CompletedTask;
        }
        await using var committer = new GroupCommitter(Replicate, maxBatch: 64, maxInFlight: 1, commitTimeout: TimeSpan.FromSeconds(30));
        static WorkCommand Add(string id) => new AddWork(id, 1, new NewWork { WorkId = id, WorkType = JobType.Selfplay });

        var first = committer.SubmitAsync(Add("first"), CancellationToken.None);
        await firstHeld.Task;
        var queued = new[] { Add("a1"), Add("a2"), new PruneWork("prune", 2, ["x"]), Add("b1"), Add("b2"), new PruneWork("prune-2", 3, ["y"]) }
            .Select(c => committer.SubmitAsync(c, CancellationToken.None)).ToList();
        release.SetResult();
        await first;
        await Task.WhenAll(queued);

        var ids = entries.Select(e => string.Join(",", e.Select(c => c.CommandId))).ToList();
        Assert.Equal(["first", "a1,a2", "prune", "b1,b2", "prune-2"], ids);
    }
}
