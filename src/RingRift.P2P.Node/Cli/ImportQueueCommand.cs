using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using RingRift.P2P.Node.Api;
using RingRift.P2P.Node.Import;
using Spectre.Console;

namespace RingRift.P2P.Node.Cli;

/// <summary>
/// <c>ringrift-p2p import-queue --from work_queue.db</c>: adds the original orchestrator's pending work (and
/// claims that have run out) to a running cluster through <c>POST /work/add_batch</c>, keeping ids, so running it
/// again adds nothing twice. Exit 0 when every item it meant to add is in the cluster; 1 when the node refused
/// one or a row is invalid; 2 when the file is not the original's queue.
/// </summary>
public static class ImportQueueCommand
{
    public static Command Create()
    {
        var url = CliApp.UrlOption();
        var from = new Option<string>("--from") { Description = "The original orchestrator's SQLite work queue (its work_queue.db)", Required = true };
        var allClaimed = new Option<bool>("--all-claimed") { Description = "Also import claimed and running items whose claim has not run out (their workers have stopped)" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Show what would be imported and add nothing" };
        var command = new Command("import-queue", "Add the original orchestrator's pending work to the cluster") { url, from, allClaimed, dryRun };
        command.SetAction((parse, ct) => CliApp.Guard(parse, () =>
        {
            var rows = OriginalQueueFile.Read(parse.GetValue(from)!);
            var plan = QueueImportPlan.Build(rows, TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0, parse.GetValue(allClaimed));
            return parse.GetValue(dryRun) ? Task.FromResult(Show(plan)) : ImportAsync(plan, parse.GetValue(url)!, ct);
        }));
        return command;
    }

    private static int Show(QueueImportPlan plan)
    {
        var table = new Table().AddColumns("work_id", "type", "priority", "attempts", "depends_on");
        foreach (var work in plan.ToAdd)
        {
            table.AddRow(Markup.Escape(work.WorkId!), Markup.Escape(work.WorkType.Name), work.Priority.ToString(CultureInfo.InvariantCulture),
                $"{work.Attempts}/{work.MaxAttempts}", Markup.Escape(string.Join(", ", work.DependsOn)));
        }
        AnsiConsole.Write(table);
        ShowLeft(plan);
        Console.WriteLine($"would import {plan.ToAdd.Count} item(s); {Summary(plan)}");
        return plan.Left.Any(n => n.Invalid) ? 1 : 0;
    }

    private static async Task<int> ImportAsync(QueueImportPlan plan, string url, CancellationToken ct)
    {
        using var client = new NodeApiClient(url, CliApp.Token(), TimeSpan.FromSeconds(60));
        int added = 0, present = 0;
        var refused = new List<(string WorkId, string Error)>();
        foreach (var chunk in plan.ToAdd.Chunk(WorkApi.MaxBatchAdd))
        {
            JsonNode answer;
            try
            {
                answer = await AddBatchAsync(client, chunk, ct);
            }
            catch (CliException ex)
            {
                throw new CliException($"{ex.Message} ({added} item(s) added before this; running import-queue again adds the rest and skips those)", ex.Status);
            }
            added += answer["count"]?.GetValue<int>() ?? 0;
            foreach (var error in answer["errors"]?.AsArray() ?? [])
            {
                var workId = chunk[error!["index"]!.GetValue<int>()].WorkId!;
                if (error["code"]?.GetValue<string>() == "DUPLICATE_WORK_ID") present++;
                else refused.Add((workId, error["error"]?.GetValue<string>() ?? "refused"));
            }
        }

        ShowLeft(plan);
        foreach (var (workId, error) in refused)
            await Console.Error.WriteLineAsync($"ringrift-p2p: {workId} was refused: {error}");
        Console.WriteLine($"imported {added} item(s), {present} already in the cluster, {refused.Count} refused; {Summary(plan)}");
        return refused.Count > 0 || plan.Left.Any(n => n.Invalid) ? 1 : 0;
    }

    /// <summary>How long a batch is retried while the cluster has no leader serving (an election, a leader change).</summary>
    private static readonly TimeSpan RetryFor = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Adds one batch; an answer that may pass on retry (unreachable, no answer, 503) is retried for up to
    /// <see cref="RetryFor"/>. Safe: items keep their ids, so one that did get in answers DUPLICATE_WORK_ID.
    /// </summary>
    private static async Task<JsonNode> AddBatchAsync(NodeApiClient client, RingRift.P2P.Coordination.NewWork[] chunk, CancellationToken ct)
    {
        var body = new JsonObject { ["items"] = new JsonArray([.. chunk.Select(NewWorkBody.Write)]) };
        var until = DateTime.UtcNow + RetryFor;
        for (var pause = TimeSpan.FromMilliseconds(200); ; pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, TimeSpan.FromSeconds(3).Ticks)))
        {
            try
            {
                return await client.PostAsync("work/add_batch", body.DeepClone(), ct);
            }
            catch (CliException ex) when (ex.MayPassOnRetry && DateTime.UtcNow + pause < until)
            {
                await Task.Delay(pause, ct);
            }
        }
    }

    private static void ShowLeft(QueueImportPlan plan)
    {
        if (plan.Left.Count == 0) return;
        var table = new Table().AddColumns("not imported", "status", "why");
        foreach (var item in plan.Left)
            table.AddRow(Markup.Escape(item.WorkId), Markup.Escape(item.Status), Markup.Escape(item.Reason));
        AnsiConsole.Write(table);
    }

    private static string Summary(QueueImportPlan plan)
    {
        var ended = plan.Ended.Count == 0 ? "none" : string.Join(", ", plan.Ended.Select(e => $"{e.Value} {e.Key}"));
        return $"{plan.Left.Count} pending or claimed item(s) not imported; ended in the source and not imported: {ended}";
    }
}
