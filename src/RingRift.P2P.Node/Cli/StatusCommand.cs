using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Spectre.Console;

namespace RingRift.P2P.Node.Cli;

/// <summary><c>ringrift-p2p status</c>: a table of the cluster as one node sees it.</summary>
public static class StatusCommand
{
    public static Command Create()
    {
        var url = CliApp.UrlOption();
        var json = new Option<bool>("--json") { Description = "Print the raw /status JSON" };
        var command = new Command("status", "Show nodes, roles, health, load and the leader") { url, json };
        command.SetAction((parse, ct) => CliApp.Guard(async () =>
        {
            using var client = new NodeApiClient(parse.GetValue(url)!, CliApp.Token());
            var status = await client.GetAsync("status", ct);
            if (parse.GetValue(json))
            {
                Console.WriteLine(status.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
                return 0;
            }
            Render(status, AnsiConsole.Console);
            return 0;
        }));
        return command;
    }

    public static void Render(JsonNode status, IAnsiConsole console)
    {
        var leader = Str(status["leader_id"]) ?? "(none)";
        var queue = status["work_queue"];
        console.MarkupLine($"[bold]Node[/] {Markup.Escape(Str(status["node_id"]) ?? "?")}  [bold]role[/] {Str(status["role"])}  " +
                           $"[bold]leader[/] {Markup.Escape(leader)}  [bold]epoch[/] {status["epoch"]}  [bold]alive peers[/] {status["alive_peers"]}");
        console.MarkupLine($"[bold]Queue[/] pending {queue?["pending"]}  claimed {queue?["claimed"]}  running {queue?["running"]}  " +
                           $"completed {queue?["completed"]}  failed {queue?["failed"]}  total {queue?["total"]}");
        var table = new Table().AddColumns("node", "role", "alive", "health", "load", "cpu %", "mem %", "gpu", "jobs", "address", "last heard");
        AddRow(table, status["self"], alive: "self", address: "-", age: "-");
        if (status["peers"] is JsonObject peers)
        {
            foreach (var (_, peer) in peers)
            {
                var age = peer?["heartbeat_age_seconds"] is JsonValue a ? $"{a.GetValue<double>().ToString("0.0", CultureInfo.InvariantCulture)} s ago" : "never";
                var alive = peer?["alive"]?.GetValue<bool>() == true ? "[green]yes[/]" : "[red]no[/]";
                AddRow(table, peer?["summary"], alive, Str(peer?["address"]) ?? "?", age, fallbackId: Str(peer?["node_id"]), health: Str(peer?["health"]));
            }
        }
        console.Write(table);
        RenderTraining(status["jobs"]?["training"], console);
        RenderRunner(status["jobs"]?["runner"], console);
        RenderUnplaced(status["jobs"]?["last_dispatch"], console);
    }

    /// <summary>
    /// The leader's last dispatch round: pending work it could not place, by type and reason
    /// (<c>no_capable_node</c>: no alive node's jobs file defines the type).
    /// </summary>
    private static void RenderUnplaced(JsonNode? round, IAnsiConsole console)
    {
        if (round?["unplaced"] is not JsonArray groups || groups.Count == 0) return;
        var table = new Table().Title("pending work not placed (last dispatch)").AddColumns("type", "reason", "items", "e.g.");
        foreach (var g in groups)
        {
            var sample = g?["sample_work_ids"] is JsonArray ids ? string.Join(", ", ids.Select(i => Str(i))) : "";
            table.AddRow(Markup.Escape(Str(g?["work_type"]) ?? "?"), Markup.Escape(Str(g?["reason"]) ?? "?"), Num(g?["count"], "0"), Markup.Escape(sample));
        }
        console.Write(table);
    }

    /// <summary>Active jobs / slots (GPU + CPU) of a node, "-" when it runs no jobs.</summary>
    private static string Jobs(JsonNode? summary)
    {
        var slots = (summary?["gpu_slots"]?.GetValue<int>() ?? 0) + (summary?["cpu_slots"]?.GetValue<int>() ?? 0);
        return slots == 0 ? "-" : $"{summary?["active_jobs"]?.GetValue<int>() ?? 0}/{slots}";
    }

    private static void RenderTraining(JsonNode? training, IAnsiConsole console)
    {
        if (training?["configs"] is not JsonArray configs || configs.Count == 0) return;
        var table = new Table().Title("training").AddColumns("config", "games since", "hours since", "elo", "priority", "decision", "reason", "trainings", "champion");
        foreach (var c in configs)
        {
            table.AddRow(Markup.Escape(Str(c?["config"]) ?? "?"), Num(c?["games_since_last_training"], "0"), Num(c?["hours_since_last_training"], "0.00"),
                Num(c?["current_elo"], "0"), Num(c?["priority"], "0.0"), Markup.Escape(Str(c?["decision"]) ?? "?"), Markup.Escape(Str(c?["reason"]) ?? ""),
                Num(c?["trainings_completed"], "0"), Markup.Escape(Str(c?["champion_model_path"]) ?? "-"));
        }
        console.Write(table);
    }

    private static void RenderRunner(JsonNode? runner, IAnsiConsole console)
    {
        if (runner?["running"] is not JsonArray running || running.Count == 0) return;
        var table = new Table().Title("jobs on this node").AddColumns("job", "type", "state", "pid", "progress", "slot");
        foreach (var j in running)
        {
            table.AddRow(Markup.Escape(Str(j?["job_id"]) ?? "?"), Markup.Escape(Str(j?["work_type"]) ?? "?"), Markup.Escape(Str(j?["state"]) ?? "?"),
                Num(j?["pid"], "0"), Num(j?["progress"], "0%"), Markup.Escape(Str(j?["slot_kind"]) ?? "?") + (j?["gpu"] is JsonValue g ? $" {g}" : ""));
        }
        console.Write(table);
    }

    private static void AddRow(Table table, JsonNode? summary, string alive, string address, string age, string? fallbackId = null, string? health = null)
    {
        var resources = summary?["resources"];
        var role = Str(summary?["role"]) ?? "?";
        table.AddRow(
            Markup.Escape(Str(summary?["node_id"]) ?? fallbackId ?? "?"),
            role == "leader" ? "[bold yellow]leader[/]" : Markup.Escape(role),
            alive,
            Markup.Escape(health ?? Str(summary?["health"]) ?? "?"),
            Num(resources?["load_score"], "0.00"),
            Num(resources?["cpu_percent"], "0"),
            Num(resources?["memory_percent"], "0"),
            Markup.Escape(Str(summary?["gpu_name"]) ?? "cpu"),
            Jobs(summary),
            Markup.Escape(address),
            age);
    }

    private static string? Str(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : node?.ToJsonString();

    private static string Num(JsonNode? node, string format) =>
        node is JsonValue v && v.TryGetValue<double>(out var d) ? d.ToString(format, CultureInfo.InvariantCulture) : "-";
}
