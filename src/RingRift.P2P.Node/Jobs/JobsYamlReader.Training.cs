using RingRift.P2P.Config;
using RingRift.P2P.Jobs;
using RingRift.P2P.Node.Training;
using RingRift.P2P.Training;
using YamlDotNet.RepresentationModel;
using static RingRift.P2P.Yaml.YamlNodes;

namespace RingRift.P2P.Node.Jobs;

internal sealed partial class JobsYamlReader
{
    private const string TrainingKeys = "check_interval_seconds, min_games, staleness_hours, min_hours_between_training, promotion_elo_margin, "
        + "max_concurrent_trainings, selfplay_configs, selfplay_backlog, selfplay_games";

    /// <summary>The <c>training:</c> block (see <see cref="TrainingFileSettings"/>); each value is checked by the rule its variable has.</summary>
    private TrainingFileSettings? ReadTraining(YamlNode node)
    {
        if (IsNull(node)) return null;
        if (node is not YamlMappingNode map) throw Error(node, "training", $"expected a mapping of training settings ({TrainingKeys}), got {Describe(node)}");
        var settings = new TrainingFileSettings();
        foreach (var (keyNode, value) in map.Children)
        {
            var key = "training";
            try
            {
                var name = KeyName(keyNode, "training");
                key = $"training.{name}";
                settings = name switch
                {
                    "check_interval_seconds" => settings with { CheckInterval = Number(value, key, 0, 86400, false) is { } s ? TimeSpan.FromSeconds(s) : null },
                    "min_games" => Checked(settings with { MinGames = Int(value, key, 1, int.MaxValue) }),
                    "staleness_hours" => Checked(settings with { StalenessHours = Number(value, key, 0, double.MaxValue, false) }),
                    "min_hours_between_training" => Checked(settings with { MinHoursBetweenTraining = Number(value, key, 0, double.MaxValue, true) }),
                    "promotion_elo_margin" => Checked(settings with { PromotionEloMargin = Number(value, key, 0, 10_000, true) }),
                    "max_concurrent_trainings" => Checked(settings with { MaxConcurrentTrainings = Int(value, key, 1, 1000) }),
                    "selfplay_configs" => settings with { SelfplayConfigs = ReadConfigs(value, key) },
                    "selfplay_backlog" => Checked(settings with { SelfplayBacklog = Int(value, key, 0, 1000) }),
                    "selfplay_games" => Checked(settings with { SelfplayGames = Int(value, key, 1, int.MaxValue) }),
                    _ => throw Error(keyNode, key, $"unknown key; allowed: {TrainingKeys}{Hint(name, TrainingKeys.Split(", "))}"),
                };
            }
            catch (P2PConfigException e)
            {
                var error = Error(value, key, e.Message);
                if (!Collected(error)) throw error;
            }
            catch (JobsFileException e) when (Collected(e)) { }
        }
        return settings;
    }

    /// <summary>Applies the values to the real settings types so their own rules check them.</summary>
    private static TrainingFileSettings Checked(TrainingFileSettings s)
    {
        _ = new TrainingThresholds
        {
            MinGames = s.MinGames ?? new TrainingThresholds().MinGames,
            StalenessHours = s.StalenessHours ?? new TrainingThresholds().StalenessHours,
            MinHoursBetweenTraining = s.MinHoursBetweenTraining ?? new TrainingThresholds().MinHoursBetweenTraining,
        };
        _ = new TrainingOptions
        {
            PromotionEloMargin = s.PromotionEloMargin ?? new TrainingOptions().PromotionEloMargin,
            MaxConcurrentTrainings = s.MaxConcurrentTrainings ?? new TrainingOptions().MaxConcurrentTrainings,
            SelfplayBacklog = s.SelfplayBacklog ?? new TrainingOptions().SelfplayBacklog,
            SelfplayGames = s.SelfplayGames ?? new TrainingOptions().SelfplayGames,
        };
        return s;
    }

    private List<BoardConfig> ReadConfigs(YamlNode node, string key) =>
        ScalarList(node, key, "board configs such as [hex8_2p]", text => BoardConfig.Parse(text ?? ""));
}
