using System.Text.Json.Nodes;
using RingRift.P2P.Coordination;
using RingRift.P2P.Models;
using RingRift.P2P.Node.Api;
using RingRift.P2P.Node.Cluster;
using RingRift.P2P.Node.Jobs;
using RingRift.P2P.Node.Tests.Cluster;
using RingRift.P2P.Testing.Waiting;

namespace RingRift.P2P.Node.Tests.ClusterWork;

/// <summary>
/// The work contract through <see cref="IClusterWork"/>, on three nodes: every case runs through the
/// serving node's port (served there) and through another node's port (forwarded), and must behave
/// the same, refusals included (the HTTP API's status and code). Item ids are unique per case, so
/// the cases share one cluster.
/// </summary>
public abstract class ClusterWorkContract(PortCluster nodes)
{
    public static TheoryData<string> Callers => new() { "serving", "other" };

    private bool Raft => nodes.Raft;

    private async Task<IClusterWork> PortAsync(string caller)
    {
        var serving = await nodes.ServingNodeAsync();
        var node = caller == "serving" ? serving : nodes.Cluster.Nodes.First(n => n != serving);
        return PortCluster.Port(node);
    }

    private static string Id(string name) => $"{name}-{Guid.NewGuid():N}"[..(name.Length + 13)];

