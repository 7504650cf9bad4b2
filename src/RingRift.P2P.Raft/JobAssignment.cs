using System.Text.Json.Nodes;
using RingRift.P2P.Models;

namespace RingRift.P2P.Raft;

/// <summary>
/// One job handed to one node, as replicated through the Raft log and sent on the wire
/// (snake_case JSON via <c>P2PJson.Options</c>). Times are Unix seconds taken from the
/// leader-stamped <see cref="WorkCommand.At"/> of the command that made the change.
/// </summary>
public sealed record JobAssignment
{
    /// <summary>Client-chosen id, 1–200 printable characters; unique for the life of the log.</summary>
    public required string JobId { get; init; }
    /// <summary>The node the job is assigned to (1–200 printable characters).</summary>
    public required string NodeId { get; init; }
    public required JobType JobType { get; init; }
    /// <summary>The work item this job runs, when it runs one; null otherwise.</summary>
    public string? WorkId { get; init; }
    /// <summary><see cref="JobAssignmentStatus.Assigned"/> when created.</summary>
    public JobAssignmentStatus Status { get; init; } = JobAssignmentStatus.Assigned;
    public double AssignedAt { get; init; }
    /// <summary>Set by a start; null when the job completed or failed straight from assigned.</summary>
    public double? StartedAt { get; init; }
    /// <summary>Set when the job completed or failed.</summary>
    public double? CompletedAt { get; init; }
    /// <summary>The failure reason of a failed job.</summary>
    public string? Error { get; init; }
    /// <summary>What a completed job reported, when it reported anything.</summary>
    public JsonObject? Result { get; init; }

    /// <summary>True while the job is assigned or running (it counts against its node's load).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsActive => Status is JobAssignmentStatus.Assigned or JobAssignmentStatus.Running;
}
