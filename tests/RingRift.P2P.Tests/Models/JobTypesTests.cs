using RingRift.P2P.Models;
using Xunit;

namespace RingRift.P2P.Tests.Models;

public sealed class JobTypesTests
{
    [Theory]
    [InlineData(JobType.Selfplay, "selfplay")]
    [InlineData(JobType.Training, "training")]
    [InlineData(JobType.Evaluation, "evaluation")]
    [InlineData(JobType.Sync, "sync")]
    public void WireName_AndTryParse_AreOneMapping(JobType type, string name)
    {
        Assert.Equal(name, type.WireName());
        Assert.True(JobTypes.TryParse(name, out var parsed));
        Assert.Equal(type, parsed);
        Assert.True(JobTypes.TryParse($" {name.ToUpperInvariant()} ", out parsed));
        Assert.Equal(type, parsed);
    }

    [Fact]
    public void Allowed_ListsEveryTypeInOrder_AndUnknownNamesDoNotParse()
    {
        Assert.Equal("selfplay, training, evaluation, sync", JobTypes.Allowed);
        Assert.Equal([JobType.Selfplay, JobType.Training, JobType.Evaluation, JobType.Sync], JobTypes.All);
        Assert.False(JobTypes.TryParse("gauntlet", out _));
        Assert.False(JobTypes.TryParse(null, out _));
        Assert.Equal("7", ((JobType)7).WireName());
    }
}
