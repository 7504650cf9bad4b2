using System.CommandLine;
using System.Text.Json.Nodes;
using Spectre.Console;
using Spectre.Console.Rendering;
using static RingRift.P2P.Node.Cli.JsonCells;

namespace RingRift.P2P.Node.Cli;

/// <summary><c>ringrift-p2p training</c>: the leader's training state (GET /training/status) per board config.</summary>
public static class TrainingCommand
{
    public static Command Create() => new ViewCommand<JsonNode>
    {
        Name = "training",
        Description = "Show the leader's training state per board config: games, Elo, priority, decision and why, champion, candidates",
        JsonDescription = "Print GET /training/status as is",
        Fetch = f => f.Client.GetAsync("training/status", f.Ct),
        Json = training => training,
        Render = Build,
    }.Create();

    public static IRenderable Build(JsonNode answer, ViewContext context)
    {
        var training = answer["training"];
        var evaluated = Double(training?["evaluated_at"]) is { } at ? $", evaluated {CliTime.Clock(at, context.Zone)}" : "";
        var title = $"training (leader {Str(answer["node_id"]) ?? "?"}{evaluated})";
        return TrainingView.Build(training?["configs"] as JsonArray, full: true, title)
               ?? new Rows(new Markup($"[bold]{Markup.Escape(title)}[/]"), new Text("no board config in the queue yet: nothing to train"));
    }
}
