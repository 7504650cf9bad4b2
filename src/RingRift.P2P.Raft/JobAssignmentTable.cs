using System.Text.Json.Nodes;
using RingRift.P2P.Models;

namespace RingRift.P2P.Raft;

/// <summary>
/// The job assignments held by a <see cref="WorkQueueStateMachine"/>: every assignment by job id,
/// the job ids of each node, the count per status and the active (assigned + running) count per
/// node. Pure and deterministic like the machine: times come from the commands, iteration is in
/// ordinal id order. Not thread-safe (the machine's applier owns it).
/// </summary>
/// <remarks>
/// Refusal order for start / complete / fail: a bad field (InvalidCommand), an unknown job
/// (NotFound), a status that does not allow the action (InvalidTransition), a node that is not the
/// assignee (FencingMismatch). Refusals change nothing and carry the job as it stands.
/// </remarks>
internal sealed class JobAssignmentTable
{
    /// <summary>Longest job_id, node_id or work_id: 200 characters (the work queue's work_id limit).</summary>
    public const int MaxIdLength = 200;

    private static readonly int StatusCount = Enum.GetValues<JobAssignmentStatus>().Length;

    private readonly Dictionary<string, JobAssignment> _jobs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SortedSet<string>> _jobsByNode = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, int> _activeByNode = new(StringComparer.Ordinal);
    private readonly int[] _counts = new int[StatusCount];

    public int Count => _jobs.Count;

    public int ActiveCount => _counts[(int)JobAssignmentStatus.Assigned] + _counts[(int)JobAssignmentStatus.Running];

    public JobAssignment? Get(string jobId) => _jobs.GetValueOrDefault(jobId);

    /// <summary>Every job ever assigned to the node, any status, in ordinal job_id order.</summary>
    public IReadOnlyList<JobAssignment> ForNode(string nodeId) =>
        _jobsByNode.TryGetValue(nodeId, out var ids) ? ids.Select(id => _jobs[id]).ToList() : [];

    /// <summary>All assignments in ordinal job_id order (the snapshot order).</summary>
    public IEnumerable<JobAssignment> InJobIdOrder() => _jobs.Values.OrderBy(job => job.JobId, StringComparer.Ordinal);

    public JobAssignmentStats Stats() => new()
    {
        Assigned = _counts[(int)JobAssignmentStatus.Assigned],
        Running = _counts[(int)JobAssignmentStatus.Running],
        Completed = _counts[(int)JobAssignmentStatus.Completed],
        Failed = _counts[(int)JobAssignmentStatus.Failed],
        ByNode = new Dictionary<string, int>(_activeByNode, StringComparer.Ordinal),
    };

    public WorkCommandResult Assign(AssignJob assign)
    {
        if (BadId(assign.JobId, "job_id") is { } badJob)
            return Invalid(badJob);
        if (BadId(assign.NodeId, "node_id") is { } badNode)
            return Invalid(badNode);
        if (assign.WorkId is not null && BadId(assign.WorkId, "work_id") is { } badWork)
            return Invalid(badWork);
        if (_jobs.TryGetValue(assign.JobId, out var existing))
            return WorkCommandResult.JobRefused(WorkOutcome.Duplicate, existing, $"job '{existing.JobId}' already exists");

        return WorkCommandResult.JobOk(Store(null, new JobAssignment
        {
            JobId = assign.JobId,
            NodeId = assign.NodeId,
            JobType = assign.JobType,
            WorkId = assign.WorkId,
            AssignedAt = assign.At,
        }));
    }

    public WorkCommandResult Start(StartJob start)
    {
        if (Check(start.JobId, "start", start.NodeId, onlyAssigned: true, out var job) is { } refused)
            return refused;
        return WorkCommandResult.JobOk(Store(job, job with { Status = JobAssignmentStatus.Running, StartedAt = start.At }));
    }

    public WorkCommandResult Complete(CompleteJob complete)
    {
        if (Check(complete.JobId, "complete", complete.NodeId, onlyAssigned: false, out var job) is { } refused)
            return refused;
        return WorkCommandResult.JobOk(Store(job, job with
        {
            Status = JobAssignmentStatus.Completed,
            CompletedAt = complete.At,
            Result = (JsonObject?)complete.Result?.DeepClone(),
        }));
    }

