using RingRift.P2P.Models;

namespace RingRift.P2P.Jobs;

/// <summary>Which of a node's slot pools a job occupies.</summary>
public enum SlotKind
{
    Gpu,
    Cpu,
}

/// <summary>
/// The slot rule every node and the dispatcher share: sync jobs take a CPU slot; self-play,
/// training and evaluation take a GPU slot on a node that has GPU slots, else a CPU slot.
/// </summary>
public static class JobSlots
{
    public static SlotKind KindOf(JobType type, int nodeGpuSlots) =>
        type == JobType.Sync || nodeGpuSlots <= 0 ? SlotKind.Cpu : SlotKind.Gpu;
}
