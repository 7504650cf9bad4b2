using RingRift.P2P.Coordination;

namespace RingRift.P2P.Raft;

/// <summary>The JSON document of a state-machine snapshot (snake_case via P2PJson). <c>format_version</c> is written first.</summary>
internal sealed record WorkQueueSnapshot
{
    public int FormatVersion { get; init; }
    public long LastAppliedIndex { get; init; }
    public int LastAppliedSlot { get; init; }
    public long LastVersion { get; init; }
    public int RecentCapacity { get; init; }
    public List<SnapshotItem>? Items { get; init; }
    public List<SnapshotCommand>? Recent { get; init; }
}

/// <summary>One item and, when claimed or running, its claim's token.</summary>
internal sealed record SnapshotItem(WorkItem Item, FencingToken? Token);

/// <summary>One remembered command id and its first result.</summary>
internal sealed record SnapshotCommand(string CommandId, WorkCommandResult Result);
