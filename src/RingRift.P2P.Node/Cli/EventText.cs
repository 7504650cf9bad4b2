using System.Globalization;
using System.Text.Json.Nodes;
using RingRift.P2P.Notifications;
using static RingRift.P2P.Node.Cli.JsonCells;

namespace RingRift.P2P.Node.Cli;

/// <summary>
/// A cluster event (an item of GET /events: <c>{event, time, payload}</c>) in one short line of plain
/// text, for the <c>events</c> table and <c>local-cluster</c>'s running log.
/// </summary>
public static class EventText
{
    /// <summary>Longest line <see cref="Line"/> returns: an 80-column terminal.</summary>
    public const int MaxLine = 80;

    /// <summary>What happened, e.g. <c>hex8_2p: m-3.json, Elo 1406.8 (+79.6)</c>.</summary>
    public static string Summary(JsonNode ev)
    {
        var p = ev["payload"];
        string S(string key) => Str(p?[key]) ?? "?";
        return Str(ev["event"]) switch
        {
            ClusterEventNames.LeaderChanged => Str(p?["previous_leader_id"]) is { } previous ? $"{S("leader_id")} took over from {previous}" : $"{S("leader_id")} elected",
            ClusterEventNames.NodeOffline => $"{S("offline_node_id")}, silent {Seconds(p?["heartbeat_age_seconds"])}" + Requeued(p),
            ClusterEventNames.TrainingTriggered => $"{S("config")}: {S("work_id")} queued ({Num(p?["games"], "0")} new games)",
            ClusterEventNames.TrainingComplete => $"{S("config")}: {Model(p)} on {S("node")}, {Num(p?["games_used"], "0")} games, {Seconds(p?["duration_s"])}",
            ClusterEventNames.ModelPromoted => $"{S("config")}: {Model(p)}, Elo {Num(p?["elo"], "0.0")} ({Gain(p)})",
            ClusterEventNames.WorkFailed => $"{S("work_id")} ({S("work_type")}), {Num(p?["attempts"], "0")} attempt(s): {Str(p?["error"]) ?? "no error given"}",
            ClusterEventNames.StorageFull => $"{S("data_dir")}: {Str(p?["error"]) ?? "no space left"}",
            ClusterEventNames.StorageRecovered => $"{S("data_dir")}: writes resumed after {Seconds(p?["full_seconds"])}, {Num(p?["refused_writes"], "0")} refused",
            var other => $"{other ?? "?"} {Payload(p)}",
        };
    }

    /// <summary>A short label of the event's kind (<c>leader</c>, <c>promoted</c>, …): at most 9 characters for the known events.</summary>
    public static string Kind(string? eventName) => eventName switch
    {
        ClusterEventNames.LeaderChanged => "leader",
        ClusterEventNames.NodeOffline => "node down",
        ClusterEventNames.TrainingTriggered => "training",
        ClusterEventNames.TrainingComplete => "trained",
        ClusterEventNames.ModelPromoted => "promoted",
        ClusterEventNames.WorkFailed => "failed",
        ClusterEventNames.StorageFull => "disk full",
        ClusterEventNames.StorageRecovered => "disk ok",
        _ => eventName ?? "?",
    };

    /// <summary>When it was published, null when the time is missing or unreadable.</summary>
    public static DateTimeOffset? Time(JsonNode ev) =>
        DateTimeOffset.TryParse(Str(ev["time"]), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time : null;

    /// <summary><c>HH:mm:ss  kind       what</c>, cut with … at <see cref="MaxLine"/> characters.</summary>
    public static string Line(DateTimeOffset time, string kind, string text, TimeZoneInfo zone)
    {
        var line = $"{CliTime.Clock(time, zone)}  {kind,-9}  {text}";
        return line.Length <= MaxLine ? line : line[..(MaxLine - 1)] + "…";
    }

    private static string Model(JsonNode? payload) => Str(payload?["model_path"]) is { } path ? FileName(path) : "?";

    /// <summary>The Elo gained over the previous champion (<c>+79.6</c>), <c>first</c> without one.</summary>
    private static string Gain(JsonNode? payload) =>
        Double(payload?["elo"]) is { } elo && Double(payload?["previous_elo"]) is { } previous
            ? (elo - previous).ToString("+0.0;-0.0;0.0", CultureInfo.InvariantCulture)
            : "first";

    private static string Seconds(JsonNode? seconds) => Double(seconds) is { } s ? CliTime.Duration(s) : "?";

    private static string Requeued(JsonNode? payload)
    {
        var requeued = (payload?["requeued_work_ids"] as JsonArray)?.Count ?? 0;
        var failed = (payload?["failed_work_ids"] as JsonArray)?.Count ?? 0;
        return requeued + failed == 0 ? "" : $"; {requeued} requeued, {failed} failed";
    }

    private static string Payload(JsonNode? payload)
    {
        if (payload is not JsonObject fields) return "";
        var rest = new JsonObject();
        foreach (var (key, value) in fields)
            if (key is not ("event" or "node_id" or "time")) rest[key] = value?.DeepClone();
        return rest.ToJsonString();
    }
}
