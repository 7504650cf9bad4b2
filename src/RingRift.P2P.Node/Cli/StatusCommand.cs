using System.CommandLine;
using System.Text.Json.Nodes;
using Spectre.Console;
using Spectre.Console.Rendering;
using static RingRift.P2P.Node.Cli.JsonCells;

namespace RingRift.P2P.Node.Cli;

/// <summary><c>ringrift-p2p status</c>: the cluster as one node sees it, in 80 columns.</summary>
public static class StatusCommand
{
    public static Command Create() => new ViewCommand<JsonNode>
    {
        Name = "status",
        Description = "Show nodes, roles, health, load, the leader, the queue, training and this node's jobs",
        JsonDescription = "Print GET /status as is",
        Fetch = f => f.Client.GetAsync("status", f.Ct),
        Json = status => status,
        Render = Build,
    }.Create();

    public static void Render(JsonNode status, IAnsiConsole console) => console.Write(Build(status, ViewContext.From(TimeProvider.System)));

    public static IRenderable Build(JsonNode status, ViewContext context)
    {
        var queue = status["work_queue"];
        var parts = new List<IRenderable>
        {
            new Markup($"[bold]{Cell(status["node_id"], "?")}[/] {Cell(status["role"], "?")}, leader [bold]{Cell(status["leader_id"], "(none)")}[/], " +
                       $"epoch {Cell(status["epoch"])}, {Cell(status["alive_peers"], "0")} peer(s) alive"),
            new Markup($"queue: {Cell(queue?["pending"], "0")} pending, {Cell(queue?["claimed"], "0")} claimed, {Cell(queue?["running"], "0")} running, " +
                       $"{Cell(queue?["completed"], "0")} completed, {Cell(queue?["failed"], "0")} failed ({Cell(queue?["total"], "0")} total)"),
        };
        if (UnhealthyLoops(status["loops"] as JsonObject) is { } loops) parts.Add(loops);
        parts.Add(new Text(""));
        parts.Add(Nodes(status));
        if (TrainingView.Build(status["jobs"]?["training"]?["configs"] as JsonArray, full: false) is { } training) parts.Add(training);
        if (JobsView.Running(status["jobs"]?["runner"], "jobs on this node", context) is { } runner) parts.Add(runner);
        if (Unplaced(status["jobs"]?["last_dispatch"]) is { } unplaced) parts.Add(unplaced);
        return new Rows(parts);
    }

    /// <summary>One line per stalled or failing background loop of this node (none when all are healthy): its state and last error.</summary>
    private static IRenderable? UnhealthyLoops(JsonObject? loops)
    {
        var lines = new List<IRenderable>();
        foreach (var (name, loop) in (loops ?? []).OrderBy(l => l.Key, StringComparer.Ordinal))
        {
            if (Bool(loop?["healthy"]) != false) continue;
            var since = Double(loop?["seconds_since_last_run"]) is { } s ? $", last run {CliTime.Duration(s)} ago" : ", never run";
            var error = Str(loop?["last_error"]) is { } e ? $": {e}" : "";
            lines.Add(new Markup($"[red]loop {Markup.Escape(name)} {Markup.Escape(Str(loop?["status"]) ?? "?")}[/]{Markup.Escape(since + error)}"));
        }
        return lines.Count == 0 ? null : new Rows(lines);
    }

    /// <summary>One row per node: role, health (down when not alive), load, CPU and memory use, GPU, jobs / slots, last heard.</summary>
    private static Table Nodes(JsonNode status)
    {
        var table = CompactTable.Create("node", "role", "health", "load>", "cpu%>", "mem%>", "gpu", "jobs>", "heard");
        AddRow(table, status["self"], alive: true, health: null, heard: "self");
        if (status["peers"] is JsonObject peers)
        {
            foreach (var (id, peer) in peers.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                var heard = Double(peer?["heartbeat_age_seconds"]) is { } age ? CliTime.Duration(age) : "never";
                var summary = peer?["summary"] ?? new JsonObject { ["node_id"] = id };
                AddRow(table, summary, Bool(peer?["alive"]) == true, Str(peer?["health"]), heard);
            }
        }
        return table;
    }

    private static void AddRow(Table table, JsonNode? summary, bool alive, string? health, string heard)
    {
        var resources = summary?["resources"];
        var role = Str(summary?["role"]) ?? "?";
        table.AddRow(
            Cell(summary?["node_id"], "?"),
            role == "leader" ? "[bold yellow]leader[/]" : Markup.Escape(role),
            NodeState(alive, health ?? Str(summary?["health"])),
            Num(resources?["load_score"], "0.00"),
            Num(resources?["cpu_percent"], "0"),
            Num(resources?["memory_percent"], "0"),
            Markup.Escape(Gpu(summary)),
            Jobs(summary),
            heard);
    }

    /// <summary>The health of an alive node, coloured; <c>down</c> in red for one that is not alive.</summary>
    public static string NodeState(bool alive, string? health) => !alive ? "[red]down[/]" : health switch
    {
        "healthy" => "[green]healthy[/]",
        null => "?",
        _ => $"[yellow]{Markup.Escape(health)}[/]",
    };

    /// <summary>The GPU model without the vendor's brand words (<c>2x RTX 4090</c>), <c>cpu</c> without one.</summary>
    public static string Gpu(JsonNode? summary)
    {
        if (Str(summary?["gpu_name"]) is not { Length: > 0 } name) return "cpu";
        var shortName = name.Replace("NVIDIA ", "", StringComparison.Ordinal).Replace("GeForce ", "", StringComparison.Ordinal).Trim();
        var count = Double(summary?["gpu_count"]) ?? 1;
        return count > 1 ? $"{count:0}x {shortName}" : shortName;
    }

    /// <summary>Active jobs / slots (GPU + CPU) of a node, "-" when it runs no jobs.</summary>
    private static string Jobs(JsonNode? summary)
    {
        var slots = (Double(summary?["gpu_slots"]) ?? 0) + (Double(summary?["cpu_slots"]) ?? 0);
        return slots == 0 ? "-" : $"{Double(summary?["active_jobs"]) ?? 0}/{slots}";
    }

    /// <summary>
    /// The leader's last dispatch round: pending work it could not place, by type and reason
    /// (<c>no_capable_node</c>: no alive node's jobs file defines the type).
    /// </summary>
    private static IRenderable? Unplaced(JsonNode? round)
    {
        if (round?["unplaced"] is not JsonArray groups || groups.Count == 0) return null;
        var table = CompactTable.Create("type", "reason", "items>", "e.g.");
        foreach (var g in groups)
        {
            var sample = g?["sample_work_ids"] is JsonArray ids ? string.Join(", ", ids.Select(i => Str(i))) : "";
            table.AddRow(Cell(g?["work_type"], "?"), Cell(g?["reason"], "?"), Num(g?["count"], "0"), Markup.Escape(sample));
        }
        return CompactTable.Section("pending work not placed (last dispatch)", table);
    }
}
