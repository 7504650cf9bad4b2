using System.CommandLine;
using System.Text.Json.Nodes;
using Spectre.Console;
using Spectre.Console.Rendering;
using static RingRift.P2P.Node.Cli.JsonCells;

namespace RingRift.P2P.Node.Cli;

/// <summary><c>ringrift-p2p peers</c>: membership as one node sees it: every node's address, state, role, voter flag, last heartbeat, uptime, version.</summary>
public static class PeersCommand
{
    /// <summary>The fields of /status that <c>peers --json</c> prints, unchanged.</summary>
    public static readonly string[] JsonFields = ["node_id", "leader_id", "epoch", "voters", "self", "peers"];

    public static Command Create() => new ViewCommand<JsonNode>
    {
        Name = "peers",
        Description = "Show every node one node knows: address, alive or down, health, role, voter, last heartbeat, uptime, version",
        JsonDescription = "Print node_id, leader_id, epoch, voters, self and peers of GET /status as they are",
        Fetch = f => f.Client.GetAsync("status", f.Ct),
        Json = Json,
        Render = Build,
    }.Create();

    public static JsonNode Json(JsonNode status)
    {
        var json = new JsonObject();
        foreach (var field in JsonFields) json[field] = status[field]?.DeepClone();
        return json;
    }

    public static IRenderable Build(JsonNode status, ViewContext context)
    {
        var voters = status["voters"];
        var voterIds = (voters?["ids"] as JsonArray ?? []).Select(v => Str(v)).ToHashSet(StringComparer.Ordinal);
        var header = new Markup($"[bold]{Cell(status["node_id"], "?")}[/] sees leader [bold]{Cell(status["leader_id"], "(none)")}[/] " +
                                $"(epoch {Cell(status["epoch"])}); voters {Markup.Escape(string.Join(", ", voterIds.Order(StringComparer.Ordinal)))} " +
                                $"(majority {Cell(voters?["majority"])})");
        var table = CompactTable.Create("node", "address", "state", "role", "voter", "heard", "uptime>", "version");
        var self = status["self"];
        AddRow(table, self, $"{Str(self?["address"])}:{Str(self?["port"])}", alive: true, health: null, "self", voterIds);
        foreach (var (id, peer) in (status["peers"] as JsonObject ?? []).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var heard = Double(peer?["heartbeat_age_seconds"]) is { } age ? CliTime.Duration(age) : "never";
            var summary = peer?["summary"] ?? new JsonObject { ["node_id"] = id };
            AddRow(table, summary, Str(peer?["address"]) ?? "?", Bool(peer?["alive"]) == true, Str(peer?["health"]), heard, voterIds);
        }
        return new Rows(header, new Text(""), table);
    }

    private static void AddRow(Table table, JsonNode? summary, string address, bool alive, string? health, string heard, HashSet<string?> voters)
    {
        var id = Str(summary?["node_id"]) ?? "?";
        var role = Str(summary?["role"]) ?? "?";
        table.AddRow(
            Markup.Escape(id),
            Markup.Escape(address),
            StatusCommand.NodeState(alive, health ?? Str(summary?["health"])),
            role == "leader" ? "[bold yellow]leader[/]" : Markup.Escape(role),
            voters.Contains(id) ? "yes" : "no",
            heard,
            Double(summary?["uptime_seconds"]) is { } up ? CliTime.Duration(up) : "-",
            Str(summary?["version"]) is { } version ? Markup.Escape(Hosting.ProgramVersion.Short(version)) : "-");
    }
}
