using RingRift.P2P.Models;

namespace RingRift.P2P.Scheduling;

/// <summary>
/// One node as the placement planner sees it: what it advertises, whether membership believes it
/// alive, and how many of its slots are taken now (items claimed by it or running on it).
/// </summary>
/// <param name="Summary">The node's latest heartbeat summary (capabilities, health, load, GPU power, slot capacity).</param>
/// <param name="Alive">Membership's verdict; a node that is not alive gets nothing.</param>
/// <param name="UsedGpuSlots">GPU slots taken by claimed / running items (≥ 0; may exceed <see cref="NodeSummary.GpuSlots"/>, then none are free).</param>
/// <param name="UsedCpuSlots">CPU slots taken by claimed / running items (≥ 0; may exceed <see cref="NodeSummary.CpuSlots"/>).</param>
public sealed record NodeCandidate(NodeSummary Summary, bool Alive, int UsedGpuSlots = 0, int UsedCpuSlots = 0)
{
    public string NodeId => Summary.NodeId;
}
