using System.Text.Json.Nodes;
using RingRift.P2P.Models;

namespace RingRift.P2P.Coordination;

/// <summary>
/// One unit of queued work, as stored and as sent on the wire (snake_case JSON).
/// Times are Unix seconds (fractional), like the original's <c>time.time()</c>. Treat an item as immutable (copy it
/// with <c>with</c>): the properties with a default are settable only so that JSON without them keeps the default
/// (generated contracts set every <c>init</c> property; dotnet/runtime#84484).
/// </summary>
public sealed record WorkItem
{
    public required string WorkId { get; init; }
    public required JobType WorkType { get; init; }
    /// <summary>0–100, higher first. 50 by default.</summary>
    public int Priority { get; set; } = WorkDefaults.Priority;
    /// <summary>Free-form job parameters: board_type, num_players, games, ….</summary>
    public JsonObject Config { get; set; } = new();
    public WorkStatus Status { get; init; } = WorkStatus.Pending;
    public string? ClaimedBy { get; init; }
    /// <summary>Number of claims so far; a claim counts as an attempt.</summary>
    public int Attempts { get; init; }
    public int MaxAttempts { get; set; } = WorkDefaults.MaxAttempts;
    public double TimeoutSeconds { get; set; } = WorkDefaults.TimeoutSeconds;
    public double CreatedAt { get; init; }
    public double? ClaimedAt { get; init; }
    public double? StartedAt { get; init; }
    public double? CompletedAt { get; init; }
    public JsonObject? Result { get; init; }
    public string? Error { get; init; }
    /// <summary>Work ids that must all complete before this item can be claimed; none by default.</summary>
    public WorkDependencies DependsOn { get; set; } = WorkDependencies.None;
    /// <summary>
    /// Monotonic per-item version, assigned by the queue on every change. Replicas keep the
    /// highest version they have seen of an item; the leader's epoch is in the high bits.
    /// </summary>
    public long Version { get; init; }
}

/// <summary>What a caller supplies to add work.</summary>
public sealed record NewWork
{
    /// <summary>Optional caller-chosen id; a fresh one is generated when null.</summary>
    public string? WorkId { get; init; }
    public required JobType WorkType { get; init; }
    public int Priority { get; init; } = WorkDefaults.Priority;
    public JsonObject? Config { get; init; }
    public int MaxAttempts { get; init; } = WorkDefaults.MaxAttempts;
    /// <summary>
    /// Attempts already used elsewhere (0 by default, below <see cref="MaxAttempts"/>): work moved from another
    /// queue keeps its count, so it fails for good after the attempts it has left.
    /// </summary>
    public int Attempts { get; init; }
    public double TimeoutSeconds { get; init; } = WorkDefaults.TimeoutSeconds;
    /// <summary>
    /// Work ids that must all complete before the item can be claimed; each must be in the queue when the
    /// item is added (and not failed or cancelled). When one fails for good or is cancelled, the item fails.
    /// </summary>
    public WorkDependencies DependsOn { get; init; } = WorkDependencies.None;

    /// <summary>
    /// What it takes to add <paramref name="item"/> again (type, priority, a copy of its config, max attempts,
    /// timeout, dependencies) under <paramref name="workId"/>, or under its own id: for moving work between queues.
    /// </summary>
    public static NewWork CopyOf(WorkItem item, string? workId = null) => new()
    {
        WorkId = workId ?? item.WorkId,
        WorkType = item.WorkType,
        Priority = item.Priority,
        Config = item.Config.DeepClone().AsObject(),
        MaxAttempts = item.MaxAttempts,
        TimeoutSeconds = item.TimeoutSeconds,
        DependsOn = item.DependsOn,
    };

    /// <summary>Throws <see cref="ArgumentException"/> naming the field when a value is out of range.</summary>
    public void Validate()
    {
        if (WorkId is not null && (WorkId.Length is 0 or > 200 || WorkId.Any(char.IsControl)))
            throw new ArgumentException($"work_id must be 1-200 printable characters, got '{WorkId}'", "work_id");
        if (Priority is < WorkDefaults.MinPriority or > WorkDefaults.MaxPriority)
            throw new ArgumentException($"priority must be between {WorkDefaults.MinPriority} and {WorkDefaults.MaxPriority}, got {Priority}", "priority");
        if (MaxAttempts is < 1 or > WorkDefaults.MaxMaxAttempts)
            throw new ArgumentException($"max_attempts must be between 1 and {WorkDefaults.MaxMaxAttempts}, got {MaxAttempts}", "max_attempts");
        if (Attempts < 0 || Attempts >= MaxAttempts)
            throw new ArgumentException($"attempts must be at least 0 and below max_attempts ({MaxAttempts}), got {Attempts}", "attempts");
        if (!double.IsFinite(TimeoutSeconds) || TimeoutSeconds <= 0 || TimeoutSeconds > WorkDefaults.MaxTimeoutSeconds)
            throw new ArgumentException($"timeout_seconds must be > 0 and <= {WorkDefaults.MaxTimeoutSeconds}, got {TimeoutSeconds}", "timeout_seconds");
        ArgumentNullException.ThrowIfNull(DependsOn, "depends_on");
        if (DependsOn.Count > WorkDependencies.MaxCount)
            throw new ArgumentException($"depends_on may list at most {WorkDependencies.MaxCount} work ids, got {DependsOn.Count}", "depends_on");
        foreach (var id in DependsOn)
        {
            if (id is null || id.Length is 0 or > 200 || id.Any(char.IsControl))
                throw new ArgumentException($"depends_on must hold work ids of 1-200 printable characters, got '{id}'", "depends_on");
            if (id == WorkId)
                throw new ArgumentException($"work item '{id}' cannot depend on itself", "depends_on");
        }
    }

    /// <summary>
    /// Why an item depending on <paramref name="dependencies"/> cannot be added, given each one's status
    /// (null when it is not in the queue): the first unknown id, or one that failed or was cancelled. Null when it can.
    /// </summary>
    public static string? RefuseDependencies(IEnumerable<string> dependencies, Func<string, WorkStatus?> statusOf)
    {
        foreach (var id in dependencies)
        {
            switch (statusOf(id))
            {
                case null: return $"depends_on names work item '{id}', which is not in the queue";
                case WorkStatus status and (WorkStatus.Failed or WorkStatus.Cancelled):
                    return $"depends_on names work item '{id}', which is {status.ToString().ToLowerInvariant()}: this item could never run";
            }
        }
        return null;
    }
}

/// <summary>Defaults and limits for work items (the seed's WorkItem defaults).</summary>
public static class WorkDefaults
{
    public const int Priority = 50;
    public const int MinPriority = 0;
    public const int MaxPriority = 100;
    public const int MaxAttempts = 3;
    public const int MaxMaxAttempts = 100;
    public const double TimeoutSeconds = 3600;
    public const double MaxTimeoutSeconds = 7 * 24 * 3600;
}
