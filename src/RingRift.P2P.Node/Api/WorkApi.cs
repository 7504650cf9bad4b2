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
        var work = app.MapGroup("/work");
        work.AddEndpointFilter(async (context, next) =>
            await context.HttpContext.RequestServices.GetRequiredService<WorkForwarder>().RouteAsync(context.HttpContext)
            ?? await next(context));

        work.MapPost("/add", AddAsync);
        work.MapGet("/claim", ClaimNextAsync);
        work.MapPost("/claim", ClaimAsync);
        work.MapPost("/start", StartAsync);
        work.MapPost("/complete", CompleteAsync);
        work.MapPost("/fail", FailAsync);
        work.MapPost("/cancel", CancelAsync);
        work.MapGet("/status", async (QuorumWorkQueue queue, HttpContext http) =>
            Json(await queue.GetQueueStatsAsync(http.RequestAborted)));
        work.MapGet("/{work_id}", async (string work_id, QuorumWorkQueue queue, HttpContext http) =>
            await queue.GetWorkAsync(work_id, http.RequestAborted) is { } item
                ? Json(item)
                : ErrorHandling.Result(404, "WORK_NOT_FOUND", $"work item '{work_id}' does not exist"));
        work.MapGet("", ListAsync);
        return app;
    }

    private static IResult Json(object value) => TypedResults.Json(value, P2PJson.Options);

    private static async Task<IResult> AddAsync(HttpContext http, QuorumWorkQueue queue)
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
        var item = await queue.AddWorkAsync(work, http.RequestAborted);
        return Json(new { status = "added", work_id = item.WorkId, work = item });
    }

    private static async Task<IResult> ClaimNextAsync(HttpContext http, QuorumWorkQueue queue)
    {
        var nodeId = http.Request.Query["node_id"].ToString();
        if (string.IsNullOrWhiteSpace(nodeId)) throw ApiException.Missing("node_id");
        var capabilities = ParseCapabilities(http.Request.Query["capabilities"].ToString());
        var item = await queue.ClaimNextAsync(nodeId, capabilities, http.RequestAborted);
        return item is null ? Json(new { status = "no_work_available" }) : Json(new { status = "claimed", work = item });
    }

    private static async Task<IResult> ClaimAsync(HttpContext http, QuorumWorkQueue queue)
    {
        var body = await JsonBody.ReadObjectAsync(http.Request, http.RequestAborted);
        var workId = JsonBody.RequiredString(body, "work_id");
        var nodeId = JsonBody.RequiredString(body, "node_id");
        return Json(new { claimed = await queue.ClaimWorkAsync(workId, nodeId, http.RequestAborted), work_id = workId });
    }

    private static async Task<IResult> StartAsync(HttpContext http, QuorumWorkQueue queue)
    {
        var body = await JsonBody.ReadObjectAsync(http.Request, http.RequestAborted);
        var item = await queue.StartWorkAsync(JsonBody.RequiredString(body, "work_id"), JsonBody.OptionalString(body, "node_id"), http.RequestAborted);
        return Json(new { status = "started", work = item });
    }

    private static async Task<IResult> CompleteAsync(HttpContext http, QuorumWorkQueue queue)
    {
        var body = await JsonBody.ReadObjectAsync(http.Request, http.RequestAborted);
        var workId = JsonBody.RequiredString(body, "work_id");
        var result = JsonBody.OptionalObject(body, "result")?.DeepClone().AsObject();
        var item = await queue.CompleteWorkAsync(workId, result, JsonBody.OptionalString(body, "node_id"), http.RequestAborted);
        return Json(new { status = "completed", work = item });
    }

    private static async Task<IResult> FailAsync(HttpContext http, QuorumWorkQueue queue)
    {
        var body = await JsonBody.ReadObjectAsync(http.Request, http.RequestAborted);
        var workId = JsonBody.RequiredString(body, "work_id");
        var error = JsonBody.OptionalString(body, "error") ?? "failed without an error message";
        var item = await queue.FailWorkAsync(workId, error, JsonBody.OptionalString(body, "node_id"), http.RequestAborted);
        return Json(new { status = item.Status == WorkStatus.Pending ? "requeued" : "failed", work = item });
    }

    private static async Task<IResult> CancelAsync(HttpContext http, QuorumWorkQueue queue)
    {
        var body = await JsonBody.ReadObjectAsync(http.Request, http.RequestAborted);
        var item = await queue.CancelWorkAsync(JsonBody.RequiredString(body, "work_id"), http.RequestAborted);
        return Json(new { status = "cancelled", work = item });
    }

    private static async Task<IResult> ListAsync(HttpContext http, QuorumWorkQueue queue)
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
        var items = await queue.ListWorkAsync(status, limit, http.RequestAborted);
        return Json(new { items, count = items.Count });
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
