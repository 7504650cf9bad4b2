using System.Text.Json.Nodes;
using RingRift.P2P.Models;

namespace RingRift.P2P.Raft;

/// <summary>
/// Job-to-node assignment tracking replicated through the Raft log (the seed's
/// <c>ReplicatedJobAssignments</c>): assign / start / complete / fail go through
/// <see cref="IWorkCommandLog.SubmitAsync"/>, reads through the linearizable
/// <see cref="IWorkCommandLog.ReadAsync{T}"/>. Each write gets a fresh command id (a GUID in "N"
/// form) and <see cref="WorkCommand.At"/> = the log's clock in Unix seconds.
/// </summary>
/// <remarks>
/// Refusals throw as <see cref="WorkCommandResult.ToJobException"/> maps them:
/// <see cref="JobNotFoundException"/> (a <see cref="KeyNotFoundException"/>),
/// <see cref="DuplicateJobException"/>, <see cref="JobConflictException"/> (wrong status or wrong
/// node) and <see cref="ArgumentException"/> (a bad field). <see cref="NotRaftLeaderException"/>
/// from the log passes through. Returned assignments are copies: mutating their Result does not
/// touch the replicated state.
/// </remarks>
public sealed class ReplicatedJobAssignments
{
    private readonly IWorkCommandLog _log;

    public ReplicatedJobAssignments(IWorkCommandLog log)
    {
        ArgumentNullException.ThrowIfNull(log);
        _log = log;
    }

    /// <summary>Assigns new job <paramref name="jobId"/> to <paramref name="nodeId"/>; the job starts as assigned.</summary>
    public Task<JobAssignment> AssignJobAsync(string jobId, string nodeId, JobType jobType, string? workId = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(jobId);
        ArgumentNullException.ThrowIfNull(nodeId);
        return SubmitAsync(new AssignJob(WorkCommand.NewCommandId(), Now(), jobId, nodeId, jobType, workId), jobId, "assign", ct);
    }

    /// <summary>assigned → running; <paramref name="nodeId"/>, when given, must be the assignee.</summary>
    public Task<JobAssignment> StartJobAsync(string jobId, string? nodeId = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(jobId);
        return SubmitAsync(new StartJob(WorkCommand.NewCommandId(), Now(), jobId, nodeId), jobId, "start", ct);
    }

    /// <summary>assigned | running → completed with <paramref name="result"/>; <paramref name="nodeId"/>, when given, must be the assignee.</summary>
    public Task<JobAssignment> CompleteJobAsync(string jobId, JsonObject? result = null, string? nodeId = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(jobId);
        return SubmitAsync(new CompleteJob(WorkCommand.NewCommandId(), Now(), jobId, (JsonObject?)result?.DeepClone(), nodeId), jobId, "complete", ct);
    }

    /// <summary>assigned | running → failed with <paramref name="error"/>; <paramref name="nodeId"/>, when given, must be the assignee.</summary>
    public Task<JobAssignment> FailJobAsync(string jobId, string error, string? nodeId = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(jobId);
        ArgumentNullException.ThrowIfNull(error);
        return SubmitAsync(new FailJob(WorkCommand.NewCommandId(), Now(), jobId, error, nodeId), jobId, "fail", ct);
    }

    /// <summary>The assignment, or null when no job has the id.</summary>
    public Task<JobAssignment?> GetJobAsync(string jobId, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(jobId);
        return _log.ReadAsync(machine => machine.GetJob(jobId) is { } job ? Copy(job) : null, ct);
    }

    /// <summary>Every job ever assigned to <paramref name="nodeId"/>, any status, in ordinal job_id order.</summary>
    public Task<IReadOnlyList<JobAssignment>> GetJobsForNodeAsync(string nodeId, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(nodeId);
        return _log.ReadAsync<IReadOnlyList<JobAssignment>>(machine => machine.JobsForNode(nodeId).Select(Copy).ToList(), ct);
    }

    /// <summary>Jobs assigned or running, over all nodes.</summary>
    public Task<int> GetActiveCountAsync(CancellationToken ct = default) =>
        _log.ReadAsync(machine => machine.ActiveJobCount, ct);

    /// <summary>Counts by status (assigned, running, completed, failed) and the active count per node.</summary>
    public Task<JobAssignmentStats> GetStatsAsync(CancellationToken ct = default) =>
        _log.ReadAsync(machine => machine.JobStats(), ct);

    private async Task<JobAssignment> SubmitAsync(WorkCommand command, string jobId, string action, CancellationToken ct)
    {
        var result = await _log.SubmitAsync(command, ct).ConfigureAwait(false);
        if (result.ToJobException(jobId, action) is { } refused)
            throw refused;
        return Copy(result.Job ?? throw new InvalidOperationException(
            $"the log applied {action} of job '{jobId}' (command {command.CommandId}) but returned no job; is the state machine older than this client?"));
    }

    private double Now() => _log.UnixNow();


    private static JobAssignment Copy(JobAssignment job) =>
        job.Result is null ? job : job with { Result = (JsonObject)job.Result.DeepClone() };
}