    /// <summary>Status and code as the HTTP API answers the exception (a served call throws the queue's exceptions, a forwarded one the leader's answer).</summary>
    private static async Task<(int Status, string Code)> RefusalAsync(Func<Task> call)
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(call);
        var (status, code, _) = ErrorHandling.Map(error);
        return (status, code);
    }

    [Theory, MemberData(nameof(Callers))]
    public async Task Add_ThenGet_ReturnsTheStoredItemWithDefaults(string caller)
    {
        var port = await PortAsync(caller);
        var id = Id("add");

        var added = await port.AddAsync(new NewWork { WorkId = id, WorkType = JobType.Training, Config = new JsonObject { ["board"] = "hex8" } });
        var read = await port.GetAsync(id);

        Assert.NotNull(read);
        foreach (var item in new[] { added, read.Item })
        {
            Assert.Equal(id, item.WorkId);
            Assert.Equal(JobType.Training, item.WorkType);
            Assert.Equal(WorkStatus.Pending, item.Status);
            Assert.Equal(50, item.Priority);
            Assert.Equal(3, item.MaxAttempts);
            Assert.Equal("hex8", item.Config["board"]!.GetValue<string>());
        }
        Assert.Null(read.FencingToken);
    }

    [Theory, MemberData(nameof(Callers))]
    public async Task Add_OfAnExistingId_IsRefused409DuplicateWorkId(string caller)
    {
        var port = await PortAsync(caller);
        var id = Id("dup");
        await port.AddAsync(new NewWork { WorkId = id, WorkType = JobType.Selfplay });

        var refusal = await RefusalAsync(() => port.AddAsync(new NewWork { WorkId = id, WorkType = JobType.Selfplay }));

        Assert.Equal((409, "DUPLICATE_WORK_ID"), refusal);
    }

    [Theory, MemberData(nameof(Callers))]
    public async Task Add_WithAnInvalidField_IsRefused400BeforeAnyNodeIsAsked(string caller)
    {
        var port = await PortAsync(caller);

        var refusal = await RefusalAsync(() => port.AddAsync(new NewWork { WorkType = JobType.Selfplay, Priority = 101 }));

        Assert.Equal((400, "INVALID_FIELD"), refusal);
    }

    [Theory, MemberData(nameof(Callers))]
    public async Task ClaimStartComplete_ByNode_CompletesWithTheResult_AndATokenWhileRaftServes(string caller)
    {
        var port = await PortAsync(caller);
        var id = Id("run");
        var worker = Id("gpu");
        await port.AddAsync(new NewWork { WorkId = id, WorkType = JobType.Evaluation });

        var claim = await port.ClaimAsync(id, worker);
        Assert.True(claim.Claimed);
        Assert.Equal(Raft, claim.FencingToken is not null);
        var started = await port.StartAsync(id, worker, claim.FencingToken);
        Assert.Equal(WorkStatus.Running, started.Status);
        Assert.Equal(worker, started.ClaimedBy);
        var held = await port.GetAsync(id);
        Assert.Equal(claim.FencingToken, held!.FencingToken);
        var done = await port.CompleteAsync(id, new JsonObject { ["games"] = 12 }, worker, claim.FencingToken);

        Assert.Equal(WorkStatus.Completed, done.Status);
        Assert.Equal(12, (await port.GetAsync(id))!.Item.Result!["games"]!.GetValue<int>());
    }

    [Theory, MemberData(nameof(Callers))]
    public async Task ClaimNext_TakesTheBestPendingItemOfTheCapabilities(string caller)
    {
        var port = await PortAsync(caller);
        var id = Id("next");
        var worker = Id("gpu");
        await port.AddAsync(new NewWork { WorkId = id, WorkType = JobType.Sync, Priority = 100 });

        var claimed = await port.ClaimNextAsync(worker, [JobType.Sync]);

        Assert.NotNull(claimed);
        Assert.Equal(id, claimed.Item.WorkId);
        Assert.Equal(WorkStatus.Claimed, claimed.Item.Status);
        Assert.Equal(worker, claimed.Item.ClaimedBy);
        Assert.Equal(Raft, claimed.FencingToken is not null);
        Assert.Equal([id], (await port.ListAsync(WorkStatus.Claimed, 10, worker)).Select(i => i.WorkId));
        await port.CancelAsync(id);
    }

    [Theory, MemberData(nameof(Callers))]
    public async Task Fail_RequeuesWhileAttemptsAreLeft_ThenFailsForGood(string caller)
    {
        var port = await PortAsync(caller);
        var id = Id("fail");
        var worker = Id("gpu");
        await port.AddAsync(new NewWork { WorkId = id, WorkType = JobType.Selfplay, MaxAttempts = 2 });

        var first = await port.ClaimAsync(id, worker);
        var requeued = await port.FailAsync(id, "cuda oom", worker, first.FencingToken);
        var second = await port.ClaimAsync(id, worker);
        var failed = await port.FailAsync(id, "cuda oom again", worker, second.FencingToken);

        Assert.Equal(WorkStatus.Pending, requeued.Status);
        Assert.Equal(WorkStatus.Failed, failed.Status);
        Assert.Equal(2, failed.Attempts);
        Assert.Equal("cuda oom again", failed.Error);
    }

    [Theory, MemberData(nameof(Callers))]
    public async Task Cancel_ThenCancelAgain_IsRefused409(string caller)
    {
        var port = await PortAsync(caller);
        var id = Id("cancel");
        await port.AddAsync(new NewWork { WorkId = id, WorkType = JobType.Selfplay });

        var cancelled = await port.CancelAsync(id);
        var refusal = await RefusalAsync(() => port.CancelAsync(id));

        Assert.Equal(WorkStatus.Cancelled, cancelled.Status);
        Assert.Equal(409, refusal.Status);
    }

    [Theory, MemberData(nameof(Callers))]
    public async Task Transition_ByAnotherNode_IsRefused409_AndLeavesTheItem(string caller)
    {
        var port = await PortAsync(caller);
        var id = Id("other");
        var worker = Id("gpu");
        await port.AddAsync(new NewWork { WorkId = id, WorkType = JobType.Selfplay });
        await port.ClaimAsync(id, worker);

        var refusal = await RefusalAsync(() => port.StartAsync(id, "someone-else"));

        Assert.Equal(409, refusal.Status);
        Assert.Equal(WorkStatus.Claimed, (await port.GetAsync(id))!.Item.Status);
        await port.CancelAsync(id);
    }

    [Theory, MemberData(nameof(Callers))]
    public async Task UnknownItem_ReadsAsNull_AndItsTransitionsAre404WorkNotFound(string caller)
    {
        var port = await PortAsync(caller);
        var id = Id("ghost");

        Assert.Null(await port.GetAsync(id));
        Assert.Equal((404, "WORK_NOT_FOUND"), await RefusalAsync(() => port.CompleteAsync(id, null, "gpu-1")));
        Assert.Equal((404, "WORK_NOT_FOUND"), await RefusalAsync(() => port.CancelAsync(id)));
    }

    [Theory, MemberData(nameof(Callers))]
    public async Task ListAndStats_SeeWhatWasAdded(string caller)
    {
        var port = await PortAsync(caller);
        var id = Id("list");
        var before = await port.GetStatsAsync();
        await port.AddAsync(new NewWork { WorkId = id, WorkType = JobType.Selfplay, Priority = 0 });

        var pending = await port.ListAsync(WorkStatus.Pending, 10_000);
        var after = await port.GetStatsAsync();

        Assert.Contains(pending, i => i.WorkId == id);
        Assert.Equal(before.Total + 1, after.Total);
        Assert.Equal((400, "INVALID_FIELD"), await RefusalAsync(() => port.ListAsync(limit: 0)));
        await port.CancelAsync(id);
    }

    [Theory, MemberData(nameof(Callers))]
    public async Task Training_IsTheServingNodesState(string caller)
    {
        var serving = await nodes.ServingNodeAsync();
        var port = await PortAsync(caller);

        var training = await port.GetTrainingAsync();

        Assert.Equal(serving.Id, training.NodeId);
    }

    [Theory, MemberData(nameof(Callers))]
    public async Task Events_AreTheServingNodesAndStartWithItsLeadership(string caller)
    {
        var serving = await nodes.ServingNodeAsync();
        var port = await PortAsync(caller);

        var events = await Eventually.Until(() => port.GetEventsAsync(100), e => e.Events.Count > 0, "the leader's first event", InProcessCluster.ClusterWait);

        Assert.Equal(serving.Id, events.NodeId);
        Assert.Contains(events.Events, e => e.Event == "leader_changed" && e.Payload["leader_id"]!.GetValue<string>() == serving.Id);
        Assert.Equal((400, "INVALID_FIELD"), await RefusalAsync(() => port.GetEventsAsync(101)));
    }

    [Theory, MemberData(nameof(Callers))]
    public async Task RunnerPort_OverThePort_ClaimsStartsAndCompletes(string caller)
    {
        var port = await PortAsync(caller);
        var runner = new ClusterRunnerWorkPort(port);
        var worker = Id("gpu");
        var id = Id("runner");
        await port.AddAsync(new NewWork { WorkId = id, WorkType = JobType.Training, Priority = 100 });

        var claimed = await runner.ClaimNextAsync(worker, [JobType.Training], CancellationToken.None);
        Assert.Equal(id, claimed!.WorkId);
        await runner.StartAsync(id, worker, CancellationToken.None);
        Assert.Equal([id], (await runner.GetAssignedAsync(worker, CancellationToken.None)).Select(i => i.WorkId));
        await runner.CompleteAsync(id, worker, new JsonObject { ["ok"] = true }, CancellationToken.None);

        Assert.Equal(WorkStatus.Completed, (await port.GetAsync(id))!.Item.Status);
        Assert.Empty(await runner.GetAssignedAsync(worker, CancellationToken.None));
        await Assert.ThrowsAsync<WorkConflictException>(() => runner.FailAsync(id, worker, "late", CancellationToken.None));
    }
}

/// <summary>The contract on Bully + the quorum-replicated SQLite queue.</summary>
public sealed class ClusterWorkBullyTests(BullyPortCluster nodes) : ClusterWorkContract(nodes), IClassFixture<BullyPortCluster>;

/// <summary>The contract on Raft (raft mode, three members).</summary>
public sealed class ClusterWorkRaftTests(RaftPortCluster nodes) : ClusterWorkContract(nodes), IClassFixture<RaftPortCluster>;
