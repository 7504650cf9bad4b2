using RingRift.P2P.Coordination;
using RingRift.P2P.Models;
using RingRift.P2P.Scheduling;
using Xunit;
using static RingRift.P2P.Tests.Scheduling.SchedulingFixtures;

namespace RingRift.P2P.Tests.Scheduling;

/// <summary>Placement rules of issue 5 "Dispatch (leader)", as table tests over synthetic nodes.</summary>
public sealed class PlacementPlannerTests
{
    private const double LoadMax = 0.8;

    private static PlacementPlan Plan(IReadOnlyList<WorkItem> items, params NodeCandidate[] nodes) =>
        PlacementPlanner.Plan(items, nodes, LoadMax);

    private static string? OnlyNode(PlacementPlan plan) => Assert.Single(plan.Placements).NodeId;

    // ---------------------------------------------------------------- eligibility

    public static TheoryData<string, NodeCandidate, UnplacedReason> IneligibleNodes => new()
    {
        { "lacks the capability", Node("n", caps: [JobType.Sync]), UnplacedReason.NoCapableNode },
        { "not alive", Node("n", alive: false), UnplacedReason.NoCapableNode },
        { "degraded", Node("n", health: NodeHealth.Degraded), UnplacedReason.NoHealthyNode },
        { "unhealthy", Node("n", health: NodeHealth.Unhealthy), UnplacedReason.NoHealthyNode },
        { "offline", Node("n", health: NodeHealth.Offline), UnplacedReason.NoHealthyNode },
        { "overloaded", Node("n", overloaded: true), UnplacedReason.AllOverloaded },
        { "load at the max", Node("n", load: LoadMax), UnplacedReason.AllOverloaded },
        { "load above the max", Node("n", load: 0.95), UnplacedReason.AllOverloaded },
        { "GPU slots all used", Node("n", gpuSlots: 2, usedGpu: 2), UnplacedReason.NoFreeSlot },
        { "more GPU slots used than it has", Node("n", gpuSlots: 2, usedGpu: 5), UnplacedReason.NoFreeSlot },
        { "GPU node with only CPU slots free", Node("n", gpuSlots: 1, usedGpu: 1, cpuSlots: 8), UnplacedReason.NoFreeSlot },
        { "CPU-only node with no CPU slots", Node("n", gpuSlots: 0, cpuSlots: 0), UnplacedReason.NoFreeSlot },
    };

    [Theory]
    [MemberData(nameof(IneligibleNodes))]
    public void SelfPlay_IsNotPlacedOnAnIneligibleNode_AndTheReasonSaysWhy(string why, NodeCandidate node, UnplacedReason reason)
    {
        var plan = Plan([Item("w1")], node);

        Assert.True(plan.Placements.Count == 0, why);
        var group = Assert.Single(plan.Unplaced);
        Assert.Equal((JobType.Selfplay, reason, 1), (group.WorkType, group.Reason, group.Count));
        Assert.Equal(["w1"], group.SampleWorkIds);
    }

    [Fact]
    public void LoadJustBelowTheMax_IsAccepted() =>
        Assert.Equal("n", OnlyNode(Plan([Item("w1")], Node("n", load: LoadMax - 1e-9))));

    [Fact]
    public void EligibleNode_IsChosenOverIneligibleOnesThatWouldScoreHigher()
    {
        var plan = Plan([Item("w1")],
            Node("dead", power: 1.2, alive: false),
            Node("busy", power: 1.2, load: 0.85),
            Node("sick", power: 1.2, health: NodeHealth.Unhealthy),
            Node("full", power: 1.2, gpuSlots: 1, usedGpu: 1),
            Node("nocap", power: 1.2, caps: [JobType.Training]),
            Node("ok", power: 0.1));

        Assert.Equal("ok", OnlyNode(plan));
    }

    [Fact]
    public void Reasons_AreCheckedInOrder_CapabilityThenHealthThenLoadThenSlots()
    {
        // One healthy-but-full node outranks the overloaded and unhealthy ones: the reason is the slot.
        var plan = Plan([Item("w1")],
            Node("sick", health: NodeHealth.Unhealthy),
            Node("hot", overloaded: true),
            Node("full", gpuSlots: 1, usedGpu: 1));

        Assert.Equal(UnplacedReason.NoFreeSlot, Assert.Single(plan.Unplaced).Reason);
    }

    // ---------------------------------------------------------------- slot kinds

