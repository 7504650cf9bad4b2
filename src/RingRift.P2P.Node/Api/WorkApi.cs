using System.Text.Json.Nodes;
using RingRift.P2P.Coordination;
using RingRift.P2P.Json;
using RingRift.P2P.Models;
using RingRift.P2P.Node.Cluster;
using RingRift.P2P.Node.Consensus;
using RingRift.P2P.Node.PeerHttp;
using RingRift.P2P.Node.Wire;

namespace RingRift.P2P.Node.Api;

/// <summary>
/// Api/ holds the HTTP routes, their JSON and their errors.
/// The work routes, with the original orchestrator's paths. Every node answers them through its
/// <see cref="IClusterWork"/> port: the leader serves, any other node forwards to the leader (a
/// request forwarded to this node carries the chain of nodes that relayed it, which bounds the hops).
/// </summary>
public static partial class WorkApi
{
    public static IEndpointRouteBuilder MapWorkApi(this IEndpointRouteBuilder app)
    {
        var work = app.MapGroup("/work");

        work.MapPost("/add", AddAsync);
        work.MapPost("/add_batch", AddBatchAsync);
        work.MapGet("/claim_batch", ClaimBatchAsync);
        work.MapGet("/node/{node_id}", ForNodeAsync);
        work.MapGet("/history", HistoryAsync);
        work.MapGet("/claim", ClaimNextAsync);
        work.MapPost("/claim", ClaimAsync);
        work.MapPost("/start", StartAsync);
        work.MapPost("/complete", CompleteAsync);
        work.MapPost("/fail", FailAsync);
        work.MapPost("/cancel", CancelAsync);
        work.MapGet("/status", async (ClusterWork port, ConsensusSwitch consensus, HttpContext http) =>
        {
            var stats = NodeJson.ToNode(await port.For(http).GetStatsAsync(http.RequestAborted))!.AsObject();
            stats["leader_id"] = consensus.LeaderId; // the original's field
            return Json(stats);
        });
        work.MapGet("/{work_id}", async (string work_id, ClusterWork port, HttpContext http) =>
            await port.For(http).GetAsync(work_id, http.RequestAborted) is { } found
                ? Json(WithToken(found.Item, found.FencingToken))
                : ErrorHandling.Result(404, "WORK_NOT_FOUND", $"work item '{work_id}' does not exist"));
        work.MapGet("", ListAsync);
        return app;
    }

    /// <summary>The port for this request: tried once (the client retries), knowing the chain of nodes that forwarded it.</summary>
    public static ClusterWork For(this ClusterWork port, HttpContext http) =>
        port.ForHttp(http.Request.Headers.TryGetValue(PeerClient.ForwardedHeader, out var chain)
            ? chain.ToString().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : []);

    private static IResult Json<T>(T value) => NodeJson.Result(value);

    /// <summary>The item's JSON plus its current <c>fencing_token</c> when it has one.</summary>
    private static JsonObject WithToken(WorkItem item, string? token)
    {
        var json = NodeJson.ToNode(item)!.AsObject();
        if (token is not null) json["fencing_token"] = token;
        return json;
    }

    /// <summary>The optional client <c>command_id</c> (1-200 printable characters): a retry with the same id is applied at most once while Raft serves.</summary>
    private static string? CommandId(JsonObject body)
    {
        var id = JsonBody.OptionalString(body, "command_id");
        if (id is not null && (id.Length is 0 or > 200 || id.Any(char.IsControl)))
            throw ApiException.BadRequest("INVALID_FIELD", $"command_id must be 1-200 printable characters, got '{id}'");
        return id;
    }

    private static async Task<IResult> AddAsync(HttpContext http, ClusterWork port)
    {
        var body = await JsonBody.ReadObjectAsync(http.Request, http.RequestAborted);
        var item = await port.For(http).AddAsync(NewWorkBody.Parse(body), CommandId(body), http.RequestAborted);
        return Json(new WorkAdded("added", item.WorkId, item.WorkType, item.Priority, item));
    }

    private static async Task<IResult> ClaimNextAsync(HttpContext http, ClusterWork port)
    {
        var nodeId = http.Request.Query["node_id"].ToString();
        if (string.IsNullOrWhiteSpace(nodeId)) throw ApiException.Missing("node_id");
        var capabilities = ParseCapabilities(http.Request.Query["capabilities"].ToString());
        var commandId = http.Request.Query["command_id"].ToString();
        var claimed = await port.For(http).ClaimNextAsync(nodeId, capabilities, commandId.Length > 0 ? commandId : null, http.RequestAborted);
        return Json(claimed is null ? new WorkClaimed("no_work_available") : new WorkClaimed("claimed", claimed.Item, claimed.FencingToken));
    }

