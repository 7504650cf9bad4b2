using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using RingRift.P2P.Coordination;
using RingRift.P2P.Models;

namespace RingRift.P2P.Node.Import;

/// <summary>A pending or claimed row of the original's queue that is not imported, and why; <paramref name="Invalid"/> when the row itself is bad.</summary>
public sealed record NotImported(string WorkId, string Status, string Reason, bool Invalid = false);

/// <summary>
/// What <c>import-queue</c> adds from the original's <c>work_items</c> rows: its pending items and the claimed
/// or running ones whose claim has run out (the original's own timeout rule: <c>claimed_at + timeout_seconds</c>
/// is past), each with its id, type, priority, config, max attempts, attempts used, timeout and dependencies.
/// A stale claim's attempt stays counted, as the original counts it when it requeues a timed-out item.
/// Dependencies that completed in the source are dropped (they are met); an item whose dependency failed,
/// timed out, was cancelled or is not imported is left out, naming it, since it could never run. The items
/// come in an order where every dependency is added before its dependents, oldest first otherwise.
/// </summary>
public sealed class QueueImportPlan
{
    private static readonly HashSet<string> HeldStatuses = ["claimed", "running"];
    private static readonly HashSet<string> EndedStatuses = ["completed", "failed", "timeout", "cancelled"];

    /// <summary>The items to add, dependencies first.</summary>
    public required IReadOnlyList<NewWork> ToAdd { get; init; }

    /// <summary>Pending or claimed rows left out, in the table's order, each with its reason.</summary>
    public required IReadOnlyList<NotImported> Left { get; init; }

    /// <summary>Rows that had already ended in the source (completed, failed, timeout, cancelled), counted by status.</summary>
    public required IReadOnlyDictionary<string, int> Ended { get; init; }

    /// <param name="rows">The source's rows.</param>
    /// <param name="now">Unix seconds, to tell a claim that has run out.</param>
    /// <param name="allClaimed">Import every claimed and running item, run out or not (their workers have stopped).</param>
    public static QueueImportPlan Build(IReadOnlyList<OriginalWorkRow> rows, double now, bool allClaimed)
    {
        var bySource = rows.ToDictionary(r => r.WorkId, StringComparer.Ordinal);
        var position = rows.Select((row, index) => (row.WorkId, index)).ToDictionary(p => p.WorkId, p => p.index, StringComparer.Ordinal);
        var ended = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var left = new Dictionary<string, NotImported>(StringComparer.Ordinal);
        var candidates = new Dictionary<string, Candidate>(StringComparer.Ordinal);

        for (var index = 0; index < rows.Count; index++)
        {
            var row = rows[index];
            var status = row.Status;
            if (EndedStatuses.Contains(status))
            {
                ended[status] = ended.GetValueOrDefault(status) + 1;
                continue;
            }
            if (Refusal(row, status, now, allClaimed) is { } reason)
            {
                left[row.WorkId] = reason;
                continue;
            }
            try
            {
                var work = ToNewWork(row);
                if (work.Attempts >= work.MaxAttempts)
                {
                    left[row.WorkId] = new NotImported(row.WorkId, status, status == "pending"
                        ? $"has used all {work.MaxAttempts} of its attempts, so the original would never hand it out"
                        : $"its claim ran out on its last attempt ({work.Attempts} of {work.MaxAttempts}), so the original would mark it timeout");
                    continue;
                }
                candidates[row.WorkId] = new Candidate(work, status, Number(row, "created_at", 0), index);
            }
            catch (ArgumentException invalid)
            {
                left[row.WorkId] = new NotImported(row.WorkId, status, "invalid: " + invalid.Message, Invalid: true);
            }
        }

        DropMetDependencies(candidates, bySource, left);
        var order = DependenciesFirst(candidates, left);
        return new QueueImportPlan
        {
            ToAdd = order,
            Left = [.. left.Values.OrderBy(n => position[n.WorkId])],
            Ended = ended,
        };
    }

    /// <summary>Why a pending, claimed or running row is not a candidate; null when it is.</summary>
    private static NotImported? Refusal(OriginalWorkRow row, string status, double now, bool allClaimed)
    {
        if (status == "pending" || (HeldStatuses.Contains(status) && allClaimed)) return null;
        if (!HeldStatuses.Contains(status))
            return new(row.WorkId, status, $"invalid: status '{status}' is not one the original writes (pending, claimed, running, completed, failed, timeout, cancelled)", Invalid: true);
        try
        {
            var claimedAt = Number(row, "claimed_at", 0);
            var timeout = Number(row, "timeout_seconds", WorkDefaults.TimeoutSeconds);
            var holder = row.Text("claimed_by") is { Length: > 0 } by ? by : "no node";
            if (claimedAt <= 0)
                return new(row.WorkId, status, $"{status} by {holder} with no claim time, so its claim never runs out; --all-claimed imports it once its worker has stopped");
            var remaining = claimedAt + timeout - now;
            return remaining >= 0
                ? new(row.WorkId, status, $"{status} by {holder}; its claim runs out in {Math.Ceiling(remaining).ToString("0", CultureInfo.InvariantCulture)} s (then import again, or pass --all-claimed once its worker has stopped)")
                : null;
        }
        catch (ArgumentException invalid)
        {
            return new(row.WorkId, status, "invalid: " + invalid.Message, Invalid: true);
        }
    }

