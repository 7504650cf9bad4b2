using RingRift.P2P.Config;
using RingRift.P2P.Training;
using Xunit;

namespace RingRift.P2P.Tests.Training;

public sealed class TrainingThresholdsTests
{
    private static TrainingThresholds From(params (string Name, string? Value)[] vars) =>
        TrainingThresholds.FromEnvironment(vars.ToDictionary(v => v.Name, v => v.Value));

    [Fact]
    public void Defaults_AreTheSeeds()
    {
        var t = new TrainingThresholds();
        Assert.Equal(5000, t.MinGames);
        Assert.Equal(24, t.StalenessHours);
        Assert.Equal(1, t.MinHoursBetweenTraining);
        Assert.Equal(500, t.MinGamesWhenStale);
        Assert.Equal(t, From());
    }

    [Fact]
    public void FromEnvironment_ReadsTheThreeVariables()
    {
        var t = From(("RINGRIFT_MIN_TRAINING_GAMES", "2000"), ("RINGRIFT_TRAINING_STALENESS_HOURS", "6.5"), ("RINGRIFT_MIN_HOURS_BETWEEN_TRAINING", "0"));
        Assert.Equal(new TrainingThresholds { MinGames = 2000, StalenessHours = 6.5, MinHoursBetweenTraining = 0 }, t);
    }

    [Fact]
    public void FromEnvironment_BlankValuesKeepDefaults() =>
        Assert.Equal(new TrainingThresholds(), From(("RINGRIFT_MIN_TRAINING_GAMES", " "), ("RINGRIFT_TRAINING_STALENESS_HOURS", "")));

    [Theory]
    [InlineData("RINGRIFT_MIN_TRAINING_GAMES", "0", "expected an integer from 1 to 2147483647")]
    [InlineData("RINGRIFT_MIN_TRAINING_GAMES", "many", "expected an integer from 1 to 2147483647")]
    [InlineData("RINGRIFT_MIN_TRAINING_GAMES", "1.5", "expected an integer from 1 to 2147483647")]
    [InlineData("RINGRIFT_TRAINING_STALENESS_HOURS", "0", "expected a number of hours greater than 0")]
    [InlineData("RINGRIFT_TRAINING_STALENESS_HOURS", "NaN", "expected a number of hours greater than 0")]
    [InlineData("RINGRIFT_MIN_HOURS_BETWEEN_TRAINING", "-0.5", "expected a number of hours at least 0")]
    [InlineData("RINGRIFT_MIN_HOURS_BETWEEN_TRAINING", "Infinity", "expected a number of hours at least 0")]
    public void FromEnvironment_BadValue_NamesVariableValueAndRule(string variable, string raw, string allowed)
    {
        var e = Assert.Throws<P2PConfigException>(() => From((variable, raw)));
        Assert.Equal($"{variable}='{raw}' is invalid: {allowed}", e.Message);
    }

    [Fact]
    public void Init_RejectsBadValuesSetInCode()
    {
        Assert.Throws<P2PConfigException>(() => new TrainingThresholds { MinGames = 0 });
        Assert.Throws<P2PConfigException>(() => new TrainingThresholds { StalenessHours = 0 });
        Assert.Throws<P2PConfigException>(() => new TrainingThresholds { MinHoursBetweenTraining = -1 });
        var e = Assert.Throws<P2PConfigException>(() => new TrainingThresholds { MinGamesWhenStale = -1 });
        Assert.Equal("MinGamesWhenStale", e.Variable);
    }

    [Fact]
    public void Documented_ListsEveryVariableFromEnvironmentReads()
    {
        var env = new RingRift.P2P.Tests.Config.RecordingEnvironment(new Dictionary<string, string?>());
        TrainingThresholds.FromEnvironment(env);

        Assert.Equal(env.Requested.Order(), TrainingThresholds.Documented.Select(d => d.Variable).Order());
        Assert.Equal(["5000", "24", "1"], TrainingThresholds.Documented.Select(d => d.Default));
    }
}