    [Fact]
    public void CpuOnlyNode_RunsSelfPlayInACpuSlot()
    {
        var plan = Plan(Items(3), Node("cpu", power: 0.1, gpuSlots: 0, cpuSlots: 2));

        Assert.Equal(2, plan.Placements.Count);
        Assert.Equal(UnplacedReason.NoFreeSlot, Assert.Single(plan.Unplaced).Reason);
    }

    [Fact]
    public void Sync_TakesACpuSlot_EvenWhenTheGpuSlotsAreFull()
    {
        var node = Node("n", gpuSlots: 1, usedGpu: 1, cpuSlots: 1);

        var plan = Plan([Item("s1", JobType.Sync), Item("p1")], node);

        Assert.Equal("s1", Assert.Single(plan.Placements).WorkId);
        Assert.Equal(JobType.Selfplay, Assert.Single(plan.Unplaced).WorkType);
    }

    [Fact]
    public void GpuJobsOfEveryType_ShareTheGpuPool()
    {
        // Two GPU slots: training takes one, self-play the other, evaluation finds none.
        var plan = Plan([Item("t", JobType.Training, priority: 90), Item("p", priority: 80), Item("e", JobType.Evaluation, priority: 70)],
            Node("n", gpuSlots: 2, cpuSlots: 8));

        Assert.Equal(["t", "p"], plan.Placements.Select(p => p.WorkId));
        var group = Assert.Single(plan.Unplaced);
        Assert.Equal((JobType.Evaluation, UnplacedReason.NoFreeSlot), (group.WorkType, group.Reason));
    }

    [Fact]
    public void UsedSlots_ReduceWhatTheRoundMayPlace()
    {
        var plan = Plan(Items(5), Node("n", gpuSlots: 4, usedGpu: 1));

        Assert.Equal(3, plan.Placements.Count);
        Assert.Equal(2, Assert.Single(plan.Unplaced).Count);
    }

    [Fact]
    public void SlotsTakenEarlierInTheRound_AreNotGivenAgain()
    {
        var plan = Plan(Items(7), Node("a", gpuSlots: 2), Node("b", gpuSlots: 3));

        Assert.Equal(new Dictionary<string, int> { ["a"] = 2, ["b"] = 3 }, CountByNode(plan));
        var group = Assert.Single(plan.Unplaced);
        Assert.Equal((UnplacedReason.NoFreeSlot, 2), (group.Reason, group.Count));
        Assert.Equal(["w005", "w006"], group.SampleWorkIds); // the two lowest in priority order
    }

    // ---------------------------------------------------------------- training

    [Fact]
    public void Training_GoesToTheHighestGpuPower()
    {
        var plan = Plan([Item("t", JobType.Training)],
            Node("a100", power: 0.8, load: 0.0),
            Node("gh200", power: 1.2, load: 0.7),
            Node("h100", power: 1.0, load: 0.0));

        var placement = Assert.Single(plan.Placements);
        Assert.Equal(("gh200", PlacementRule.HighestGpuPower, 1.2), (placement.NodeId, placement.Rule, placement.Score));
    }

    [Fact]
    public void Training_TieOnPower_GoesToTheLowerLoad() =>
        Assert.Equal("cool", OnlyNode(Plan([Item("t", JobType.Training)], Node("hot", load: 0.5), Node("cool", load: 0.2))));

    [Fact]
    public void Training_TieOnPowerAndLoad_GoesToTheLowerNodeId() =>
        Assert.Equal("node-a", OnlyNode(Plan([Item("t", JobType.Training)], Node("node-b"), Node("node-a"), Node("node-c"))));

    [Fact]
    public void Training_SkipsAStrongerNodeThatCannotTrain() =>
        Assert.Equal("h100", OnlyNode(Plan([Item("t", JobType.Training)],
            Node("gh200", power: 1.2, caps: [JobType.Selfplay]),
            Node("h100", power: 1.0))));

    [Fact]
    public void SeveralTrainings_FillTheStrongestNodeThenTheNext()
    {
        var plan = Plan(Items(3, JobType.Training), Node("strong", power: 1.0, gpuSlots: 2), Node("weak", power: 0.5, gpuSlots: 2));

        Assert.Equal(["strong", "strong", "weak"], plan.Placements.Select(p => p.NodeId));
    }

    // ---------------------------------------------------------------- self-play / evaluation spread

