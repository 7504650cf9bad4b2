using System.CommandLine;
using System.Text.Json.Nodes;
using RingRift.P2P.Coordination;
using Spectre.Console;
using static RingRift.P2P.Node.Cli.JsonCells;

namespace RingRift.P2P.Node.Cli;

/// <summary><c>ringrift-p2p work add|list|show|cancel</c>.</summary>
public static class WorkCommand
{
    /// <summary>The statuses <c>work list --status</c> accepts.</summary>
    public static readonly string[] Statuses = [.. Enum.GetValues<WorkStatus>().Select(s => s.ToString().ToLowerInvariant())];

    public static Command Create() => new("work", "Add, list, show or cancel queued work") { Add(), List(), Show(), Cancel() };

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
        command.SetAction((parse, ct) => CliApp.Guard(parse, async () =>
        {
            JsonNode? configNode = null;
            if (parse.GetValue(config) is { } text)
            {
                try { configNode = JsonNode.Parse(text); }
                catch (System.Text.Json.JsonException ex) { throw new CliUsageException($"--config is not valid JSON: {ex.Message}"); }
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
            await parse.InvocationConfiguration.Output.WriteLineAsync($"added {answer["work_id"]}");
            return 0;
        }));
        return command;
    }

    private static Command List()
    {
        var url = CliApp.UrlOption();
        var json = new Option<bool>("--json") { Description = "Print GET /work?status=&limit= as is" };
        var status = new Option<string?>("--status") { Description = string.Join(" | ", Statuses) };
        status.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<string?>() is { } s && !Statuses.Contains(s))
                r.AddError($"--status must be one of {string.Join(", ", Statuses)}; got '{s}'");
        });
        var limit = new Option<int>("--limit") { Description = "1-10000", DefaultValueFactory = _ => 50 };
        limit.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 1 or > 10000) r.AddError($"--limit must be from 1 to 10000, got {r.GetValueOrDefault<int>()}");
        });
        var command = new Command("list", "List work items, newest first") { url, status, limit, json };
        command.SetAction((parse, ct) => CliApp.Guard(parse, async () =>
        {
            var output = CliOutput.Of(parse);
            using var client = new NodeApiClient(parse.GetValue(url)!, CliApp.Token());
            var query = $"work?limit={parse.GetValue(limit)}" + (parse.GetValue(status) is { } s ? $"&status={Uri.EscapeDataString(s)}" : "");
            var answer = await client.GetAsync(query, ct);
            if (parse.GetValue(json))
            {
                await output.Out.WriteLineAsync(JsonOut.Text(answer, indented: true));
                return 0;
            }
            var table = CompactTable.Create("work id", "type", "priority>", "status", "node", "attempts>", "error");
            foreach (var item in answer["items"]?.AsArray() ?? [])
            {
                table.AddRow(Cell(item?["work_id"]), Cell(item?["work_type"]), Cell(item?["priority"]), Cell(item?["status"]),
                    Cell(item?["claimed_by"]), $"{item?["attempts"]}/{item?["max_attempts"]}", Cell(item?["error"], ""));
            }
            output.Console.Write(table);
            await output.Out.WriteLineAsync($"{answer["count"]} item(s)");
            return 0;
        }));
        return command;
    }

    private static Command Show()
    {
        var url = CliApp.UrlOption();
        var json = new Option<bool>("--json") { Description = "Print GET /work/{id} as is" };
        var id = new Argument<string>("id") { Description = "The work id" };
        var command = new Command("show", "Show one work item: status, node, attempts, times, config, result, error") { id, url, json };
        command.SetAction((parse, ct) => CliApp.Guard(parse, async () =>
        {
            var output = CliOutput.Of(parse);
            using var client = new NodeApiClient(parse.GetValue(url)!, CliApp.Token());
            var item = await client.GetAsync($"work/{Uri.EscapeDataString(parse.GetValue(id)!)}", ct);
            if (parse.GetValue(json)) await output.Out.WriteLineAsync(JsonOut.Text(item, indented: true));
            else output.Console.Write(WorkItemView.Build(item, ViewContext.From(TimeProvider.System)));
            return 0;
        }));
        return command;
    }

    private static Command Cancel()
    {
        var url = CliApp.UrlOption();
        var json = new Option<bool>("--json") { Description = "Print the POST /work/cancel answer as is" };
        var id = new Argument<string>("id") { Description = "The work id (pending, claimed or running)" };
        var command = new Command("cancel", "Cancel a work item that has not ended (needs the cluster token when one is set)") { id, url, json };
        command.SetAction((parse, ct) => CliApp.Guard(parse, async () =>
        {
            using var client = new NodeApiClient(parse.GetValue(url)!, CliApp.Token());
            var answer = await client.PostAsync("work/cancel", new JsonObject { ["work_id"] = parse.GetValue(id) }, ct);
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json)) await output.WriteLineAsync(JsonOut.Text(answer, indented: true));
            else await output.WriteLineAsync($"cancelled {Str(answer["work"]?["work_id"]) ?? parse.GetValue(id)} ({Str(answer["work"]?["work_type"]) ?? "?"})");
            return 0;
        }));
        return command;
    }
}
