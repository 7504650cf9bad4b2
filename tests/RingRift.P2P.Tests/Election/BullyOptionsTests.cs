using RingRift.P2P.Election;
using Xunit;

namespace RingRift.P2P.Tests.Election;

public sealed class BullyOptionsTests
{
    [Fact]
    public void Defaults_FollowTheSeedLease()
    {
        var o = new BullyOptions().Validate();

        Assert.Equal(TimeSpan.FromSeconds(30), o.LeaseDuration); // seed LEADER_LEASE_DURATION
        Assert.Equal(TimeSpan.FromSeconds(10), o.RenewInterval);
        Assert.Equal(TimeSpan.FromSeconds(1), o.TickInterval);
        Assert.Equal(TimeSpan.FromSeconds(3), o.SafetyMargin);
        Assert.Equal(TimeSpan.FromSeconds(2), o.RequestTimeout);
        Assert.Null(o.SelfAddress);
    }

    [Theory]
    // lease s, renew s, tick s, margin s, timeout s
    [InlineData(6, 2, 1, 0.6, 1)]
    [InlineData(3, 1, 0.5, 0.3, 0.5)]
    [InlineData(60, 20, 1, 6, 2)]
    public void Derived_Defaults_ScaleWithTheLease(double lease, double renew, double tick, double margin, double timeout)
    {
        var o = new BullyOptions { LeaseDuration = TimeSpan.FromSeconds(lease) }.Validate();

        Assert.Equal(TimeSpan.FromSeconds(renew), o.RenewInterval);
        Assert.Equal(TimeSpan.FromSeconds(tick), o.TickInterval);
        Assert.Equal(TimeSpan.FromSeconds(margin), o.SafetyMargin);
        Assert.Equal(TimeSpan.FromSeconds(timeout), o.RequestTimeout);
    }

    [Fact]
    public void ExplicitValues_OverrideTheDerivedOnes()
    {
        var o = new BullyOptions { LeaseDuration = TimeSpan.FromSeconds(30), RenewInterval = TimeSpan.FromSeconds(5) };

        Assert.Equal(TimeSpan.FromSeconds(5), o.RenewInterval);
    }

    public static TheoryData<BullyOptions, string> Invalid => new()
    {
        { new BullyOptions { LeaseDuration = TimeSpan.Zero }, nameof(BullyOptions.LeaseDuration) },
        { new BullyOptions { SafetyMargin = TimeSpan.FromSeconds(-1) }, nameof(BullyOptions.SafetyMargin) },
        { new BullyOptions { SafetyMargin = TimeSpan.FromSeconds(30) }, nameof(BullyOptions.SafetyMargin) },
        // renew must come before LeaseDuration - SafetyMargin = 27 s
        { new BullyOptions { RenewInterval = TimeSpan.FromSeconds(27) }, nameof(BullyOptions.RenewInterval) },
        { new BullyOptions { RenewInterval = TimeSpan.Zero }, nameof(BullyOptions.RenewInterval) },
        { new BullyOptions { TickInterval = TimeSpan.Zero }, nameof(BullyOptions.TickInterval) },
        { new BullyOptions { TickInterval = TimeSpan.FromSeconds(11) }, nameof(BullyOptions.TickInterval) },
        { new BullyOptions { RequestTimeout = TimeSpan.Zero }, nameof(BullyOptions.RequestTimeout) },
        { new BullyOptions { RequestTimeout = TimeSpan.FromSeconds(27) }, nameof(BullyOptions.RequestTimeout) },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Validate_NamesTheOffendingOption(BullyOptions options, string option)
    {
        var ex = Assert.Throws<ArgumentException>(() => options.Validate());

        Assert.Equal(option, ex.ParamName);
        Assert.Contains($"BullyOptions.{option}", ex.Message);
    }

    [Fact]
    public void Validate_AcceptsRenewJustBeforeTheActingWindowEnds()
    {
        var o = new BullyOptions { RenewInterval = TimeSpan.FromSeconds(27) - TimeSpan.FromTicks(1) };

        Assert.Same(o, o.Validate());
    }
}