    [Fact]
    public void SelfPlay_SpreadsRoughlyInProportionToPower()
    {
        // score = power·(1−load)·free/total, 10 slots each, load 0: a runs 1.0, .9, … .5; b joins at .5 —
        // ties go to the lower node id — and the round ends 7 : 3 (the closest split to 2 : 1).
        var plan = Plan(Items(10), Node("a", power: 1.0, load: 0, gpuSlots: 10), Node("b", power: 0.5, load: 0, gpuSlots: 10));

        Assert.Equal(new Dictionary<string, int> { ["a"] = 7, ["b"] = 3 }, CountByNode(plan));
    }

    [Theory]
    [InlineData("selfplay")]
    [InlineData("evaluation")]
    public void Spread_DiscountsLoad(string typeName)
    {
        var type = JobType.Parse(typeName);
        // 1.0·(1−0.6) = 0.4 < 0.5·(1−0) = 0.5
        var plan = Plan([Item("w", type)], Node("fast-but-busy", power: 1.0, load: 0.6), Node("slow-idle", power: 0.5, load: 0));

        var placement = Assert.Single(plan.Placements);
        Assert.Equal(("slow-idle", PlacementRule.PowerLoadSpread), (placement.NodeId, placement.Rule));
        Assert.Equal(0.5, placement.Score, precision: 12);
    }

    [Fact]
    public void Spread_DiscountsWhatTheNodeAlreadyRuns()
    {
        // a: 1.0·1·(1/4) = 0.25 (three of four slots used); b: 0.5·1·(4/4) = 0.5
        var plan = Plan([Item("w")], Node("a", power: 1.0, load: 0, usedGpu: 3), Node("b", power: 0.5, load: 0));

        Assert.Equal("b", OnlyNode(plan));
    }

    [Fact]
    public void SelfPlay_AcrossManyEqualNodes_IsEven()
    {
        var nodes = Enumerable.Range(0, 4).Select(i => Node($"n{i}", gpuSlots: 8)).ToArray();

        var plan = Plan(Items(12), nodes);

        Assert.All(CountByNode(plan).Values, count => Assert.Equal(3, count));
    }

    // ---------------------------------------------------------------- sync

    [Fact]
    public void Sync_GoesToTheNodeWithMostFreeCpuSlots()
    {
        var plan = Plan([Item("s", JobType.Sync)],
            Node("fast", power: 1.2, cpuSlots: 2),
            Node("roomy", power: 0.1, cpuSlots: 8, usedCpu: 3),
            Node("tight", power: 1.0, cpuSlots: 4));

        var placement = Assert.Single(plan.Placements);
        Assert.Equal(("roomy", PlacementRule.MostFreeCpuSlots, 5.0), (placement.NodeId, placement.Rule, placement.Score));
    }

    [Fact]
    public void Syncs_AlternateAsFreeSlotsEvenOut()
    {
        var plan = Plan(Items(4, JobType.Sync), Node("a", cpuSlots: 4), Node("b", cpuSlots: 2));

        // free a:b = 4:2 → a; 3:2 → a; 2:2 (equal load) → a by id; 1:2 → b.
        Assert.Equal(["a", "a", "a", "b"], plan.Placements.Select(p => p.NodeId));
    }

    // ---------------------------------------------------------------- priority order

    [Fact]
    public void Items_ArePlacedHighestPriorityFirst_ThenOldest_ThenById()
    {
        WorkItem[] items =
        [
            Item("low", priority: 10, createdAt: 1),
            Item("high-new", priority: 90, createdAt: 500),
            Item("high-old", priority: 90, createdAt: 100),
            Item("mid-b", priority: 50, createdAt: 7),
            Item("mid-a", priority: 50, createdAt: 7),
        ];

        var plan = Plan(items, Node("n", gpuSlots: 4));

        Assert.Equal(["high-old", "high-new", "mid-a", "mid-b"], plan.Placements.Select(p => p.WorkId));
        Assert.Equal(["low"], Assert.Single(plan.Unplaced).SampleWorkIds);
    }

