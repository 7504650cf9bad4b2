using RingRift.P2P.Testing.Soak;
using Xunit;

namespace RingRift.P2P.Tests.Soak;

/// <summary>The soak's no-leak figure: how far readings strayed from the first one compared, in percent.</summary>
public sealed class ResourceDriftTests
{
    [Theory]
    [InlineData(new double[] { 100, 105, 91, 108 }, -9.0)] // the reading farthest from 100 is 91, below it
    [InlineData(new double[] { 200, 210, 250, 190 }, 25.0)]
    [InlineData(new double[] { 50, 50 }, 0.0)]
    public void Percent_IsTheFarthestReadingSigned(double[] readings, double expected) =>
        Assert.Equal(expected, ResourceDrift.Percent(readings)!.Value, precision: 9);

    [Theory]
    [InlineData(new double[] { 100 })] // nothing to compare
    [InlineData(new double[] { })]
    [InlineData(new double[] { 0, 5 })] // no percentage of nothing
    public void Percent_WithoutAComparison_IsNone(double[] readings) => Assert.Null(ResourceDrift.Percent(readings));

    [Fact]
    public void Within_HoldsUpToTheLimitInBothDirections_AndIgnoresUnknowns()
    {
        Assert.True(ResourceDrift.Within([10.0, -10.0, null], 10));
        Assert.False(ResourceDrift.Within([3.0, 10.01], 10));
        Assert.False(ResourceDrift.Within([-10.01], 10));
        Assert.Null(ResourceDrift.Within([null, null], 10));
    }

    [Fact]
    public void SameAgePercent_ComparesOnlyReadingsOfProcessesOfTheSameAge()
    {
        // Restarts every few minutes: a young process holds less than an old one, with no leak anywhere.
        (double, double)[] noLeak = [(70, 130), (130, 150), (190, 160), (65, 131), (125, 149), (70, 128.7)];
        Assert.Equal(-1.0, ResourceDrift.SameAgePercent(noLeak, TimeSpan.FromMinutes(1))!.Value, precision: 9);
        Assert.Equal(23.1, ResourceDrift.Percent(noLeak.Select(r => r.Item2).ToList())!.Value, precision: 1); // the any-age figure

        // A process of the same age holding more later in the run is what a leak across restarts looks like.
        (double, double)[] leak = [(70, 130), (130, 150), (65, 150), (70, 170)];
        Assert.Equal(170.0 / 130 * 100 - 100, ResourceDrift.SameAgePercent(leak, TimeSpan.FromMinutes(1))!.Value, precision: 9);
    }

    [Fact]
    public void SameAgePercent_WithNoAgeSeenTwice_IsNone()
    {
        Assert.Null(ResourceDrift.SameAgePercent([(70, 130), (130, 150), (190, 160)], TimeSpan.FromMinutes(1)));
        Assert.Null(ResourceDrift.SameAgePercent(Array.Empty<(double, double)>(), TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public void SameAgePercent_WithRoles_ComparesALeaderOnlyWithLeadersOfItsAge()
    {
        // A leader a minute old holds more than a follower of that age: no leak, two roles.
        (double, string, double)[] readings = [(70, "follower", 118), (70, "leader", 136), (75, "follower", 119.2), (65, "leader", 134.6)];
        Assert.Equal(136.0 / 118 * 100 - 100, ResourceDrift.SameAgePercent(readings.Select(r => (r.Item1, r.Item3)).ToList(), TimeSpan.FromMinutes(1))!.Value, precision: 9);
        Assert.Equal(-1.4 / 136 * 100, ResourceDrift.SameAgePercent(readings, TimeSpan.FromMinutes(1))!.Value, precision: 9);
    }
}
