using System.CommandLine;
using System.Text.Json.Nodes;
using Spectre.Console;

namespace RingRift.P2P.Node.Cli;

/// <summary><c>ringrift-p2p work add|list</c>.</summary>
public static class WorkCommand
{
    public static Command Create() => new("work", "Add or list queued work") { Add(), List() };

    private static Command Add()
    {
        var url = CliApp.UrlOption();
        var type = new Option<string>("--type") { Description = "selfplay, training, evaluation, sync, or any type a jobs file runs (e.g. gauntlet)", Required = true };
        var dependsOn = new Option<string?>("--depends-on") { Description = "Work ids, comma-separated, that must complete before this item can be claimed" };
        var priority = new Option<int>("--priority") { Description = "0-100, higher first", DefaultValueFactory = _ => 50 };
        var config = new Option<string?>("--config") { Description = "Job parameters as a JSON object, e.g. '{\"board_type\":\"hex8\",\"num_players\":2}'" };
        var id = new Option<string?>("--id") { Description = "Work id (default: generated)" };
        var maxAttempts = new Option<int>("--max-attempts") { DefaultValueFactory = _ => 3 };
        var timeout = new Option<double>("--timeout") { Description = "Seconds before a claimed item is requeued", DefaultValueFactory = _ => 3600 };
        var command = new Command("add", "Add a work item") { url, type, priority, config, id, maxAttempts, timeout, dependsOn };
        command.SetAction((parse, ct) => CliApp.Guard(async () =>
        {
            JsonNode? configNode = null;
            if (parse.GetValue(config) is { } text)
            {
                try { configNode = JsonNode.Parse(text); }
                catch (System.Text.Json.JsonException ex) { throw new CliException($"--config is not valid JSON: {ex.Message}"); }
            }
            var body = new JsonObject
            {
                ["work_type"] = parse.GetValue(type),
                ["priority"] = parse.GetValue(priority),
                ["max_attempts"] = parse.GetValue(maxAttempts),
                ["timeout_seconds"] = parse.GetValue(timeout),
            };
            if (configNode is not null) body["config"] = configNode;
            if (parse.GetValue(id) is { } workId) body["work_id"] = workId;
            if (parse.GetValue(dependsOn) is { } ids)
                body["depends_on"] = new JsonArray([.. ids.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(i => (JsonNode)i)]);
            using var client = new NodeApiClient(parse.GetValue(url)!, CliApp.Token());
            var answer = await client.PostAsync("work/add", body, ct);
            Console.WriteLine($"added {answer["work_id"]}");
            return 0;
        }));
        return command;
    }

    private static Command List()
    {
        var url = CliApp.UrlOption();
        var status = new Option<string?>("--status") { Description = "pending | claimed | running | completed | failed | cancelled" };
        var limit = new Option<int>("--limit") { DefaultValueFactory = _ => 50 };
        var command = new Command("list", "List work items, newest first") { url, status, limit };
        command.SetAction((parse, ct) => CliApp.Guard(async () =>
        {
            using var client = new NodeApiClient(parse.GetValue(url)!, CliApp.Token());
            var query = $"work?limit={parse.GetValue(limit)}" + (parse.GetValue(status) is { } s ? $"&status={Uri.EscapeDataString(s)}" : "");
            var answer = await client.GetAsync(query, ct);
            var table = new Table().AddColumns("work_id", "type", "priority", "status", "claimed_by", "attempts", "error");
            foreach (var item in answer["items"]?.AsArray() ?? [])
            {
                table.AddRow(Cell(item?["work_id"]), Cell(item?["work_type"]), Cell(item?["priority"]), Cell(item?["status"]),
                    Cell(item?["claimed_by"]), $"{item?["attempts"]}/{item?["max_attempts"]}", Cell(item?["error"]));
            }
            AnsiConsole.Write(table);
            Console.WriteLine($"{answer["count"]} item(s)");
            return 0;
        }));
        return command;
    }

    private static string Cell(JsonNode? node) =>
        Markup.Escape(node is JsonValue v && v.TryGetValue<string>(out var s) ? s : node?.ToJsonString() ?? "");
}
