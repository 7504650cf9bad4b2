namespace RingRift.P2P.Raft;

/// <summary>No job assignment has this id (HTTP 404). A <see cref="KeyNotFoundException"/>, so generic lookups catch it.</summary>
public sealed class JobNotFoundException(string jobId)
    : KeyNotFoundException($"job '{jobId}' does not exist")
{
    public string JobId { get; } = jobId;
}

/// <summary>A job with this id was already assigned (HTTP 409).</summary>
public sealed class DuplicateJobException(string jobId)
    : InvalidOperationException($"job '{jobId}' already exists")
{
    public string JobId { get; } = jobId;
}

/// <summary>
/// The job's status does not allow the action, or the node acting is not the assignee (HTTP 409).
/// <see cref="Status"/> is the job's status when the command was applied, null when unknown.
/// </summary>
public sealed class JobConflictException(string jobId, string action, JobAssignmentStatus? status, string? detail = null)
    : InvalidOperationException($"cannot {action} job '{jobId}'"
        + (status is { } s ? $": it is {s.ToString().ToLowerInvariant()}" : "")
        + (detail is null ? "" : $" ({detail})"))
{
    public string JobId { get; } = jobId;
    public string Action { get; } = action;
    public JobAssignmentStatus? Status { get; } = status;
}
