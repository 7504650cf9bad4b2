using System.Text.Json.Nodes;
using RingRift.P2P.Models;

namespace RingRift.P2P.Raft;

/// <summary>
/// Creates the assignment <see cref="JobId"/> of <see cref="JobType"/> on <see cref="NodeId"/>,
/// optionally running work item <see cref="WorkId"/>. A job id already used is refused
/// (<see cref="WorkOutcome.Duplicate"/>), whatever that job's status.
/// </summary>
public sealed record AssignJob(string CommandId, double At, string JobId, string NodeId, JobType JobType, string? WorkId)
    : WorkCommand(CommandId, At);

/// <summary>assigned → running. <see cref="NodeId"/>, when given, must be the assignee.</summary>
public sealed record StartJob(string CommandId, double At, string JobId, string? NodeId) : WorkCommand(CommandId, At);

/// <summary>assigned | running → completed, keeping <see cref="Result"/>. <see cref="NodeId"/>, when given, must be the assignee.</summary>
public sealed record CompleteJob(string CommandId, double At, string JobId, JsonObject? Result, string? NodeId) : WorkCommand(CommandId, At);

/// <summary>assigned | running → failed, keeping <see cref="Error"/>. <see cref="NodeId"/>, when given, must be the assignee.</summary>
public sealed record FailJob(string CommandId, double At, string JobId, string Error, string? NodeId) : WorkCommand(CommandId, At);
