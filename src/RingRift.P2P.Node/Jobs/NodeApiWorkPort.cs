using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using RingRift.P2P.Coordination;
using RingRift.P2P.Json;
using RingRift.P2P.Models;

namespace RingRift.P2P.Node.Jobs;

/// <summary>
/// The runner's queue port over a node's own work routes (on loopback): the node serves them when it
/// leads and relays them to the leader otherwise, so the runner works the same under Bully + SQLite
/// and Raft. Transitions carry the node id, the item's fencing token while Raft serves (fetched with
/// the item), and a command id fixed per item, attempt and action, so a retried call is applied once.
/// </summary>
public sealed class NodeApiWorkPort(OwnApiClient api) : IRunnerWorkPort
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(20);
    private readonly ConcurrentDictionary<string, string> _tokens = new();

    public async Task<IReadOnlyList<WorkItem>> GetAssignedAsync(string nodeId, CancellationToken ct)
    {
        var mine = new List<WorkItem>();
        foreach (var status in new[] { "claimed", "running" })
        {
            var json = await SendAsync(HttpMethod.Get, $"work?status={status}&claimed_by={Uri.EscapeDataString(nodeId)}&limit=10000", null, ct);
            foreach (var node in json["items"]?.AsArray() ?? [])
                if (node.Deserialize<WorkItem>(P2PJson.Options) is { } item && item.ClaimedBy == nodeId) mine.Add(item);
        }
        var held = mine.Select(i => i.WorkId).ToHashSet();
        foreach (var id in _tokens.Keys.Where(id => !held.Contains(id))) _tokens.TryRemove(id, out _);
        return mine;
    }

    public async Task<WorkItem?> ClaimNextAsync(string nodeId, IReadOnlyCollection<JobType> types, CancellationToken ct)
    {
        var capabilities = string.Join(',', types.Select(t => t.ToString().ToLowerInvariant()));
        var json = await SendAsync(HttpMethod.Get, $"work/claim?node_id={Uri.EscapeDataString(nodeId)}&capabilities={capabilities}", null, ct);
        if (json["work"]?.Deserialize<WorkItem>(P2PJson.Options) is not { } item) return null;
        if (json["fencing_token"]?.GetValue<string>() is { } fence) _tokens[item.WorkId] = fence;
        return item;
    }

    public async Task StartAsync(string workId, string nodeId, CancellationToken ct) =>
        await TransitionAsync("start", workId, nodeId, new JsonObject(), ct);

    public async Task CompleteAsync(string workId, string nodeId, JsonObject result, CancellationToken ct) =>
        await TransitionAsync("complete", workId, nodeId, new JsonObject { ["result"] = result.DeepClone() }, ct);

    public async Task FailAsync(string workId, string nodeId, string error, CancellationToken ct) =>
        await TransitionAsync("fail", workId, nodeId, new JsonObject { ["error"] = error }, ct);

    private async Task TransitionAsync(string action, string workId, string nodeId, JsonObject body, CancellationToken ct)
    {
        var (item, fence) = await GetWithTokenAsync(workId, ct);
        if (item.ClaimedBy != nodeId || item.Status is not (WorkStatus.Claimed or WorkStatus.Running))
            throw new WorkConflictException(workId, action, item.Status, $"held by {item.ClaimedBy ?? "nobody"}, not {nodeId}");
        body["work_id"] = workId;
        body["node_id"] = nodeId;
        if (fence is not null) body["fencing_token"] = fence;
        body["command_id"] = string.Create(CultureInfo.InvariantCulture, $"runner-{action}-{workId}-{item.Attempts}");
        await SendAsync(HttpMethod.Post, "work/" + action, body, ct, workId, action, item.Status);
    }

    private async Task<(WorkItem Item, string? Token)> GetWithTokenAsync(string workId, CancellationToken ct)
    {
        var json = await SendAsync(HttpMethod.Get, "work/" + Uri.EscapeDataString(workId), null, ct, workId, "read");
        var item = json.Deserialize<WorkItem>(P2PJson.Options) ?? throw new WorkNotFoundException(workId);
        var fence = json["fencing_token"]?.GetValue<string>() ?? _tokens.GetValueOrDefault(workId);
        return (item, fence);
    }

    private async Task<JsonNode> SendAsync(HttpMethod method, string path, JsonObject? body, CancellationToken ct, string? workId = null, string? action = null, WorkStatus known = WorkStatus.Pending)
    {
        var (status, text) = await api.SendAsync(method, path, body, CallTimeout, ct);
        JsonNode? json = null;
        try { json = text.Length > 0 ? JsonNode.Parse(text) : null; } catch (JsonException) { }
        if ((int)status is >= 200 and < 300 && json is not null) return json;
        var error = json?["error"]?.GetValue<string>() ?? text;
        if (workId is not null && status == HttpStatusCode.NotFound) throw new WorkNotFoundException(workId);
        if (workId is not null && status == HttpStatusCode.Conflict)
            throw new WorkConflictException(workId, action ?? "change", known, error);
        throw new HttpRequestException($"{method} /{path} answered {(int)status}: {error}", null, status);
    }
}
