using RingRift.P2P.Coordination;
using RingRift.P2P.Models;
using RingRift.P2P.Scheduling;

namespace RingRift.P2P.Tests.Scheduling;

/// <summary>Synthetic nodes and items for the placement tables.</summary>
internal static class SchedulingFixtures
{
    public static readonly JobType[] AllTypes = [JobType.Selfplay, JobType.Training, JobType.Evaluation, JobType.Sync];

    public static NodeCandidate Node(string id, double power = 1.0, double load = 0.1, int gpuSlots = 4, int cpuSlots = 4,
        NodeHealth health = NodeHealth.Healthy, bool overloaded = false, JobType[]? caps = null, bool alive = true,
        int usedGpu = 0, int usedCpu = 0, JobType[]? cpuTypes = null) =>
        new(new NodeSummary
        {
            NodeId = id,
            GpuPower = power,
            GpuSlots = gpuSlots,
            CpuSlots = cpuSlots,
            Health = health,
            Resources = new ResourceSnapshot(0, 0, 0, 0, load, overloaded),
            Capabilities = caps ?? AllTypes,
            CpuJobTypes = cpuTypes ?? [],
        }, alive, usedGpu, usedCpu);

    public static WorkItem Item(string id, JobType type = default, int priority = 50, double createdAt = 1000) =>
        new() { WorkId = id, WorkType = type, Priority = priority, CreatedAt = createdAt };

    public static WorkItem[] Items(int count, JobType type = default, string prefix = "w") =>
        Enumerable.Range(0, count).Select(i => Item($"{prefix}{i:D3}", type, createdAt: 1000 + i)).ToArray();

    public static Dictionary<string, int> CountByNode(PlacementPlan plan) =>
        plan.Placements.GroupBy(p => p.NodeId).ToDictionary(g => g.Key, g => g.Count());
}
