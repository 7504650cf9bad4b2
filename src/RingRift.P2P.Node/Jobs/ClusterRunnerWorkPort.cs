using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using RingRift.P2P.Coordination;
using RingRift.P2P.Models;
using RingRift.P2P.Node.Api;
using RingRift.P2P.Node.Cluster;

namespace RingRift.P2P.Node.Jobs;

/// <summary>
/// The runner's queue port over this node's <see cref="IClusterWork"/> (served here when this node
/// leads, forwarded to the leader otherwise), so the runner works the same under Bully + SQLite and
/// Raft. Transitions carry the node id, the item's fencing token while Raft serves (kept from the
/// claim, refreshed with the item), and a command id fixed per item, attempt and action, so a retried
/// call is applied once. A refusal of the work itself (404, 409) surfaces as
/// <see cref="WorkNotFoundException"/> or <see cref="WorkConflictException"/>, as the runner expects.
/// </summary>
public sealed class ClusterRunnerWorkPort(IClusterWork work) : IRunnerWorkPort
{
    private const int AssignedLimit = 10_000;
    private readonly ConcurrentDictionary<string, string> _tokens = new();

    public async Task<IReadOnlyList<WorkItem>> GetAssignedAsync(string nodeId, CancellationToken ct)
    {
        var mine = new List<WorkItem>();
        foreach (var status in new[] { WorkStatus.Claimed, WorkStatus.Running })
            mine.AddRange(await work.ListAsync(status, AssignedLimit, nodeId, ct));
        var held = mine.Select(i => i.WorkId).ToHashSet();
        foreach (var id in _tokens.Keys.Where(id => !held.Contains(id))) _tokens.TryRemove(id, out _);
        return mine;
    }

    public async Task<WorkItem?> ClaimNextAsync(string nodeId, IReadOnlyCollection<JobType> types, CancellationToken ct)
    {
        if (await work.ClaimNextAsync(nodeId, types, ct: ct) is not { } claimed) return null;
        if (claimed.FencingToken is { } fence) _tokens[claimed.Item.WorkId] = fence;
        return claimed.Item;
    }

    public Task StartAsync(string workId, string nodeId, CancellationToken ct) =>
        TransitionAsync("start", workId, nodeId, (fence, id, c) => work.StartAsync(workId, nodeId, fence, id, c), ct);

    public Task CompleteAsync(string workId, string nodeId, JsonObject result, CancellationToken ct) =>
        TransitionAsync("complete", workId, nodeId, (fence, id, c) => work.CompleteAsync(workId, result, nodeId, fence, id, c), ct);

    public Task FailAsync(string workId, string nodeId, string error, CancellationToken ct) =>
        TransitionAsync("fail", workId, nodeId, (fence, id, c) => work.FailAsync(workId, error, nodeId, fence, id, c), ct);

    private async Task TransitionAsync(string action, string workId, string nodeId,
        Func<string?, string, CancellationToken, Task<WorkItem>> send, CancellationToken ct)
    {
        var item = await RefusalsAsWorkErrors(workId, action, WorkStatus.Pending, () => work.GetAsync(workId, ct))
            ?? throw new WorkNotFoundException(workId);
        if (item.Item.ClaimedBy != nodeId || item.Item.Status is not (WorkStatus.Claimed or WorkStatus.Running))
            throw new WorkConflictException(workId, action, item.Item.Status, $"held by {item.Item.ClaimedBy ?? "nobody"}, not {nodeId}");
        var fence = item.FencingToken ?? _tokens.GetValueOrDefault(workId);
        var commandId = string.Create(CultureInfo.InvariantCulture, $"runner-{action}-{workId}-{item.Item.Attempts}");
        await RefusalsAsWorkErrors(workId, action, item.Item.Status, () => send(fence, commandId, ct));
    }

    /// <summary>A leader's 404 or 409 (forwarded) as the queue's own exceptions; anything else unchanged, to be retried by the runner.</summary>
    private static async Task<T> RefusalsAsWorkErrors<T>(string workId, string action, WorkStatus known, Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (ApiException e) when (e.Status == StatusCodes.Status404NotFound)
        {
            throw new WorkNotFoundException(workId);
        }
        catch (ApiException e) when (e.Status == StatusCodes.Status409Conflict)
        {
            throw new WorkConflictException(workId, action, known, e.Message);
        }
    }
}
