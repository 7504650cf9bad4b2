using RingRift.P2P.Config;
using RingRift.P2P.Jobs;
using RingRift.P2P.Notifications;
using RingRift.P2P.Training;

namespace RingRift.P2P.Node.Cli;

/// <summary>
/// Every <c>RINGRIFT_*</c> variable <c>ringrift-p2p</c> reads: the node's settings (from the same lists
/// the README's configuration table is checked against), the original orchestrator's names for two of
/// them, the webhook variables, and the client commands' <c>RINGRIFT_P2P_URL</c>. Any other
/// <c>RINGRIFT_*</c> variable is likely a typo; <c>config check</c> warns about it.
/// </summary>
public static class KnownVariables
{
    /// <summary>Read by the client commands (<c>--url</c>'s default), not by a node.</summary>
    public const string ClientUrl = "RINGRIFT_P2P_URL";

    /// <summary>The prefix of the variables this program reads.</summary>
    public const string Prefix = "RINGRIFT_";

    /// <summary>Every variable read, node settings first, in the README's order.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        .. P2PConfig.Documented.Select(d => d.Variable),
        .. P2PEnvironmentVariables.Aliases.Values,
        .. TrainingThresholds.Documented.Select(d => d.Variable),
        .. TrainingOptions.Documented.Select(d => d.Variable),
        .. JobsSettings.Documented.Select(d => d.Variable),
        .. LogSettings.Documented.Select(d => d.Variable),
        WebhookConfig.UrlVariable,
        WebhookConfig.SlackUrlVariable,
        WebhookConfig.DiscordUrlVariable,
        WebhookConfig.EventsVariable,
        WebhookConfig.FormatVariable,
        ClientUrl,
        // demo-job reads it (the job runner sets it for every job), as the original's jobs do.
        .. Demo.DemoJobCommand.DataDirVariables.Where(v => v != P2PEnvironmentVariables.DataDir),
    ];

    private static readonly HashSet<string> Set = new(All, StringComparer.Ordinal);

    /// <summary>True when <paramref name="name"/> is read by this program.</summary>
    public static bool IsKnown(string name) => Set.Contains(name);

    /// <summary>
    /// The <c>RINGRIFT_*</c> names in <paramref name="environment"/> this program does not read, in name
    /// order, each with the known name it most likely meant (null when none is close).
    /// </summary>
    public static IReadOnlyList<(string Name, string? Meant)> Unknown(IEnumerable<string> environment) =>
        environment.Where(n => n.StartsWith(Prefix, StringComparison.Ordinal) && !IsKnown(n))
            .Order(StringComparer.Ordinal)
            .Select(n => (n, NearestName.Find(n, All, segments: true)))
            .ToArray();
}