    [Fact]
    public void Plan_IsTheSameForAnyInputOrder()
    {
        var random = new Random(1234);
        var nodes = Enumerable.Range(0, 20).Select(i => Node($"n{i:D2}", power: random.Next(1, 13) / 10.0, load: random.Next(0, 9) / 10.0,
            gpuSlots: random.Next(0, 4), cpuSlots: random.Next(1, 4))).ToArray();
        JobType[] types = [.. JobTypes.All, JobType.Parse("gauntlet")];
        var items = Enumerable.Range(0, 80).Select(i => Item($"w{i:D2}", types[i % 5], priority: random.Next(0, 3) * 10, createdAt: random.Next(0, 5))).ToArray();

        var first = Plan(items, nodes);
        var second = Plan(items.Reverse().ToArray(), nodes.OrderBy(_ => random.Next()).ToArray());

        Assert.NotEmpty(first.Placements);
        Assert.Equal(first.Placements, second.Placements);
        Assert.Equal(first.Unplaced.Select(g => (g.WorkType, g.Reason, g.Count)), second.Unplaced.Select(g => (g.WorkType, g.Reason, g.Count)));
    }

    // ---------------------------------------------------------------- grouping, validation, speed

    [Fact]
    public void Unplaced_AreGroupedByTypeAndReason_WithAFewSampleIds()
    {
        var items = Items(8, JobType.Training, "t").Concat(Items(2, JobType.Sync, "s")).ToArray();

        var plan = Plan(items, Node("n", caps: [JobType.Selfplay], cpuSlots: 0));

        Assert.Equal(
            [(JobType.Training, UnplacedReason.NoCapableNode, 8), (JobType.Sync, UnplacedReason.NoCapableNode, 2)],
            plan.Unplaced.Select(g => (g.WorkType, g.Reason, g.Count)));
        Assert.Equal(["t000", "t001", "t002", "t003", "t004"], plan.Unplaced[0].SampleWorkIds);
        Assert.Equal(10, plan.UnplacedCount);
    }

    [Fact]
    public void NoItems_GiveAnEmptyPlan() => Assert.Empty(Plan([], Node("n")).Placements);

    [Fact]
    public void DuplicateNodeId_IsRejectedByName()
    {
        var ex = Assert.Throws<ArgumentException>(() => Plan([Item("w")], Node("twin"), Node("twin")));
        Assert.Contains("'twin'", ex.Message);
    }

    [Fact]
    public void NonPendingItem_IsRejected()
    {
        var ex = Assert.Throws<ArgumentException>(() => Plan([Item("w") with { Status = WorkStatus.Claimed }], Node("n")));
        Assert.Contains("'w'", ex.Message);
        Assert.Contains("pending", ex.Message);
    }

    [Fact]
    public void DuplicateWorkId_IsRejected() =>
        Assert.Contains("'w'", Assert.Throws<ArgumentException>(() => Plan([Item("w"), Item("w")], Node("n"))).Message);

    [Theory]
    [InlineData(0.0)]
    [InlineData(-0.1)]
    [InlineData(1.01)]
    [InlineData(double.NaN)]
    public void LoadMaxOutOfRange_IsRejected(double loadMax)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => PlacementPlanner.Plan([Item("w")], [Node("n")], loadMax));
        Assert.Equal("loadMaxForNewJobs", ex.ParamName);
    }

    [Fact]
    public void NegativeUsedSlots_AreRejected() =>
        Assert.Throws<ArgumentException>(() => Plan([Item("w")], Node("n", usedGpu: -1)));

    /// <remarks>How fast such a round plans is measured by the <c>dispatch</c> bench (plan_ms_p50, 512 nodes), not here.</remarks>
    [Fact]
    public void FiveHundredTwelveNodes_FiveThousandItems_FillThousandsOfSlots_EachItemPlacedOnceOrCountedUnplaced()
    {
        var random = new Random(42);
        var nodes = Enumerable.Range(0, 512).Select(i => Node($"node-{i:D3}", power: random.Next(1, 13) / 10.0,
            load: random.NextDouble() * 0.9, gpuSlots: random.Next(4, 9), cpuSlots: random.Next(4, 9))).ToArray();
        var items = Enumerable.Range(0, 5000).Select(i => Item($"w{i:D5}", JobTypes.All[i % 4], priority: random.Next(0, 101), createdAt: i)).ToArray();

        var plan = PlacementPlanner.Plan(items, nodes, LoadMax);

        Assert.True(plan.Placements.Count > 2000, $"placed {plan.Placements.Count}");
        Assert.Equal(plan.Placements.Count, plan.Placements.Select(p => p.WorkId).Distinct().Count());
        Assert.Equal(items.Length, plan.Placements.Count + plan.UnplacedCount);
    }
}
