using RingRift.P2P.Config;
using RingRift.P2P.Notifications;
using RingRift.P2P.Training;

namespace RingRift.P2P.Node.Tests;

/// <summary>The README is the user's reference: every variable the code reads is in its configuration table.</summary>
public sealed class ReadmeTests
{
    private static string Readme() => File.ReadAllText(RepoFiles.Path("README.md"));

    public static TheoryData<string, string> Variables()
    {
        var data = new TheoryData<string, string>();
        foreach (var (variable, def, _) in P2PConfig.Documented.Concat(TrainingThresholds.Documented).Concat(TrainingOptions.Documented).Concat(RingRift.P2P.Jobs.JobsSettings.Documented).Concat(LogSettings.Documented))
            data.Add(variable, def);
        data.Add(WebhookConfig.UrlVariable, "");
        data.Add(WebhookConfig.EventsVariable, "");
        data.Add(WebhookConfig.FormatVariable, "");
        data.Add(WebhookConfig.SlackUrlVariable, "");
        data.Add(WebhookConfig.DiscordUrlVariable, "");
        foreach (var alias in P2PEnvironmentVariables.Aliases.Values) data.Add(alias, "");
        return data;
    }

    [Theory]
    [MemberData(nameof(Variables))]
    public void ConfigurationTable_HasEveryVariable_WithItsDefault(string variable, string defaultValue)
    {
        var row = Readme().Split('\n').FirstOrDefault(l => l.StartsWith($"| `{variable}` |", StringComparison.Ordinal));

        Assert.True(row is not null, $"README has no configuration row for {variable}");
        if (defaultValue.Length > 0 && !defaultValue.StartsWith('(')) Assert.Contains($"| {defaultValue} |", row);
    }
}