    /// <summary>The row as this queue's <see cref="NewWork"/>; throws <see cref="ArgumentException"/> naming a bad column.</summary>
    public static NewWork ToNewWork(OriginalWorkRow row)
    {
        var type = row.Text("work_type");
        if (!JobType.TryParse(type, out var workType))
            throw new ArgumentException($"work_type '{type}' is not {JobTypes.Allowed}", "work_type");
        var work = new NewWork
        {
            WorkId = row.WorkId,
            WorkType = workType,
            Priority = WholeNumber(row, "priority", WorkDefaults.Priority),
            Config = Json(row, "config") switch
            {
                null => null,
                JsonObject config => config,
                _ => throw new ArgumentException("config is not a JSON object", "config"),
            },
            MaxAttempts = WholeNumber(row, "max_attempts", WorkDefaults.MaxAttempts),
            Attempts = WholeNumber(row, "attempts", 0),
            TimeoutSeconds = Number(row, "timeout_seconds", WorkDefaults.TimeoutSeconds),
            DependsOn = Json(row, "depends_on") switch
            {
                null => WorkDependencies.None,
                JsonArray ids when ids.All(id => id is JsonValue v && v.TryGetValue<string>(out _)) => WorkDependencies.Of(ids.Select(id => id!.GetValue<string>())),
                _ => throw new ArgumentException("depends_on is not a JSON list of work ids", "depends_on"),
            },
        };
        if (work.Attempts < work.MaxAttempts) work.Validate();
        return work;
    }

    /// <summary>Drops dependencies that completed in the source; leaves out items whose dependency ended otherwise or is left out.</summary>
    private static void DropMetDependencies(Dictionary<string, Candidate> candidates,
        Dictionary<string, OriginalWorkRow> bySource, Dictionary<string, NotImported> left)
    {
        foreach (var (id, candidate) in candidates.ToList())
        {
            var kept = candidate.Work.DependsOn.Where(d => !(bySource.TryGetValue(d, out var dep) && dep.Status == "completed")).ToList();
            if (kept.FirstOrDefault(d => bySource.TryGetValue(d, out var dep) && EndedStatuses.Contains(dep.Status)) is { } endedDependency)
            {
                left[id] = new NotImported(id, candidate.Status,
                    $"depends on '{endedDependency}', which is {bySource[endedDependency].Status} in the source queue, so it could never run");
                candidates.Remove(id);
                continue;
            }
            candidates[id] = candidate with { Work = candidate.Work with { DependsOn = WorkDependencies.Of(kept) } };
        }
    }

    /// <summary>
    /// Kahn's order over the dependencies among candidates, oldest (created_at, then table order) first among
    /// the ready ones. Items depending on a left-out item, and items in a cycle, are left out.
    /// </summary>
    private static List<NewWork> DependenciesFirst(Dictionary<string, Candidate> candidates,
        Dictionary<string, NotImported> left)
    {
        // An item waiting on a left-out one is left out too, down the chain.
        for (var changed = true; changed;)
        {
            changed = false;
            foreach (var (id, candidate) in candidates.ToList())
            {
                if (candidate.Work.DependsOn.FirstOrDefault(left.ContainsKey) is not { } missing) continue;
                left[id] = new NotImported(id, candidate.Status, $"depends on '{missing}', which is not imported");
                candidates.Remove(id);
                changed = true;
            }
        }

        var waitingOn = candidates.ToDictionary(c => c.Key, c => c.Value.Work.DependsOn.Count(candidates.ContainsKey), StringComparer.Ordinal);
        var dependents = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (id, candidate) in candidates)
        {
            foreach (var dependency in candidate.Work.DependsOn.Where(candidates.ContainsKey))
                (dependents.TryGetValue(dependency, out var list) ? list : dependents[dependency] = []).Add(id);
        }

        var ready = new PriorityQueue<string, (double, int)>();
        foreach (var (id, _) in waitingOn.Where(w => w.Value == 0))
            ready.Enqueue(id, (candidates[id].CreatedAt, candidates[id].Index));
        var order = new List<NewWork>(candidates.Count);
        while (ready.TryDequeue(out var id, out _))
        {
            order.Add(candidates[id].Work);
            foreach (var dependent in dependents.GetValueOrDefault(id) ?? [])
            {
                if (--waitingOn[dependent] == 0)
                    ready.Enqueue(dependent, (candidates[dependent].CreatedAt, candidates[dependent].Index));
            }
        }
        foreach (var (id, _) in waitingOn.Where(w => w.Value > 0))
            left[id] = new NotImported(id, candidates[id].Status, "is in a dependency cycle in the source queue, so it could never run");
        return order;
    }

    private sealed record Candidate(NewWork Work, string Status, double CreatedAt, int Index);

    private static JsonNode? Json(OriginalWorkRow row, string column)
    {
        if (row.Text(column) is not { Length: > 0 } text) return null;
        try { return JsonNode.Parse(text); }
        catch (JsonException ex) { throw new ArgumentException($"{column} is not valid JSON: {ex.Message}", column); }
    }

    private static double Number(OriginalWorkRow row, string column, double fallback)
    {
        if (row.Text(column) is not { } text) return fallback;
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? value : throw new ArgumentException($"{column} '{text}' is not a number", column);
    }

    private static int WholeNumber(OriginalWorkRow row, string column, int fallback)
    {
        var value = Number(row, column, fallback);
        return value == Math.Floor(value) && value is >= int.MinValue and <= int.MaxValue
            ? (int)value : throw new ArgumentException($"{column} '{row.Text(column)}' is not a whole number", column);
    }
}
