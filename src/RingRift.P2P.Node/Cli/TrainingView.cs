using System.Text.Json.Nodes;
using Spectre.Console;
using Spectre.Console.Rendering;
using static RingRift.P2P.Node.Cli.JsonCells;

namespace RingRift.P2P.Node.Cli;

/// <summary>
/// Training state per board config in 80 columns: a table of the figures, then per config its reason
/// and champion on lines of their own (they are long). Reads /status's <c>jobs.training.configs</c> and
/// /training/status's <c>training.configs</c> (which adds candidates and promotions: <c>full</c>).
/// </summary>
public static class TrainingView
{
    /// <summary>The section, or null when there are no configs.</summary>
    public static IRenderable? Build(JsonArray? configs, bool full, string title = "training")
    {
        if (configs is null || configs.Count == 0) return null;
        var table = CompactTable.Create("config", "games>", "hours>", "Elo>", "priority>", "decision", "trainings>");
        foreach (var c in configs)
        {
            table.AddRow(Cell(c?["config"], "?"), Num(c?["games_since_last_training"], "0"), Num(c?["hours_since_last_training"], "0.00"),
                Num(c?["current_elo"], "0.0"), Num(c?["priority"], "0.0"), Cell(c?["decision"], "?"), Num(c?["trainings_completed"], "0"));
        }
        var parts = new List<IRenderable> { table };
        foreach (var c in configs) parts.Add(Details(c, full));
        return CompactTable.Section(title, new Rows(parts));
    }

    /// <summary>A config's reason and champion (and with <paramref name="full"/>: the training in flight, candidates, promotions).</summary>
    private static IRenderable Details(JsonNode? config, bool full)
    {
        var grid = new Grid().AddColumn(new GridColumn().NoWrap().PadRight(1)).AddColumn();
        grid.AddRow(new Markup("[bold]" + Cell(config?["config"], "?") + "[/]"), new Text(Str(config?["reason"]) ?? ""));
        grid.AddRow("  champion", Champion(config));
        if (full)
        {
            if (Str(config?["in_flight_training_work_id"]) is { } inFlight) grid.AddRow("  training", Markup.Escape(inFlight));
            foreach (var candidate in config?["candidates"] as JsonArray ?? [])
                grid.AddRow("  candidate", Markup.Escape(Candidate(candidate)));
            if (config?["promotions"] is JsonArray { Count: > 0 } promotions)
                grid.AddRow("  promotions", Markup.Escape(Promotions(promotions)));
        }
        return grid;
    }

    private static string Champion(JsonNode? config)
    {
        if (config?["champion"] is JsonObject champion)
        {
            var node = Str(champion["node_id"]) is { } n ? $", {n}" : "";
            return Markup.Escape($"{Str(champion["model_path"])} (Elo {Num(champion["elo"], "0.0")}{node})");
        }
        return Str(config?["champion_model_path"]) is { } path ? Markup.Escape(path) : "none yet";
    }

    private static string Candidate(JsonNode? candidate)
    {
        var evaluation = Str(candidate?["evaluation_work_id"]) is { } id ? $"{id} {Str(candidate?["evaluation_status"]) ?? "?"}" : "evaluation not queued";
        return $"{Str(candidate?["model_path"])} ({evaluation})";
    }

    /// <summary>How many promotions, and the last one's Elo step.</summary>
    private static string Promotions(JsonArray promotions)
    {
        var last = promotions[^1];
        var elo = Double(last?["champion"]?["elo"]);
        var previous = Double(last?["previous_elo"]);
        var step = elo is { } e && previous is { } p ? $"{p:0.0} → {e:0.0}" : $"first at {elo:0.0}";
        return $"{promotions.Count}; last {step} Elo";
    }
}
