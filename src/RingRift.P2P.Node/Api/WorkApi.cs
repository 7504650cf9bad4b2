using System.Text.Json.Nodes;
using RingRift.P2P.Coordination;
using RingRift.P2P.Json;
using RingRift.P2P.Models;

namespace RingRift.P2P.Node.Api;

/// <summary>
/// The work routes, with the original orchestrator's paths. Every node answers them: the leader
/// serves, followers relay to the leader (see <see cref="WorkForwarder"/>).
/// </summary>
public static class WorkApi
{
    public static IEndpointRouteBuilder MapWorkApi(this IEndpointRouteBuilder app)
    {
        var work = app.MapGroup("/work").RelayedToLeader();

        work.MapPost("/add", AddAsync);
        work.MapGet("/claim", ClaimNextAsync);
        work.MapPost("/claim", ClaimAsync);
        work.MapPost("/start", StartAsync);
        work.MapPost("/complete", CompleteAsync);
        work.MapPost("/fail", FailAsync);
        work.MapPost("/cancel", CancelAsync);
        work.MapGet("/status", async (ClusterWorkService service, HttpContext http) =>
            Json(await service.Queue.GetQueueStatsAsync(http.RequestAborted)));
        work.MapGet("/{work_id}", async (string work_id, ClusterWorkService service, HttpContext http) =>
            await service.GetAsync(work_id, http.RequestAborted) is { Item: { } item } found
                ? (found.Token is null ? Json(item) : Json(WithToken(item, found.Token)))
                : ErrorHandling.Result(404, "WORK_NOT_FOUND", $"work item '{work_id}' does not exist"));
        work.MapGet("", ListAsync);
        return app;
    }

    private const int ListScanLimit = 10_000;

    /// <summary>The group's routes are served by the leader; any other node relays them (see <see cref="WorkForwarder"/>).</summary>
    public static RouteGroupBuilder RelayedToLeader(this RouteGroupBuilder group)
    {
        group.AddEndpointFilter(async (context, next) =>
            await context.HttpContext.RequestServices.GetRequiredService<WorkForwarder>().RouteAsync(context.HttpContext)
            ?? await next(context));
        return group;
    }

    private static IResult Json(object value) => TypedResults.Json(value, P2PJson.Options);

