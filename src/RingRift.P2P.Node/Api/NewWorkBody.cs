using System.Text.Json.Nodes;
using RingRift.P2P.Coordination;
using RingRift.P2P.Models;

namespace RingRift.P2P.Node.Api;

/// <summary>
/// A work item as <c>POST /work/add</c> takes it (and each item of <c>add_batch</c>): read by the routes,
/// written by a node that forwards an add to the leader and by <c>import-queue</c>.
/// </summary>
public static class NewWorkBody
{
    /// <summary>Reads a body; <c>work_type</c> defaults to <c>selfplay</c>, as in the original. Bad fields throw a 400 naming them.</summary>
    public static NewWork Parse(JsonObject body) => new()
    {
        WorkId = JsonBody.OptionalString(body, "work_id"),
        WorkType = JsonBody.OptionalString(body, "work_type") is { } type ? JsonBody.WorkType(type) : JobType.Selfplay,
        Priority = JsonBody.OptionalInt(body, "priority", WorkDefaults.Priority, WorkDefaults.MinPriority, WorkDefaults.MaxPriority),
        Config = JsonBody.OptionalObject(body, "config")?.DeepClone().AsObject(),
        MaxAttempts = JsonBody.OptionalInt(body, "max_attempts", WorkDefaults.MaxAttempts, 1, WorkDefaults.MaxMaxAttempts),
        Attempts = JsonBody.OptionalInt(body, "attempts", 0, 0, WorkDefaults.MaxMaxAttempts - 1),
        TimeoutSeconds = JsonBody.OptionalDouble(body, "timeout_seconds", WorkDefaults.TimeoutSeconds, 0, WorkDefaults.MaxTimeoutSeconds),
        DependsOn = WorkDependencies.Of(JsonBody.OptionalStringList(body, "depends_on")),
    };

    /// <summary>The body that <see cref="Parse"/> reads back as <paramref name="work"/>.</summary>
    public static JsonObject Write(NewWork work)
    {
        var body = new JsonObject
        {
            ["work_type"] = work.WorkType.WireName(),
            ["priority"] = work.Priority,
            ["config"] = work.Config?.DeepClone(),
            ["max_attempts"] = work.MaxAttempts,
            ["timeout_seconds"] = work.TimeoutSeconds,
        };
        if (work.WorkId is not null) body["work_id"] = work.WorkId;
        if (work.Attempts > 0) body["attempts"] = work.Attempts;
        if (work.DependsOn.Count > 0) body["depends_on"] = new JsonArray([.. work.DependsOn.Select(id => (JsonNode)id)]);
        return body;
    }
}
