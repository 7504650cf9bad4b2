using RingRift.P2P.Models;
using RingRift.P2P.Scheduling;
using Xunit;
using static RingRift.P2P.Tests.Scheduling.SchedulingFixtures;

namespace RingRift.P2P.Tests.Scheduling;

/// <summary>Work types that are not built in are placed like self-play, on the nodes whose jobs files define them.</summary>
public sealed class CustomTypePlacementTests
{
    private const double LoadMax = 0.8;
    private static readonly JobType Gauntlet = JobType.Parse("gauntlet");
    private static readonly JobType CpuCmaes = JobType.Parse("cpu_cmaes");

    [Fact]
    public void A_custom_type_goes_only_to_nodes_that_list_it()
    {
        var plan = PlacementPlanner.Plan([Item("g1", Gauntlet), Item("g2", Gauntlet)],
            [Node("plain", power: 1.0), Node("arena", power: 0.5, caps: [JobType.Selfplay, Gauntlet])], LoadMax);

        Assert.All(plan.Placements, p => Assert.Equal("arena", p.NodeId));
        Assert.Equal(2, plan.Placements.Count);
        Assert.All(plan.Placements, p => Assert.Equal(PlacementRule.PowerLoadSpread, p.Rule));
    }

    [Fact]
    public void A_custom_type_no_alive_node_lists_is_reported_unplaced_not_dropped()
    {
        var plan = PlacementPlanner.Plan([Item("g1", Gauntlet), Item("s1")],
            [Node("plain"), Node("arena-down", caps: [Gauntlet], alive: false)], LoadMax);

        Assert.Equal("s1", Assert.Single(plan.Placements).WorkId);
        var unplaced = Assert.Single(plan.Unplaced);
        Assert.Equal((Gauntlet, UnplacedReason.NoCapableNode, 1), (unplaced.WorkType, unplaced.Reason, unplaced.Count));
        Assert.Equal(["g1"], unplaced.SampleWorkIds);
    }

    [Fact]
    public void A_type_the_node_runs_on_cpu_slots_takes_a_cpu_slot()
    {
        // one GPU slot, two CPU slots: three cpu_cmaes items fit only if they take CPU slots
        var node = Node("cpu-box", gpuSlots: 1, cpuSlots: 2, caps: [CpuCmaes], cpuTypes: [CpuCmaes]);

        var plan = PlacementPlanner.Plan([Item("c1", CpuCmaes), Item("c2", CpuCmaes), Item("c3", CpuCmaes)], [node], LoadMax);

        Assert.Equal(2, plan.Placements.Count);
        Assert.Equal(UnplacedReason.NoFreeSlot, Assert.Single(plan.Unplaced).Reason);
        Assert.Equal(RingRift.P2P.Jobs.SlotKind.Cpu, RingRift.P2P.Jobs.JobSlots.KindOf(CpuCmaes, node.Summary));
        Assert.Equal(RingRift.P2P.Jobs.SlotKind.Gpu, RingRift.P2P.Jobs.JobSlots.KindOf(Gauntlet, node.Summary));
    }
}
