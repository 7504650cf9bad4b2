namespace RingRift.P2P.Swim.Tests;

public sealed class SwimConfigTests
{
    private static void AssertPreset(
        SwimConfig c, int probeIntervalMs, int probeTimeoutMs, double suspicionMult, int suspicionFloorMs)
    {
        Assert.Equal(TimeSpan.FromMilliseconds(probeIntervalMs), c.ProbeInterval);
        Assert.Equal(TimeSpan.FromMilliseconds(probeTimeoutMs), c.ProbeTimeout);
        Assert.Equal(3, c.IndirectChecks);
        Assert.Equal(suspicionMult, c.SuspicionMult);
        Assert.Equal(6.0, c.SuspicionMaxTimeoutMult);
        Assert.Equal(TimeSpan.FromMilliseconds(suspicionFloorMs), c.SuspicionFloor);
        Assert.Equal(4, c.RetransmitMult);
        Assert.Equal(8, c.AwarenessMaxMultiplier);
        Assert.Equal(TimeSpan.FromMilliseconds(200), c.GossipInterval);
        Assert.Equal(3, c.GossipNodes);
        Assert.Equal(TimeSpan.FromSeconds(30), c.PushPullInterval);
        Assert.True(c.TcpFallback);
        Assert.Equal(1400, c.MaxPacketBytes);
        Assert.Equal(7947, c.BindPort);
    }

    [Fact]
    public void Default_IsTheFastSettingOfTheTimingNote()
    {
        // swim-timing.md: ≈ 300 ms period and a 2.5 s suspicion floor for p99 ≤ 5 s with 2 s stalls.
        AssertPreset(SwimConfig.Default, 300, 150, 4.0, 2_500);
    }

    [Fact]
    public void NewConfig_EqualsDefault()
    {
        Assert.Equal(SwimConfig.Default, new SwimConfig());
    }

    [Fact]
    public void Seed_KeepsTheSeedsOneSecondPingInterval()
    {
        AssertPreset(SwimConfig.Seed, 1_000, 500, 3.0, 2_500);
    }

    [Fact]
    public void Lan_IsMemberlistsLanConfigOnOurPort()
    {
        AssertPreset(SwimConfig.Lan, 1_000, 500, 4.0, 0);
    }

    [Theory]
    [InlineData("default", true)]
    [InlineData("seed", true)]
    [InlineData("lan", false)] // memberlist has none of them: its figures stay comparable
    public void RefutationAndStaleNewsDefences_AreOnExceptInLan(string preset, bool on)
    {
        SwimConfig c = preset switch { "default" => SwimConfig.Default, "seed" => SwimConfig.Seed, _ => SwimConfig.Lan };

        Assert.Equal(on, c.FinalProbeBeforeDead);
        Assert.Equal(on, c.EagerSuspectProbes);
        Assert.Equal(on, c.AnswerDeathToLaggards);
        Assert.Equal(on, c.StaleAccusationsAsEvidence);
    }

    [Fact]
    public void Presets_AreValid()
    {
        SwimConfig.Default.Validate();
        SwimConfig.Seed.Validate();
        SwimConfig.Lan.Validate();
    }

    [Fact]
    public void Default_MinimumSuspicion_IsTheFloorUpTo64Members_AndTheFormulaAt512()
    {
        SwimConfig c = SwimConfig.Default;

        Assert.Equal(TimeSpan.FromSeconds(2.5), SwimMath.SuspicionMinTimeout(c.SuspicionMult, 64, c.ProbeInterval, c.SuspicionFloor));
        Assert.True(SwimMath.SuspicionMinTimeout(c.SuspicionMult, 512, c.ProbeInterval, c.SuspicionFloor) > TimeSpan.FromSeconds(3));
    }

    [Fact]
    public void With_ChangesOnlyTheNamedOption()
    {
        SwimConfig changed = SwimConfig.Default with { BindPort = 0 };

        Assert.Equal(0, changed.BindPort);
        Assert.Equal(7947, SwimConfig.Default.BindPort);
        Assert.Equal(SwimConfig.Default with { BindPort = 0 }, changed);
    }

