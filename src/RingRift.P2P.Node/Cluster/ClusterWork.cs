using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Polly;
using Polly.Registry;
using RingRift.P2P.Coordination;
using RingRift.P2P.Models;
using RingRift.P2P.Node.Api;
using RingRift.P2P.Node.Consensus;
using RingRift.P2P.Node.Hosting;
using RingRift.P2P.Node.Wire;

namespace RingRift.P2P.Node.Cluster;

/// <summary>
/// This node's <see cref="IClusterWork"/>: each call is routed by <see cref="WorkRouter"/> and then
/// served by <see cref="LocalWork"/> or forwarded by <see cref="LeaderCalls"/>, under the
/// <see cref="ClusterWorkPolicy"/> pipelines. The instance the container holds is for calls that start
/// on this node's components; the HTTP routes use <see cref="ForHttp"/>, which tries a call once (the
/// client owns its retries, and a 503 tells it when to come back) and knows the chain of nodes that
/// forwarded the request, which bounds the hops.
/// </summary>
public sealed class ClusterWork : IClusterWork
{
    private readonly NodeOptions _options;
    private readonly WorkRouter _router;
    private readonly LocalWork _local;
    private readonly LeaderCalls _calls;
    private readonly LeaderWorkGate _gate;
    private readonly ResiliencePipeline _reads;
    private readonly ResiliencePipeline _writes;
    private readonly ResiliencePipeline? _commands;
    private readonly ConsensusSwitch _consensus;
    private readonly string[] _forwardedBy;

    public ClusterWork(NodeOptions options, WorkRouter router, LocalWork local, LeaderCalls calls, LeaderWorkGate gate,
        ConsensusSwitch consensus, ResiliencePipelineProvider<string> pipelines)
        : this(options, router, local, calls, gate, consensus, pipelines.GetPipeline(ClusterWorkPolicy.ReadPipeline),
            pipelines.GetPipeline(ClusterWorkPolicy.WritePipeline), pipelines.GetPipeline(ClusterWorkPolicy.CommandPipeline), [])
    {
    }

    private ClusterWork(NodeOptions options, WorkRouter router, LocalWork local, LeaderCalls calls, LeaderWorkGate gate, ConsensusSwitch consensus,
        ResiliencePipeline reads, ResiliencePipeline writes, ResiliencePipeline? commands, string[] forwardedBy) =>
        (_options, _router, _local, _calls, _gate, _consensus, _reads, _writes, _commands, _forwardedBy) =
        (options, router, local, calls, gate, consensus, reads, writes, commands, forwardedBy);

    /// <summary>
    /// The port for one HTTP request that <paramref name="forwardedBy"/> (node ids, first first; empty
    /// when a client sent it here) relayed to this node: each call is tried once, without the pipelines' retries.
    /// </summary>
    public ClusterWork ForHttp(IReadOnlyList<string> forwardedBy) =>
        new(_options, _router, _local, _calls, _gate, _consensus, ResiliencePipeline.Empty, ResiliencePipeline.Empty, null, [.. forwardedBy]);

    public IWorkQueue? ServingQueue() => _gate.ServingQueue();

    public Task<WorkItem> AddAsync(NewWork work, string? commandId = null, CancellationToken ct = default)
    {
        work.Validate();
        commandId = CommandId(commandId);
        return WriteAsync(
            c => _local.AddAsync(work, commandId, c),
            async (route, c) => Item((await PostAsync(route, "work/add", With(NewWorkBody.Write(work), commandId), c))["work"]),
            ct);
    }

    public Task<ClaimedWork?> ClaimNextAsync(string nodeId, IReadOnlyCollection<JobType>? capabilities = null, string? commandId = null, CancellationToken ct = default)
    {
        Require(nodeId, "node_id");
        commandId = CommandId(commandId);
        return WriteAsync(
            c => _local.ClaimNextAsync(nodeId, capabilities, commandId, c),
            async (route, c) =>
            {
                var query = new List<string> { "node_id=" + Uri.EscapeDataString(nodeId) };
                if (capabilities is { Count: > 0 }) query.Add("capabilities=" + string.Join(',', capabilities.Select(JobTypes.WireName)));
                if (commandId is not null) query.Add("command_id=" + Uri.EscapeDataString(commandId));
                var json = await GetJsonAsync(route, "work/claim?" + string.Join('&', query), c);
                return json["work"] is { } work ? new ClaimedWork(Item(work), Token(json)) : null;
            },
            ct);
    }

