using RingRift.P2P.Models;

namespace RingRift.P2P.Jobs;

/// <summary>Which of a node's slot pools a job occupies.</summary>
public enum SlotKind
{
    Gpu,
    Cpu,
}

/// <summary>
/// The slot rule every node and the dispatcher share: sync jobs, and the types a node's jobs file runs
/// on CPU slots (<c>slots: cpu</c>), take a CPU slot; every other type takes a GPU slot on a node that
/// has GPU slots, else a CPU slot.
/// </summary>
public static class JobSlots
{
    public static SlotKind KindOf(JobType type, int nodeGpuSlots, IReadOnlyCollection<JobType>? cpuTypes = null) =>
        type == JobType.Sync || nodeGpuSlots <= 0 || (cpuTypes?.Contains(type) ?? false) ? SlotKind.Cpu : SlotKind.Gpu;

    /// <summary>The kind of slot <paramref name="type"/> takes on the node <paramref name="node"/> describes.</summary>
    public static SlotKind KindOf(JobType type, NodeSummary node) => KindOf(type, node.GpuSlots, node.CpuJobTypes);
}
