namespace RingRift.P2P.Raft;

public sealed partial class WorkQueueStateMachine
{
    private readonly JobAssignmentTable _jobs = new();

    /// <summary>Number of job assignments, any status.</summary>
    public int JobCount => _jobs.Count;

    /// <summary>Jobs assigned or running, over all nodes.</summary>
    public int ActiveJobCount => _jobs.ActiveCount;

    /// <summary>The assignment, or null. Returned records are shared with the state: do not mutate their Result.</summary>
    public JobAssignment? GetJob(string jobId)
    {
        ArgumentNullException.ThrowIfNull(jobId);
        return _jobs.Get(jobId);
    }

    /// <summary>Every job ever assigned to <paramref name="nodeId"/>, any status, in ordinal job_id order (empty for an unknown node).</summary>
    public IReadOnlyList<JobAssignment> JobsForNode(string nodeId)
    {
        ArgumentNullException.ThrowIfNull(nodeId);
        return _jobs.ForNode(nodeId);
    }

    /// <summary>Counts by status and the active count per node.</summary>
    public JobAssignmentStats JobStats() => _jobs.Stats();
}