    public Task<WorkClaim> ClaimAsync(string workId, string nodeId, string? commandId = null, CancellationToken ct = default)
    {
        Require(workId, "work_id");
        Require(nodeId, "node_id");
        commandId = CommandId(commandId);
        return WriteAsync(
            c => _local.ClaimAsync(workId, nodeId, commandId, c),
            async (route, c) =>
            {
                var json = await PostAsync(route, "work/claim", With(new JsonObject { ["work_id"] = workId, ["node_id"] = nodeId }, commandId), c);
                return new WorkClaim(json["claimed"]?.GetValue<bool>() ?? false, Token(json));
            },
            ct);
    }

    public Task<WorkItem> StartAsync(string workId, string? nodeId = null, string? fencingToken = null, string? commandId = null, CancellationToken ct = default)
    {
        commandId = CommandId(commandId);
        return TransitionAsync("start", workId, nodeId, fencingToken, commandId, [],
            c => _local.StartAsync(workId, nodeId, fencingToken, commandId, c), ct);
    }

    public Task<WorkItem> CompleteAsync(string workId, JsonObject? result, string? nodeId = null, string? fencingToken = null, string? commandId = null, CancellationToken ct = default)
    {
        commandId = CommandId(commandId);
        return TransitionAsync("complete", workId, nodeId, fencingToken, commandId, result is null ? [] : new JsonObject { ["result"] = result.DeepClone() },
            c => _local.CompleteAsync(workId, result, nodeId, fencingToken, commandId, c), ct);
    }

    public Task<WorkItem> FailAsync(string workId, string error, string? nodeId = null, string? fencingToken = null, string? commandId = null, CancellationToken ct = default)
    {
        commandId = CommandId(commandId);
        return TransitionAsync("fail", workId, nodeId, fencingToken, commandId, new JsonObject { ["error"] = error },
            c => _local.FailAsync(workId, error, nodeId, fencingToken, commandId, c), ct);
    }

    public Task<WorkItem> CancelAsync(string workId, CancellationToken ct = default)
    {
        Require(workId, "work_id");
        return RunAsync(_writes, // a cancel carries no command id: never re-sent after an unknown outcome
            c => _local.CancelAsync(workId, c),
            async (route, c) => Item((await PostAsync(route, "work/cancel", new JsonObject { ["work_id"] = workId }, c))["work"]),
            ct);
    }

    public Task<ClaimedWork?> GetAsync(string workId, CancellationToken ct = default)
    {
        Require(workId, "work_id");
        return ReadAsync(
            c => _local.GetAsync(workId, c),
            async (route, c) =>
            {
                try
                {
                    var json = await GetJsonAsync(route, "work/" + Uri.EscapeDataString(workId), c);
                    return new ClaimedWork(Item(json), Token(json));
                }
                catch (ApiException e) when (e.Status == StatusCodes.Status404NotFound && e.Code == "WORK_NOT_FOUND")
                {
                    return null;
                }
            },
            ct);
    }

    /// <summary>Most items one list call returns: 10,000.</summary>
    public const int MaxListLimit = 10_000;

    /// <summary>The 400 a list limit outside 1–10,000 (or not a number) gets.</summary>
    public static ApiException LimitOutOfRange(string got) =>
        ApiException.BadRequest("INVALID_FIELD", $"limit must be an integer from 1 to {MaxListLimit}, got '{got}'");

    public Task<IReadOnlyList<WorkItem>> ListAsync(WorkStatus? status = null, int limit = 1000, string? claimedBy = null, CancellationToken ct = default)
    {
        if (limit is < 1 or > MaxListLimit) throw LimitOutOfRange(limit.ToString(CultureInfo.InvariantCulture));
        return ReadAsync(
            c => _local.ListAsync(status, limit, claimedBy, c),
            async (route, c) =>
            {
                var query = new List<string> { string.Create(CultureInfo.InvariantCulture, $"limit={limit}") };
                if (status is { } s) query.Add("status=" + JsonSerializer.SerializeToElement(s, NodeJson.Contract<WorkStatus>()).GetString());
                if (claimedBy is not null) query.Add("claimed_by=" + Uri.EscapeDataString(claimedBy));
                var json = await GetJsonAsync(route, "work?" + string.Join('&', query), c);
                return (IReadOnlyList<WorkItem>)(json["items"]?.AsArray() ?? []).Select(Item).ToList();
            },
            ct);
    }

