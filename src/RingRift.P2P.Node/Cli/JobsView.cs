using System.Text.Json.Nodes;
using Spectre.Console;
using Spectre.Console.Rendering;
using static RingRift.P2P.Node.Cli.JsonCells;

namespace RingRift.P2P.Node.Cli;

/// <summary>A node's job runner (/status <c>jobs.runner</c>): its slots, counters and running jobs, in 80 columns.</summary>
public static class JobsView
{
    /// <summary>The running jobs under <paramref name="title"/>, or null when there are none (or no runner).</summary>
    public static IRenderable? Running(JsonNode? runner, string title, ViewContext context) =>
        runner?["running"] is JsonArray { Count: > 0 } running ? CompactTable.Section(title, Table(running, context)) : null;

    /// <summary>One node's section of <c>jobs</c>: slots and counters, then its running jobs (or why there are none).</summary>
    public static IRenderable Node(NodeJobs node, ViewContext context)
    {
        var title = node.Address is null ? node.NodeId : $"{node.NodeId} ({node.Address})";
        if (node.Error is { } error)
            return new Rows(new Text(""), CompactTable.Heading(title), new Markup($"[red]no answer: {Markup.Escape(error)}[/]"));
        if (node.Runner is not JsonObject runner)
            return new Rows(new Text(""), CompactTable.Heading(title), new Text("runs no jobs (started without a jobs file)"));
        var c = runner["counters"];
        var parts = new List<IRenderable>
        {
            new Text(""),
            CompactTable.Heading(title),
            new Text($"cpu slots {Slots(runner["cpu_slots"])}, gpu slots {Slots(runner["gpu_slots"])}; {Num(c?["started"], "0")} started, " +
                     $"{Num(c?["completed"], "0")} completed, {Num(c?["failed"], "0")} failed, {Num(c?["timed_out"], "0")} timed out"),
        };
        parts.Add(runner["running"] is JsonArray { Count: > 0 } running ? Table(running, context) : new Text("no job running"));
        return new Rows(parts);
    }

    private static Table Table(JsonArray running, ViewContext context)
    {
        var table = CompactTable.Create("job", "type", "state", "pid>", "progress>", "slot", "running>");
        foreach (var j in running)
        {
            var slot = Str(j?["slot_kind"]) ?? "?";
            if (Double(j?["gpu"]) is { } gpu) slot += $" {gpu:0}";
            var age = Double(j?["started_at"]) is { } started ? CliTime.Duration(context.UnixNow - started) : "-";
            table.AddRow(Cell(j?["job_id"], "?"), Cell(j?["work_type"], "?"), Cell(j?["state"], "?"), Num(j?["pid"], "0"),
                Num(j?["progress"], "0%"), Markup.Escape(slot), age);
        }
        return table;
    }

    private static string Slots(JsonNode? usage) => $"{Num(usage?["used"], "0")}/{Num(usage?["total"], "0")}";
}

/// <summary>What <c>jobs</c> learnt about one node: its runner block (null: no jobs file), or why it did not answer.</summary>
public sealed record NodeJobs(string NodeId, string? Address, JsonNode? Runner, string? Error = null);

/// <summary>What <c>jobs</c> fetched: the asked node first, then (with <c>--all</c>) every alive peer.</summary>
public sealed record JobsAnswer(bool All, IReadOnlyList<NodeJobs> Nodes);
