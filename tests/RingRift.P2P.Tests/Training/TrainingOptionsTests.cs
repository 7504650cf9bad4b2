using RingRift.P2P.Config;
using RingRift.P2P.Jobs;
using RingRift.P2P.Training;
using Xunit;

namespace RingRift.P2P.Tests.Training;

public sealed class TrainingOptionsTests
{
    [Fact]
    public void Defaults_ArePinned()
    {
        var o = new TrainingOptions();
        Assert.Equal(25, o.PromotionEloMargin);
        Assert.Equal(2, o.MaxConcurrentTrainings);
        Assert.Empty(o.SelfplayConfigs);
        Assert.Equal(2, o.SelfplayBacklog);
        Assert.Equal(200, o.SelfplayGames);
        Assert.Equal(60, o.EvaluationPriority);
        Assert.Equal(50, o.SelfplayPriority);
        Assert.Equal(1500, TrainingOptions.BaselineElo);
        Assert.Equal(o, TrainingOptions.FromEnvironment(new Dictionary<string, string?>()) with { SelfplayConfigs = o.SelfplayConfigs });
    }

    [Fact]
    public void FromEnvironment_ReadsEveryVariable()
    {
        var o = TrainingOptions.FromEnvironment(new Dictionary<string, string?>
        {
            ["RINGRIFT_PROMOTION_ELO_MARGIN"] = "10.5",
            ["RINGRIFT_MAX_CONCURRENT_TRAININGS"] = "4",
            ["RINGRIFT_SELFPLAY_CONFIGS"] = " hex8_2p, square8_4p ,hex8_2p",
            ["RINGRIFT_SELFPLAY_BACKLOG"] = "0",
            ["RINGRIFT_SELFPLAY_GAMES"] = "50",
        });

        Assert.Equal(10.5, o.PromotionEloMargin);
        Assert.Equal(4, o.MaxConcurrentTrainings);
        Assert.Equal([new BoardConfig("hex8", 2), new BoardConfig("square8", 4)], o.SelfplayConfigs);
        Assert.Equal(0, o.SelfplayBacklog);
        Assert.Equal(50, o.SelfplayGames);
    }

    [Theory]
    [InlineData("RINGRIFT_PROMOTION_ELO_MARGIN", "-1")]
    [InlineData("RINGRIFT_PROMOTION_ELO_MARGIN", "NaN")]
    [InlineData("RINGRIFT_MAX_CONCURRENT_TRAININGS", "0")]
    [InlineData("RINGRIFT_SELFPLAY_CONFIGS", "hex8")]
    [InlineData("RINGRIFT_SELFPLAY_BACKLOG", "-1")]
    [InlineData("RINGRIFT_SELFPLAY_GAMES", "0")]
    public void FromEnvironment_BadValue_NamesTheVariable(string variable, string value)
    {
        var ex = Assert.Throws<P2PConfigException>(() => TrainingOptions.FromEnvironment(new Dictionary<string, string?> { [variable] = value }));
        Assert.Equal(variable, ex.Variable);
        Assert.Contains(value, ex.Message);
    }

    [Fact]
    public void Documented_ListsEveryVariable() =>
        Assert.Equal(
            ["RINGRIFT_PROMOTION_ELO_MARGIN", "RINGRIFT_MAX_CONCURRENT_TRAININGS", "RINGRIFT_SELFPLAY_CONFIGS", "RINGRIFT_SELFPLAY_BACKLOG", "RINGRIFT_SELFPLAY_GAMES"],
            TrainingOptions.Documented.Select(d => d.Variable));
}
