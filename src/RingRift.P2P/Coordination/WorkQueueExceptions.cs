namespace RingRift.P2P.Coordination;

/// <summary>No work item has this id. Maps to HTTP 404 WORK_NOT_FOUND.</summary>
public sealed class WorkNotFoundException(string workId)
    : Exception($"work item '{workId}' does not exist")
{
    public string WorkId { get; } = workId;
}

/// <summary>
/// The requested transition is not allowed from the item's current state (start of an unclaimed
/// item, complete of a pending one, a node acting on an item another node holds).
/// Maps to HTTP 409 INVALID_TRANSITION.
/// </summary>
public sealed class WorkConflictException(string workId, string action, WorkStatus status, string? detail = null)
    : Exception($"cannot {action} work item '{workId}': it is {status.ToString().ToLowerInvariant()}" + (detail is null ? "" : $" ({detail})"))
{
    public string WorkId { get; } = workId;
    public string Action { get; } = action;
    public WorkStatus Status { get; } = status;
}

/// <summary>An item with this id already exists. Maps to HTTP 409 DUPLICATE_WORK_ID.</summary>
public sealed class DuplicateWorkException(string workId)
    : Exception($"work item '{workId}' already exists")
{
    public string WorkId { get; } = workId;
}
