using System.Text.Json.Serialization;
using RingRift.P2P.Coordination;

namespace RingRift.P2P.Raft;

/// <summary>How a command ended.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<WorkOutcome>))]
public enum WorkOutcome
{
    /// <summary>Applied (a claim that found nothing to claim is also Ok, with <c>Claimed</c> false).</summary>
    [JsonStringEnumMemberName("ok")] Ok = 0,
    /// <summary>No item has the id (HTTP 404).</summary>
    [JsonStringEnumMemberName("not_found")] NotFound = 1,
    /// <summary>ClaimWork of an item that exists but is not pending.</summary>
    [JsonStringEnumMemberName("not_claimable")] NotClaimable = 2,
    /// <summary>The token (or node) presented is not the current claim's (HTTP 409).</summary>
    [JsonStringEnumMemberName("fencing_mismatch")] FencingMismatch = 3,
    /// <summary>The item's status does not allow the action (HTTP 409).</summary>
    [JsonStringEnumMemberName("invalid_transition")] InvalidTransition = 4,
    /// <summary>AddWork with an id that exists (HTTP 409).</summary>
    [JsonStringEnumMemberName("duplicate")] Duplicate = 5,
    /// <summary>A field of the command is out of range (HTTP 400); nothing changed.</summary>
    [JsonStringEnumMemberName("invalid_command")] InvalidCommand = 6,
}

/// <summary>
/// What applying one command produced. Repeating a command id returns this same result.
/// </summary>
public sealed record WorkCommandResult
{
    public WorkOutcome Outcome { get; init; }
    /// <summary>The item after the change (or, for refusals, as it stands; null when not found, nothing was claimed, or a job command).</summary>
    public WorkItem? Item { get; init; }
    /// <summary>RequeueTimedOut: every item it changed, in work_id order. Empty otherwise.</summary>
    public IReadOnlyList<WorkItem> Items { get; set; } = [];
    /// <summary>ClaimWork / ClaimNext: whether this command won a claim.</summary>
    public bool Claimed { get; init; }
    /// <summary>The token of the claim this command won; null otherwise.</summary>
    public FencingToken? Token { get; init; }
    /// <summary>Job commands: the assignment after the change (or, for refusals, as it stands; null when not found or invalid). Null for work commands.</summary>
    public JobAssignment? Job { get; init; }
    /// <summary>PruneWork: how many items it dropped (written only when not 0).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int Pruned { get; init; }
    /// <summary>Why a command was refused; null when it was applied.</summary>
    public string? Message { get; init; }

    [JsonIgnore]
    public bool IsOk => Outcome == WorkOutcome.Ok;

    /// <summary>
    /// The exception the <see cref="IWorkQueue"/> contract raises for this refusal, or null when Ok:
    /// NotFound → <see cref="WorkNotFoundException"/>, Duplicate → <see cref="DuplicateWorkException"/>,
    /// InvalidCommand → <see cref="ArgumentException"/>, the rest → <see cref="WorkConflictException"/>.
    /// </summary>
    public Exception? ToException(string workId, string action) => Outcome switch
    {
        WorkOutcome.Ok => null,
        WorkOutcome.NotFound => new WorkNotFoundException(workId),
        WorkOutcome.Duplicate => new DuplicateWorkException(workId),
        WorkOutcome.InvalidCommand => new ArgumentException(Message),
        _ => new WorkConflictException(workId, action, Item?.Status ?? WorkStatus.Pending, Message),
    };

    /// <summary>
    /// The exception a job command's refusal raises, or null when Ok: NotFound → <see cref="JobNotFoundException"/>
    /// (a <see cref="KeyNotFoundException"/>), Duplicate → <see cref="DuplicateJobException"/>,
    /// InvalidCommand → <see cref="ArgumentException"/>, the rest → <see cref="JobConflictException"/>.
    /// </summary>
    public Exception? ToJobException(string jobId, string action) => Outcome switch
    {
        WorkOutcome.Ok => null,
        WorkOutcome.NotFound => new JobNotFoundException(jobId),
        WorkOutcome.Duplicate => new DuplicateJobException(jobId),
        WorkOutcome.InvalidCommand => new ArgumentException(Message),
        _ => new JobConflictException(jobId, action, Job?.Status, Message),
    };

    internal static WorkCommandResult JobOk(JobAssignment job) => new() { Outcome = WorkOutcome.Ok, Job = job };

    internal static WorkCommandResult JobRefused(WorkOutcome outcome, JobAssignment? job, string message) =>
        new() { Outcome = outcome, Job = job, Message = message };

    internal static WorkCommandResult Ok(WorkItem item) => new() { Outcome = WorkOutcome.Ok, Item = item };

    internal static WorkCommandResult Refused(WorkOutcome outcome, WorkItem? item, string message) =>
        new() { Outcome = outcome, Item = item, Message = message };
}
