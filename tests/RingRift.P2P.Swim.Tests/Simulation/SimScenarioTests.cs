using RingRift.P2P.Testing.Simulation;

namespace RingRift.P2P.Swim.Tests.Simulation;

/// <summary>Scenario set-up: fake endpoints, derived seeds and the fault schedule.</summary>
public sealed class SimScenarioTests
{
    private static readonly TimeSpan OneTick = TimeSpan.FromTicks(1);

    [Fact]
    public void Endpoints_AreDistinctFakeAddressesOnPort7947()
    {
        var scenario = new SimScenario(seed: 1, nodeCount: 512);

        Assert.Equal(new SwimEndpoint("10.0.0.1", 7947), scenario.Endpoints[0]);
        Assert.Equal(new SwimEndpoint("10.0.0.254", 7947), scenario.Endpoints[253]);
        Assert.Equal(new SwimEndpoint("10.0.1.1", 7947), scenario.Endpoints[254]);
        Assert.Equal(512, scenario.Endpoints.Distinct().Count());
        Assert.Equal(scenario.Endpoints, scenario.Transports.Select(t => t.Local));
    }

    [Fact]
    public void NodeCount_OutOfRange_IsRejected()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new SimScenario(1, 0));
        Assert.Equal("nodeCount", error.ParamName);
    }

    [Fact]
    public void RandomFor_IsReproducible_AndDiffersPerNodeAndLife()
    {
        var one = new SimScenario(seed: 9, nodeCount: 4);
        var two = new SimScenario(seed: 9, nodeCount: 4);

        Assert.Equal(one.RandomFor(2).NextInt64(), two.RandomFor(2).NextInt64());
        Assert.NotEqual(one.RandomFor(2).NextInt64(), one.RandomFor(3).NextInt64());
        Assert.NotEqual(one.RandomFor(2).NextInt64(), one.RandomFor(2, life: 1).NextInt64());
        Assert.NotEqual(SimScenario.DeriveSeed(9, 0), SimScenario.DeriveSeed(10, 0));
    }

    [Fact]
    public void Crash_AndRestart_HappenExactlyAtTheirTimes()
    {
        var scenario = new SimScenario(seed: 1, nodeCount: 3);
        scenario.Faults.Crash(1, TimeSpan.FromSeconds(10)).Restart(1, TimeSpan.FromSeconds(20));

        scenario.RunUntil(TimeSpan.FromSeconds(10) - OneTick);
        Assert.False(scenario.Network.IsCrashed(scenario.Endpoints[1]));
        scenario.RunUntil(TimeSpan.FromSeconds(10));
        Assert.True(scenario.Network.IsCrashed(scenario.Endpoints[1]));
        scenario.RunUntil(TimeSpan.FromSeconds(20));
        Assert.False(scenario.Network.IsCrashed(scenario.Endpoints[1]));
        Assert.Equal(["00:00:10 crash 1", "00:00:20 restart 1"], scenario.Faults.Applied);
    }

    [Fact]
    public void StallEvery_StallsForTheDurationOncePerPeriod()
    {
        var scenario = new SimScenario(seed: 1, nodeCount: 3);
        SwimEndpoint node = scenario.Endpoints[2];
        scenario.Faults.StallEvery(2, every: TimeSpan.FromMinutes(1), duration: TimeSpan.FromSeconds(2), until: TimeSpan.FromMinutes(2));

        scenario.RunUntil(TimeSpan.FromSeconds(60) - OneTick);
        Assert.False(scenario.Network.IsStalled(node));
        scenario.RunUntil(TimeSpan.FromSeconds(60));
        Assert.True(scenario.Network.IsStalled(node));
        scenario.RunUntil(TimeSpan.FromSeconds(62) - OneTick);
        Assert.True(scenario.Network.IsStalled(node));
        scenario.RunUntil(TimeSpan.FromSeconds(62));
        Assert.False(scenario.Network.IsStalled(node));
        scenario.RunUntil(TimeSpan.FromSeconds(120));
        Assert.True(scenario.Network.IsStalled(node));
        scenario.RunUntil(TimeSpan.FromMinutes(10));
        Assert.Equal(2, scenario.Faults.Applied.Count); // 'until' stops the series after the 2-minute stall
    }

    [Fact]
    public void Partition_AppliesAtItsTime_AndHealsAtTheOther()
    {
        var scenario = new SimScenario(seed: 1, nodeCount: 4);
        SwimEndpoint[] e = [.. scenario.Endpoints];
        scenario.Faults.Partition(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(8), [0, 1], [2]);

        scenario.RunUntil(TimeSpan.FromSeconds(5) - OneTick);
        Assert.True(scenario.Network.CanReach(e[0], e[2]));
        scenario.RunUntil(TimeSpan.FromSeconds(5));
        Assert.False(scenario.Network.CanReach(e[0], e[2]));
        Assert.True(scenario.Network.CanReach(e[0], e[1]));
        Assert.False(scenario.Network.CanReach(e[2], e[3])); // unlisted node 3 is on its own side
        scenario.RunUntil(TimeSpan.FromSeconds(8));
        Assert.True(scenario.Network.CanReach(e[0], e[2]));
    }

    [Fact]
    public void Fault_InThePast_IsRejected()
    {
        var scenario = new SimScenario(seed: 1, nodeCount: 2);
        scenario.RunFor(TimeSpan.FromSeconds(5));

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => scenario.Faults.Crash(0, TimeSpan.FromSeconds(4)));
        Assert.Equal("at", error.ParamName);
    }
}