    /// <summary>The item's JSON plus its current <c>fencing_token</c>.</summary>
    private static JsonObject WithToken(WorkItem item, string token)
    {
        var json = System.Text.Json.JsonSerializer.SerializeToNode(item, P2PJson.Options)!.AsObject();
        json["fencing_token"] = token;
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

    private static async Task<IResult> AddAsync(HttpContext http, ClusterWorkService service)
    {
        var body = await JsonBody.ReadObjectAsync(http.Request, http.RequestAborted);
        var work = new NewWork
        {
            WorkId = JsonBody.OptionalString(body, "work_id"),
            WorkType = JsonBody.WorkType(JsonBody.OptionalString(body, "work_type")),
            Priority = JsonBody.OptionalInt(body, "priority", WorkDefaults.Priority, WorkDefaults.MinPriority, WorkDefaults.MaxPriority),
            Config = JsonBody.OptionalObject(body, "config")?.DeepClone().AsObject(),
            MaxAttempts = JsonBody.OptionalInt(body, "max_attempts", WorkDefaults.MaxAttempts, 1, WorkDefaults.MaxMaxAttempts),
            TimeoutSeconds = JsonBody.OptionalDouble(body, "timeout_seconds", WorkDefaults.TimeoutSeconds, 0, WorkDefaults.MaxTimeoutSeconds),
        };
        work.Validate();
        var item = await service.AddAsync(work, CommandId(body), http.RequestAborted);
        return Json(new { status = "added", work_id = item.WorkId, work = item });
    }

    private static async Task<IResult> ClaimNextAsync(HttpContext http, ClusterWorkService service)
    {
        var nodeId = http.Request.Query["node_id"].ToString();
        if (string.IsNullOrWhiteSpace(nodeId)) throw ApiException.Missing("node_id");
        var capabilities = ParseCapabilities(http.Request.Query["capabilities"].ToString());
        var commandId = http.Request.Query["command_id"].ToString();
        var (item, token) = await service.ClaimNextAsync(nodeId, capabilities, commandId.Length > 0 ? commandId : null, http.RequestAborted);
        return item is null ? Json(new { status = "no_work_available" })
            : token is null ? Json(new { status = "claimed", work = item })
            : Json(new { status = "claimed", work = item, fencing_token = token });
    }

    private static async Task<IResult> ClaimAsync(HttpContext http, ClusterWorkService service)
    {
        var body = await JsonBody.ReadObjectAsync(http.Request, http.RequestAborted);
        var workId = JsonBody.RequiredString(body, "work_id");
        var nodeId = JsonBody.RequiredString(body, "node_id");
        var (claimed, token) = await service.ClaimAsync(workId, nodeId, CommandId(body), http.RequestAborted);
        return token is null ? Json(new { claimed, work_id = workId }) : Json(new { claimed, work_id = workId, fencing_token = token });
    }

    private static async Task<IResult> StartAsync(HttpContext http, ClusterWorkService service)
    {
        var body = await JsonBody.ReadObjectAsync(http.Request, http.RequestAborted);
        var item = await service.StartAsync(JsonBody.RequiredString(body, "work_id"), JsonBody.OptionalString(body, "node_id"),
            JsonBody.OptionalString(body, "fencing_token"), CommandId(body), http.RequestAborted);
        return Json(new { status = "started", work = item });
    }

    private static async Task<IResult> CompleteAsync(HttpContext http, ClusterWorkService service)
    {
        var body = await JsonBody.ReadObjectAsync(http.Request, http.RequestAborted);
        var workId = JsonBody.RequiredString(body, "work_id");
        var result = JsonBody.OptionalObject(body, "result")?.DeepClone().AsObject();
        var item = await service.CompleteAsync(workId, result, JsonBody.OptionalString(body, "node_id"),
            JsonBody.OptionalString(body, "fencing_token"), CommandId(body), http.RequestAborted);
        return Json(new { status = "completed", work = item });
    }

    private static async Task<IResult> FailAsync(HttpContext http, ClusterWorkService service)
    {
        var body = await JsonBody.ReadObjectAsync(http.Request, http.RequestAborted);
        var workId = JsonBody.RequiredString(body, "work_id");
        var error = JsonBody.OptionalString(body, "error") ?? "failed without an error message";
        var item = await service.FailAsync(workId, error, JsonBody.OptionalString(body, "node_id"),
            JsonBody.OptionalString(body, "fencing_token"), CommandId(body), http.RequestAborted);
        return Json(new { status = item.Status == WorkStatus.Pending ? "requeued" : "failed", work = item });
    }

    private static async Task<IResult> CancelAsync(HttpContext http, ClusterWorkService service)
    {
        var body = await JsonBody.ReadObjectAsync(http.Request, http.RequestAborted);
        var item = await service.Queue.CancelWorkAsync(JsonBody.RequiredString(body, "work_id"), http.RequestAborted);
        return Json(new { status = "cancelled", work = item });
    }

    private static async Task<IResult> ListAsync(HttpContext http, ClusterWorkService service)
    {
        WorkStatus? status = null;
        var statusText = http.Request.Query["status"].ToString();
        if (statusText.Length > 0)
        {
            status = WireNames.Of<WorkStatus>().TryGetValue(statusText, out var parsed) ? parsed
                : throw ApiException.BadRequest("INVALID_FIELD", $"status '{statusText}' is not one of {string.Join(", ", WireNames.Of<WorkStatus>().Keys)}");
        }
        var limit = 1000;
        var limitText = http.Request.Query["limit"].ToString();
        if (limitText.Length > 0 && (!int.TryParse(limitText, out limit) || limit is < 1 or > 10000))
            throw ApiException.BadRequest("INVALID_FIELD", $"limit must be an integer from 1 to 10000, got '{limitText}'");
        var claimedBy = http.Request.Query["claimed_by"].ToString();
        if (claimedBy.Length == 0)
        {
            var items = await service.Queue.ListWorkAsync(status, limit, http.RequestAborted);
            return Json(new { items, count = items.Count });
        }
        // One node's items: filtered from the newest 10,000 of the status, then cut to the limit.
        var held = (await service.Queue.ListWorkAsync(status, ListScanLimit, http.RequestAborted))
            .Where(i => i.ClaimedBy == claimedBy).Take(limit).ToList();
        return Json(new { items = held, count = held.Count });
    }

    private static IReadOnlyCollection<JobType>? ParseCapabilities(string text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var list = new List<JobType>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            list.Add(JsonBody.WorkType(part, "capabilities"));
        return list;
    }
}
