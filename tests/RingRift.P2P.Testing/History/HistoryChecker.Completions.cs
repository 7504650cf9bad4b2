using System.Text.Json.Nodes;
using RingRift.P2P.Coordination;

namespace RingRift.P2P.Testing.History;

public static partial class HistoryChecker
{
    /// <summary>
    /// (d) Every completion applied once. Ok Completes of one item, grouped by command id (a
    /// retried command is one completion), number at most one, whether the item is in the final queue or
    /// not (pruned once finished). A final item is completed iff
    /// some Complete of it was Ok or Unknown; its result's "op" id is one of those Completes', and
    /// exactly the Ok one's when there is one.
    /// </summary>
    public static IEnumerable<HistoryViolation> CheckCompletionOnce(IReadOnlyList<HistoryOp> history, IReadOnlyList<WorkItem> finalItems)
    {
        var completesById = history.Where(o => o.Kind == HistoryOpKind.Complete)
            .ToLookup(o => o.WorkId!, StringComparer.Ordinal);
        var final = finalItems.Select(i => i.WorkId).ToHashSet(StringComparer.Ordinal);
        foreach (var completes in completesById.Where(g => !final.Contains(g.Key)))
        {
            var ok = completes.Where(o => o.IsOk).GroupBy(o => o.CommandId, StringComparer.Ordinal).Select(g => g.First()).ToList();
            if (ok.Count > 1)
            {
                yield return new(HistoryInvariant.CompletionOnce, completes.Key,
                    $"'{completes.Key}' (not in the final queue) completed {ok.Count} times by distinct commands: {string.Join("; ", ok.Select(o => o.Describe()))}");
            }
        }
        foreach (var item in finalItems)
        {
            var completes = completesById[item.WorkId].ToList();
            var okCompletions = completes.Where(o => o.IsOk).GroupBy(o => o.CommandId, StringComparer.Ordinal).Select(g => g.First()).ToList();
            var possible = completes.Where(o => o.MayHaveHappened).ToList();
            var completed = item.Status == WorkStatus.Completed;

            if (okCompletions.Count > 1)
            {
                yield return new(HistoryInvariant.CompletionOnce, item.WorkId,
                    $"'{item.WorkId}' completed {okCompletions.Count} times by distinct commands: {string.Join("; ", okCompletions.Select(o => o.Describe()))}");
            }

            if (completed && possible.Count == 0)
            {
                yield return new(HistoryInvariant.CompletionOnce, item.WorkId,
                    $"'{item.WorkId}' is completed but no complete of it was ok or unknown");
            }

            if (!completed && okCompletions.Count > 0)
            {
                yield return new(HistoryInvariant.CompletionOnce, item.WorkId,
                    $"acknowledged completion of '{item.WorkId}' is lost: {okCompletions[0].Describe()} but the final status is {item.Status.ToString().ToLowerInvariant()}");
            }

            if (!completed || possible.Count == 0 || okCompletions.Count > 1)
                continue; // nothing more to compare (or already reported)

            var resultOp = ReadOp(item.Result);
            if (okCompletions.Count == 1 && resultOp != okCompletions[0].ResultOpId)
            {
                yield return new(HistoryInvariant.CompletionOnce, item.WorkId,
                    $"'{item.WorkId}' result op is '{resultOp ?? "(none)"}' but the acknowledged completion {okCompletions[0].Describe()} carried op '{okCompletions[0].ResultOpId}'");
            }
            else if (okCompletions.Count == 0 && !possible.Any(o => o.ResultOpId == resultOp))
            {
                yield return new(HistoryInvariant.CompletionOnce, item.WorkId,
                    $"'{item.WorkId}' result op is '{resultOp ?? "(none)"}', which none of its unknown completions carried ({string.Join(", ", possible.Select(o => o.ResultOpId))})");
            }
        }
    }

    private static string? ReadOp(JsonObject? result) =>
        result?["op"] is JsonValue value && value.TryGetValue<string>(out var op) ? op : null;
}
