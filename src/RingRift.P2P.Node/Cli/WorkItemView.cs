using System.Text.Json.Nodes;
using Spectre.Console;
using Spectre.Console.Rendering;
using static RingRift.P2P.Node.Cli.JsonCells;

namespace RingRift.P2P.Node.Cli;

/// <summary>One work item (GET /work/{id}) as labelled lines: what it is, where it stands, when, its config, result and error.</summary>
public static class WorkItemView
{
    public static IRenderable Build(JsonNode item, ViewContext context)
    {
        var grid = new Grid().AddColumn(new GridColumn().NoWrap().PadRight(2)).AddColumn();
        void Add(string label, string? value)
        {
            if (value is not null) grid.AddRow(new Markup($"[bold]{label}[/]"), new Text(value));
        }

        Add("work", Str(item["work_id"]) ?? "?");
        Add("type", $"{Str(item["work_type"]) ?? "?"}, priority {Num(item["priority"], "0")}");
        Add("status", Str(item["status"]) + (Str(item["claimed_by"]) is { } node ? $" (claimed by {node})" : ""));
        Add("attempts", $"{Num(item["attempts"], "0")} of {Num(item["max_attempts"], "0")}; timeout {Seconds(item["timeout_seconds"])}");
        foreach (var (label, field) in new[] { ("created", "created_at"), ("claimed", "claimed_at"), ("started", "started_at"), ("ended", "completed_at") })
        {
            if (Double(item[field]) is { } at)
                Add(label, $"{CliTime.Stamp(at, context.Zone)} ({CliTime.Duration(context.UnixNow - at)} ago)");
        }
        if (item["depends_on"] is JsonArray { Count: > 0 } deps) Add("depends on", string.Join(", ", deps.Select(d => Str(d))));
        if (item["config"] is JsonObject { Count: > 0 } config) Add("config", config.ToJsonString());
        if (item["result"] is JsonObject { Count: > 0 } result) Add("result", result.ToJsonString());
        Add("error", Str(item["error"]));
        Add("fencing token", Str(item["fencing_token"]));
        return grid;
    }

    private static string Seconds(JsonNode? seconds) => Double(seconds) is { } s ? $"{s:0.#} s" : "-";
}
