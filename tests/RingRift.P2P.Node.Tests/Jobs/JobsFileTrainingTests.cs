using RingRift.P2P.Config;
using RingRift.P2P.Node.Jobs;
using RingRift.P2P.Node.Training;

namespace RingRift.P2P.Node.Tests.Jobs;

/// <summary>The jobs file's <c>training:</c> block, and its precedence: environment, then file, then default.</summary>
public sealed class JobsFileTrainingTests
{
    private static JobsFile Parse(string yaml) => JobsFile.Parse(yaml, "jobs.yaml", Path.GetTempPath());

    private const string Block = """
        training:
          check_interval_seconds: 2
          selfplay_configs: [hex8_2p, square8_4p]
          selfplay_games: 150
          min_games: 400
          min_hours_between_training: 0
          promotion_elo_margin: 10
        """;

    [Fact]
    public void TrainingBlock_SetsTheLoop_WhereTheEnvironmentIsSilent()
    {
        var (interval, thresholds, options) = Parse(Block).Training!.Resolve(new Dictionary<string, string?>(), new P2PConfig());

        Assert.Equal(TimeSpan.FromSeconds(2), interval);
        Assert.Equal((400, 0.0, 24.0), (thresholds.MinGames, thresholds.MinHoursBetweenTraining, thresholds.StalenessHours));
        Assert.Equal(["hex8_2p", "square8_4p"], options.SelfplayConfigs.Select(c => c.Key));
        Assert.Equal((150, 10.0, 2), (options.SelfplayGames, options.PromotionEloMargin, options.SelfplayBacklog));
    }

    [Fact]
    public void EnvironmentVariables_WinOverTheBlock()
    {
        var env = new Dictionary<string, string?>
        {
            ["RINGRIFT_MIN_TRAINING_GAMES"] = "1000",
            ["RINGRIFT_SELFPLAY_CONFIGS"] = "hex8_3p",
            ["RINGRIFT_P2P_JOB_CHECK_INTERVAL"] = "30",
        };
        var (interval, thresholds, options) = Parse(Block).Training!.Resolve(env, P2PConfig.FromEnvironment(env));

        Assert.Equal(TimeSpan.FromSeconds(30), interval);
        Assert.Equal(1000, thresholds.MinGames);
        Assert.Equal(["hex8_3p"], options.SelfplayConfigs.Select(c => c.Key));
        Assert.Equal(150, options.SelfplayGames); // still from the file
    }

    [Fact]
    public void NoBlock_MeansEnvironmentThenDefaults()
    {
        Assert.Null(Parse("jobs:\n  selfplay:\n    command: [a]\n").Training);
        var (interval, thresholds, options) = new TrainingFileSettings().Resolve(new Dictionary<string, string?>(), new P2PConfig());
        Assert.Equal((TimeSpan.FromSeconds(15), 5000, 0), (interval, thresholds.MinGames, options.SelfplayConfigs.Count));
    }

    [Theory]
    [InlineData("training:\n  min_games: 0\n", "line 2", "training.min_games", "from 1")]
    [InlineData("training:\n  selfplay_configs: [hex8]\n", "line 2", "training.selfplay_configs", "hex8")]
    [InlineData("training:\n  check_interval_seconds: -1\n", "line 2", "training.check_interval_seconds", "greater than 0")]
    [InlineData("training:\n  max_concurrent_trainings: 5000\n", "line 2", "training.max_concurrent_trainings", "1 to 1000")]
    [InlineData("training:\n  min_gmes: 3\n", "line 2", "training.min_gmes", "unknown key")]
    [InlineData("training: yes\n", "line 1", "training", "expected a mapping")]
    public void BadTrainingSettings_NameTheLineAndKey(string yaml, string line, string key, string problem)
    {
        var error = Assert.Throws<JobsFileException>(() => Parse(yaml));

        Assert.Contains(line, error.Message);
        Assert.Contains($"'{key}'", error.Message);
        Assert.Contains(problem, error.Message);
    }
}
