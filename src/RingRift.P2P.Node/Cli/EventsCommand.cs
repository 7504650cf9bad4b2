using System.CommandLine;
using System.Text.Json.Nodes;
using RingRift.P2P.Notifications;
using Spectre.Console;
using Spectre.Console.Rendering;
using static RingRift.P2P.Node.Cli.JsonCells;

namespace RingRift.P2P.Node.Cli;

/// <summary>
/// <c>ringrift-p2p events</c>: the leader's latest cluster events (GET /events), oldest first, one line
/// each: time, a short label of the event (<see cref="EventText.Kind"/>) and what happened.
/// </summary>
public static class EventsCommand
{
    public const int DefaultLimit = 20;

    public static Command Create()
    {
        var limit = new Option<int>("--limit") { Description = $"How many of the latest events (1-{ClusterEvents.RecentCount})", DefaultValueFactory = _ => DefaultLimit };
        limit.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 1 or > ClusterEvents.RecentCount)
                r.AddError($"--limit must be from 1 to {ClusterEvents.RecentCount}, got {r.GetValueOrDefault<int>()}");
        });
        return new ViewCommand<JsonNode>
        {
            Name = "events",
            Description = "Show the leader's latest cluster events: leader changes, nodes offline, trainings, promotions, failed work",
            JsonDescription = "Print GET /events?limit=N as is",
            Options = [limit],
            Fetch = f => f.Client.GetAsync($"events?limit={f.Parse.GetValue(limit)}", f.Ct),
            Json = events => events,
            Render = Build,
        }.Create();
    }

    public static IRenderable Build(JsonNode answer, ViewContext context)
    {
        var c = answer["counters"];
        var header = new Markup($"leader [bold]{Cell(answer["node_id"], "?")}[/]: {Num(c?["published"], "0")} events published; " +
                                $"webhooks {Num(c?["delivered"], "0")} delivered, {Num(c?["failed"], "0")} failed, {Num(c?["dropped"], "0")} dropped");
        if (answer["events"] is not JsonArray { Count: > 0 } events)
            return new Rows(header, new Text("no events yet (a new leader starts with none)"));
        var table = CompactTable.Create("time", "event", "what");
        foreach (var ev in events)
        {
            if (ev is null) continue;
            var time = EventText.Time(ev) is { } t ? CliTime.Clock(t, context.Zone) : "?";
            table.AddRow(time, Markup.Escape(EventText.Kind(Str(ev["event"]))), Markup.Escape(EventText.Summary(ev)));
        }
        return new Rows(header, new Text(""), table);
    }
}