    public WorkCommandResult Fail(FailJob fail)
    {
        if (fail.Error is null)
            return Invalid("error must be given");
        if (Check(fail.JobId, "fail", fail.NodeId, onlyAssigned: false, out var job) is { } refused)
            return refused;
        return WorkCommandResult.JobOk(Store(job, job with
        {
            Status = JobAssignmentStatus.Failed,
            CompletedAt = fail.At,
            Error = fail.Error,
        }));
    }

    /// <summary>Adds one assignment read from a snapshot; throws <see cref="InvalidDataException"/> naming jobs[<paramref name="index"/>] when it is not one this table could hold.</summary>
    public void Restore(JobAssignment? job, int index)
    {
        if (job is null)
            throw new InvalidDataException($"snapshot jobs[{index}] is null");
        if ((BadId(job.JobId, "job_id") ?? BadId(job.NodeId, "node_id") ?? (job.WorkId is null ? null : BadId(job.WorkId, "work_id"))) is { } bad)
            throw new InvalidDataException($"snapshot jobs[{index}]: {bad}");
        if (!Enum.IsDefined(job.Status))
            throw new InvalidDataException($"snapshot jobs[{index}] ('{job.JobId}') has status {(int)job.Status}, not a known value");
        if (_jobs.ContainsKey(job.JobId))
            throw new InvalidDataException($"snapshot jobs[{index}] repeats job_id '{job.JobId}'");
        Store(null, job);
    }

    /// <summary>The refusal for start / complete / fail, or null when allowed (order in the class remarks).</summary>
    private WorkCommandResult? Check(string jobId, string action, string? nodeId, bool onlyAssigned, out JobAssignment job)
    {
        job = null!;
        if (string.IsNullOrEmpty(jobId))
            return Invalid($"job_id must be non-empty, got '{jobId}'");
        if (nodeId is not null && BadId(nodeId, "node_id") is { } badNode)
            return Invalid(badNode);
        if (!_jobs.TryGetValue(jobId, out var found))
            return WorkCommandResult.JobRefused(WorkOutcome.NotFound, null, $"job '{jobId}' does not exist");
        job = found;
        var allowed = onlyAssigned ? found.Status == JobAssignmentStatus.Assigned : found.IsActive;
        if (!allowed)
        {
            return WorkCommandResult.JobRefused(WorkOutcome.InvalidTransition, found,
                $"job '{jobId}' is {Name(found.Status)}; only {(onlyAssigned ? "assigned jobs" : "assigned or running jobs")} can {action}");
        }

        if (nodeId is not null && nodeId != found.NodeId)
            return WorkCommandResult.JobRefused(WorkOutcome.FencingMismatch, found, $"job '{jobId}' is assigned to '{found.NodeId}', not '{nodeId}'");
        return null;
    }

    /// <summary>Replaces (or inserts) a job, keeping the status counts and the per-node indexes in step.</summary>
    private JobAssignment Store(JobAssignment? old, JobAssignment updated)
    {
        if (old is not null)
        {
            _counts[(int)old.Status]--;
            if (old.IsActive)
                AddActive(old.NodeId, -1);
        }
        _counts[(int)updated.Status]++;
        if (updated.IsActive)
            AddActive(updated.NodeId, +1);
        if (!_jobsByNode.TryGetValue(updated.NodeId, out var ids))
            _jobsByNode[updated.NodeId] = ids = new SortedSet<string>(StringComparer.Ordinal);
        ids.Add(updated.JobId);
        _jobs[updated.JobId] = updated;
        return updated;
    }

    private void AddActive(string nodeId, int delta)
    {
        var count = _activeByNode.GetValueOrDefault(nodeId) + delta;
        if (count == 0)
            _activeByNode.Remove(nodeId);
        else
            _activeByNode[nodeId] = count;
    }

    /// <summary>Null when <paramref name="value"/> is 1–200 printable characters, else the message naming <paramref name="field"/>.</summary>
    private static string? BadId(string? value, string field) =>
        value is null || value.Length is 0 or > MaxIdLength || value.Any(char.IsControl)
            ? $"{field} must be 1-{MaxIdLength} printable characters, got '{value}'"
            : null;

    private static WorkCommandResult Invalid(string message) =>
        WorkCommandResult.JobRefused(WorkOutcome.InvalidCommand, null, message);

    private static string Name(JobAssignmentStatus status) => status.ToString().ToLowerInvariant();
}
