using RingRift.P2P.Models;

namespace RingRift.P2P.Node.Jobs;

/// <summary>The job runner's state for <c>/status</c>: its running jobs, slot use and lifetime counters.</summary>
public sealed record JobRunnerSnapshot(
    IReadOnlyList<RunningJobInfo> Running,
    SlotUsage GpuSlots,
    SlotUsage CpuSlots,
    JobCounters Counters,
    IReadOnlyList<JobType> Capabilities,
    bool ProcessGroups);

/// <summary>One job this node is running (or starting, or stopping).</summary>
/// <param name="State"><c>starting</c>, <c>running</c>, <c>stopping</c> (signalled) or <c>finishing</c> (exited, reporting).</param>
/// <param name="Progress">The job's last reported progress, 0–1.</param>
/// <param name="StartedAt">Unix seconds when the process started.</param>
/// <param name="Gpu">GPU index of its slot; null on a CPU slot.</param>
public sealed record RunningJobInfo(
    string JobId,
    string WorkId,
    JobType WorkType,
    string State,
    int? Pid,
    double? Progress,
    double? StartedAt,
    string SlotKind,
    int? Gpu,
    string LogFile);

/// <summary>Slots of one kind: capacity and how many are taken.</summary>
public sealed record SlotUsage(int Total, int Used);

/// <summary>Counts since the runner started. Reattached jobs are not counted as started.</summary>
public sealed record JobCounters(long Started, long Completed, long Failed, long Cancelled, long TimedOut);