    public Task<QueueStats> GetStatsAsync(CancellationToken ct = default) => ReadAsync(
        c => _local.GetStatsAsync(c),
        async (route, c) => Parse<QueueStats>(await GetJsonAsync(route, "work/status", c), "queue stats"),
        ct);

    public Task<TrainingStatusResponse> GetTrainingAsync(CancellationToken ct = default) => ReadAsync(
        c => _local.GetTrainingAsync(c),
        async (route, c) => Parse<TrainingStatusResponse>(await GetJsonAsync(route, "training/status", c), "training status"),
        ct);

    public Task<EventsResponse> GetEventsAsync(int limit = EventsApi.DefaultLimit, CancellationToken ct = default)
    {
        EventsApi.CheckLimit(limit);
        return ReadAsync(
            c => _local.GetEventsAsync(limit, c),
            async (route, c) => Parse<EventsResponse>(await GetJsonAsync(route, $"events?limit={limit}", c), "events"),
            ct);
    }

    private Task<WorkItem> TransitionAsync(string action, string workId, string? nodeId, string? fencingToken, string? commandId, JsonObject body,
        Func<CancellationToken, Task<WorkItem>> local, CancellationToken ct)
    {
        Require(workId, "work_id");
        body["work_id"] = workId;
        if (nodeId is not null) body["node_id"] = nodeId;
        if (fencingToken is not null) body["fencing_token"] = fencingToken;
        return WriteAsync(local, async (route, c) => Item((await PostAsync(route, "work/" + action, With(body, commandId), c))["work"]), ct);
    }

    private Task<T> ReadAsync<T>(Func<CancellationToken, Task<T>> local, Func<WorkRoute, CancellationToken, Task<T>> remote, CancellationToken ct) =>
        RunAsync(_reads, local, remote, ct);

    /// <summary>
    /// A write. The node's own components send every write with a command id (see <see cref="CommandId"/>),
    /// so while Raft serves a write whose outcome is unknown can be re-sent (<see cref="ClusterWorkPolicy.CommandPipeline"/>).
    /// </summary>
    private Task<T> WriteAsync<T>(Func<CancellationToken, Task<T>> local, Func<WorkRoute, CancellationToken, Task<T>> remote, CancellationToken ct) =>
        RunAsync(_commands is not null && _consensus.Path == ConsensusPath.Raft ? _commands : _writes, local, remote, ct);

    /// <summary>The caller's command id; for the node's own components one is made up when they gave none (HTTP clients choose their own).</summary>
    private string? CommandId(string? given) => given ?? (_commands is null ? null : Raft.WorkCommand.NewCommandId());

    /// <summary>Routes afresh on every attempt: the leader may have changed since the last one.</summary>
    private async Task<T> RunAsync<T>(ResiliencePipeline pipeline, Func<CancellationToken, Task<T>> local,
        Func<WorkRoute, CancellationToken, Task<T>> remote, CancellationToken ct) =>
        await pipeline.ExecuteAsync(async c =>
        {
            var route = _router.Route(_forwardedBy.Length);
            return route.IsLocal ? await local(c) : await remote(route, c);
        }, ct);

    /// <summary>The forwarding chain a forwarded call carries: the nodes that relayed it so far, then this one.</summary>
    private string Via => string.Join(',', [.. _forwardedBy, _options.NodeId]);

    private Task<JsonNode> PostAsync(WorkRoute route, string path, JsonObject body, CancellationToken ct) =>
        _calls.SendAsync(route, HttpMethod.Post, path, body, Via, ct);

    private Task<JsonNode> GetJsonAsync(WorkRoute route, string pathAndQuery, CancellationToken ct) =>
        _calls.SendAsync(route, HttpMethod.Get, pathAndQuery, null, Via, ct);

    private static void Require(string value, string field)
    {
        if (string.IsNullOrWhiteSpace(value)) throw ApiException.Missing(field);
    }

    private static JsonObject With(JsonObject body, string? commandId)
    {
        if (commandId is not null) body["command_id"] = commandId;
        return body;
    }

    private static string? Token(JsonNode json) => json["fencing_token"]?.GetValue<string>();

    private static WorkItem Item(JsonNode? json) => Parse<WorkItem>(json, "work item");

    private static T Parse<T>(JsonNode? json, string what) where T : class
    {
        try
        {
            return json?.Deserialize(NodeJson.Contract<T>()) ?? throw new JsonException("empty");
        }
        catch (JsonException e)
        {
            throw new ApiException(StatusCodes.Status502BadGateway, "BAD_LEADER_ANSWER", $"the leader's {what} could not be read: {e.Message}", e);
        }
    }
}
