using RingRift.P2P.Config;
using Xunit;
using V = RingRift.P2P.Config.P2PEnvironmentVariables;

namespace RingRift.P2P.Tests.Config;

/// <summary>The original orchestrator's variable names and value forms, accepted beside the seed's.</summary>
public sealed class OriginalNamesTests
{
    private static P2PConfig From(params (string Name, string? Value)[] vars) =>
        P2PConfig.FromEnvironment(vars.ToDictionary(v => v.Name, v => v.Value));

    [Theory]
    [InlineData(V.LeaderLease, "RINGRIFT_P2P_LEADER_LEASE_DURATION", "12")]
    [InlineData(V.AdvertiseAddress, "RINGRIFT_P2P_ADVERTISE_HOST", "100.64.0.7")]
    public void An_alias_alone_sets_the_setting_and_agrees_with_the_seed_name(string seed, string alias, string value)
    {
        var byAlias = From((alias, value));
        var bySeed = From((seed, value));
        var byBoth = From((seed, value), (alias, $" {value} "));

        Assert.Equal(bySeed.ToString(), byAlias.ToString());
        Assert.Equal(bySeed.ToString(), byBoth.ToString());
        Assert.NotEqual(new P2PConfig().ToString(), byAlias.ToString());
    }

    [Fact]
    public void A_seed_name_and_its_alias_with_different_values_are_refused_naming_both()
    {
        var ex = Assert.Throws<P2PConfigException>(() => From((V.LeaderLease, "30"), ("RINGRIFT_P2P_LEADER_LEASE_DURATION", "10")));

        Assert.Equal(V.LeaderLease, ex.Variable);
        Assert.Contains("RINGRIFT_P2P_LEADER_LEASE_DURATION", ex.Message);
        Assert.Contains("'30'", ex.Message);
        Assert.Contains("'10'", ex.Message);
    }

    [Theory]
    [InlineData("RINGRIFT_P2P_LEADER_LEASE_DURATION", "soon")]
    [InlineData("RINGRIFT_P2P_ADVERTISE_HOST", "not a host!")]
    public void A_bad_value_in_an_alias_is_reported_under_the_alias(string alias, string value)
    {
        var ex = Assert.Throws<P2PConfigException>(() => From((alias, value)));

        Assert.Equal(alias, ex.Variable);
        Assert.Contains($"'{value}'", ex.Message);
    }

    [Theory]
    [InlineData("0.5", 0.5, false)]
    [InlineData("1", 1.0, false)]
    [InlineData("80", 0.8, true)]
    [InlineData("100", 1.0, true)]
    [InlineData("1.5", 0.015, true)]
    public void Load_max_accepts_a_fraction_or_the_originals_percentage(string raw, double fraction, bool fromPercent)
    {
        var config = From((V.LoadMaxForNewJobs, raw));

        Assert.Equal(fraction, config.LoadMaxForNewJobs, 1e-12);
        Assert.Equal(fromPercent, config.LoadMaxForNewJobsFromPercent);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("100.5")]
    [InlineData("NaN")]
    [InlineData("eighty")]
    public void Load_max_outside_both_forms_is_refused(string raw)
    {
        var ex = Assert.Throws<P2PConfigException>(() => From((V.LoadMaxForNewJobs, raw)));

        Assert.Equal(V.LoadMaxForNewJobs, ex.Variable);
        Assert.Contains("percentage", ex.Message);
    }
}
