using RingRift.P2P.Coordination;

namespace RingRift.P2P.Raft;

/// <summary>The JSON document of a state-machine snapshot (snake_case via P2PJson). <c>format_version</c> is written first. Version 1 has no <c>jobs</c>; version 2 adds it.</summary>
internal sealed record WorkQueueSnapshot
{
    public int FormatVersion { get; init; }
    public long LastAppliedIndex { get; init; }
    public int LastAppliedSlot { get; init; }
    public long LastVersion { get; init; }
    public int RecentCapacity { get; init; }
    public List<SnapshotItem>? Items { get; init; }
    /// <summary>Job assignments in ordinal job_id order; absent in format version 1 (no jobs then).</summary>
    public List<JobAssignment?>? Jobs { get; init; }
    public List<SnapshotCommand>? Recent { get; init; }
}

/// <summary>One item and, when claimed or running, its claim's token.</summary>
internal sealed record SnapshotItem(WorkItem Item, FencingToken? Token);

/// <summary>One remembered command id and its first result.</summary>
internal sealed record SnapshotCommand(string CommandId, WorkCommandResult Result);