    public static TheoryData<string, Func<SwimConfig, SwimConfig>, string> InvalidOptions() => new()
    {
        { "ProbeInterval", c => c with { ProbeInterval = TimeSpan.Zero }, "> 00:00:00" },
        { "ProbeInterval", c => c with { ProbeInterval = TimeSpan.FromSeconds(-1) }, "> 00:00:00" },
        { "ProbeTimeout", c => c with { ProbeTimeout = TimeSpan.Zero }, "> 00:00:00" },
        { "ProbeTimeout", c => c with { ProbeTimeout = c.ProbeInterval }, "< ProbeInterval" },
        { "ProbeTimeout", c => c with { ProbeTimeout = TimeSpan.FromSeconds(2) }, "< ProbeInterval" },
        { "IndirectChecks", c => c with { IndirectChecks = -1 }, ">= 0" },
        { "SuspicionMult", c => c with { SuspicionMult = 0.99 }, ">= 1" },
        { "SuspicionMult", c => c with { SuspicionMult = double.NaN }, ">= 1" },
        { "SuspicionMaxTimeoutMult", c => c with { SuspicionMaxTimeoutMult = 0.5 }, ">= 1" },
        { "SuspicionMaxTimeoutMult", c => c with { SuspicionMaxTimeoutMult = double.PositiveInfinity }, ">= 1" },
        { "SuspicionFloor", c => c with { SuspicionFloor = TimeSpan.FromTicks(-1) }, ">= 00:00:00" },
        { "RetransmitMult", c => c with { RetransmitMult = 0 }, ">= 1" },
        { "AwarenessMaxMultiplier", c => c with { AwarenessMaxMultiplier = 0 }, ">= 1" },
        { "GossipInterval", c => c with { GossipInterval = TimeSpan.Zero }, "> 00:00:00" },
        { "GossipNodes", c => c with { GossipNodes = 0 }, ">= 1" },
        { "PushPullInterval", c => c with { PushPullInterval = TimeSpan.Zero }, "> 00:00:00" },
        { "MaxPacketBytes", c => c with { MaxPacketBytes = 511 }, "512 to 65507" },
        { "MaxPacketBytes", c => c with { MaxPacketBytes = 65_508 }, "512 to 65507" },
        { "BindPort", c => c with { BindPort = -1 }, "0 to 65535" },
        { "BindPort", c => c with { BindPort = 65_536 }, "0 to 65535" },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void Validate_RejectsOutOfRangeOption_NamingOptionValueAndRange(string option, Func<SwimConfig, SwimConfig> change, string allowed)
    {
        SwimConfig bad = change(SwimConfig.Default);

        var ex = Assert.ThrowsAny<ArgumentException>(bad.Validate);

        Assert.Equal(option, ex.ParamName);
        Assert.Contains($"SwimConfig.{option} is ", ex.Message);
        Assert.Contains(allowed, ex.Message);
    }

    public static TheoryData<Func<SwimConfig, SwimConfig>> BoundaryValues() => new()
    {
        c => c with { ProbeTimeout = c.ProbeInterval - TimeSpan.FromTicks(1) },
        c => c with { IndirectChecks = 0 },
        c => c with { SuspicionMult = 1, SuspicionMaxTimeoutMult = 1 },
        c => c with { SuspicionFloor = TimeSpan.Zero },
        c => c with { RetransmitMult = 1, AwarenessMaxMultiplier = 1, GossipNodes = 1 },
        c => c with { MaxPacketBytes = 512 },
        c => c with { MaxPacketBytes = 65_507 },
        c => c with { BindPort = 0 },
        c => c with { BindPort = 65_535 },
        c => c with { TcpFallback = false },
    };

    [Theory]
    [MemberData(nameof(BoundaryValues))]
    public void Validate_AcceptsTheEdgesOfEachRange(Func<SwimConfig, SwimConfig> change)
    {
        change(SwimConfig.Default).Validate();
    }
}