    private static async Task<IResult> ClaimAsync(HttpContext http, ClusterWork port)
    {
        var body = await JsonBody.ReadObjectAsync(http.Request, http.RequestAborted);
        var workId = JsonBody.RequiredString(body, "work_id");
        var nodeId = JsonBody.RequiredString(body, "node_id");
        var (claimed, token) = await port.For(http).ClaimAsync(workId, nodeId, CommandId(body), http.RequestAborted);
        return Json(new ClaimAnswer(claimed, workId, token));
    }

    private static async Task<IResult> StartAsync(HttpContext http, ClusterWork port)
    {
        var body = await JsonBody.ReadObjectAsync(http.Request, http.RequestAborted);
        var item = await port.For(http).StartAsync(JsonBody.RequiredString(body, "work_id"), JsonBody.OptionalString(body, "node_id"),
            JsonBody.OptionalString(body, "fencing_token"), CommandId(body), http.RequestAborted);
        return Json(new WorkChanged("started", item));
    }

    private static async Task<IResult> CompleteAsync(HttpContext http, ClusterWork port)
    {
        var body = await JsonBody.ReadObjectAsync(http.Request, http.RequestAborted);
        var workId = JsonBody.RequiredString(body, "work_id");
        var result = JsonBody.OptionalObject(body, "result")?.DeepClone().AsObject();
        // The original's workers put their node id inside the result: when given, it must be the claimant's.
        var nodeId = JsonBody.OptionalString(body, "node_id") ?? (result is null ? null : JsonBody.OptionalString(result, "node_id"));
        var item = await port.For(http).CompleteAsync(workId, result, nodeId,
            JsonBody.OptionalString(body, "fencing_token"), CommandId(body), http.RequestAborted);
        return Json(new WorkChanged("completed", item));
    }

    private static async Task<IResult> FailAsync(HttpContext http, ClusterWork port)
    {
        var body = await JsonBody.ReadObjectAsync(http.Request, http.RequestAborted);
        var workId = JsonBody.RequiredString(body, "work_id");
        var error = JsonBody.OptionalString(body, "error") ?? "failed without an error message";
        var item = await port.For(http).FailAsync(workId, error, JsonBody.OptionalString(body, "node_id"),
            JsonBody.OptionalString(body, "fencing_token"), CommandId(body), http.RequestAborted);
        return Json(new WorkChanged(item.Status == WorkStatus.Pending ? "requeued" : "failed", item));
    }

    private static async Task<IResult> CancelAsync(HttpContext http, ClusterWork port)
    {
        var body = await JsonBody.ReadObjectAsync(http.Request, http.RequestAborted);
        var item = await port.For(http).CancelAsync(JsonBody.RequiredString(body, "work_id"), http.RequestAborted);
        return Json(new WorkChanged("cancelled", item));
    }

    private static async Task<IResult> ListAsync(HttpContext http, ClusterWork port)
    {
        var status = ParseStatus(http.Request.Query["status"].ToString());
        var limit = 1000;
        var limitText = http.Request.Query["limit"].ToString();
        if (limitText.Length > 0 && !int.TryParse(limitText, out limit)) throw ClusterWork.LimitOutOfRange(limitText); // the port checks the range
        var claimedBy = http.Request.Query["claimed_by"].ToString();
        var items = await port.For(http).ListAsync(status, limit, claimedBy.Length > 0 ? claimedBy : null, http.RequestAborted);
        return Json(new WorkList(items, items.Count));
    }

    private static WorkStatus? ParseStatus(string text) =>
        text.Length == 0 ? null
        : WireNames.Of<WorkStatus>().TryGetValue(text, out var parsed) ? parsed
        : throw ApiException.BadRequest("INVALID_FIELD", $"status '{text}' is not one of {string.Join(", ", WireNames.Of<WorkStatus>().Keys)}");

    private static IReadOnlyCollection<JobType>? ParseCapabilities(string text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var list = new List<JobType>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            list.Add(JsonBody.WorkType(part, "capabilities"));
        return list;
    }
}
