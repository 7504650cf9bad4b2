using System.Collections;
using RingRift.P2P.Config;

namespace RingRift.P2P.Notifications;

public sealed partial record WebhookConfig
{
    /// <summary>Webhook URL; absent or blank means no webhook from this variable.</summary>
    public const string UrlVariable = "RINGRIFT_WEBHOOK_URL";

    /// <summary>A Slack incoming-webhook URL (the original orchestrator's name): sent in Slack's format.</summary>
    public const string SlackUrlVariable = "RINGRIFT_SLACK_WEBHOOK_URL";

    /// <summary>A Discord webhook URL (the original orchestrator's name): sent in Discord's format.</summary>
    public const string DiscordUrlVariable = "RINGRIFT_DISCORD_WEBHOOK_URL";

    /// <summary>Comma-separated event names, for every webhook set in the environment; absent or blank means every event.</summary>
    public const string EventsVariable = "RINGRIFT_WEBHOOK_EVENTS";

    /// <summary>Format of <see cref="UrlVariable"/>'s webhook: <c>auto</c> (default), <c>slack</c>, <c>discord</c>, <c>generic</c>, ignoring case.</summary>
    public const string FormatVariable = "RINGRIFT_WEBHOOK_FORMAT";

    /// <summary>
    /// The webhooks the environment (<paramref name="env"/>, or the process environment when null) sets:
    /// one for each of <see cref="UrlVariable"/> (in <see cref="FormatVariable"/>'s format),
    /// <see cref="SlackUrlVariable"/> and <see cref="DiscordUrlVariable"/>, all subscribed to
    /// <see cref="EventsVariable"/>. A URL set in two variables is one webhook (the first).
    /// </summary>
    /// <returns>The webhooks; empty when no URL variable is set.</returns>
    /// <exception cref="P2PConfigException">
    /// A URL is not an absolute http(s) URL, the format is unknown, or an event name is not one of
    /// <see cref="ClusterEventNames.All"/>; the message names the variable, the value and what is allowed.
    /// </exception>
    public static IReadOnlyList<WebhookConfig> FromEnvironment(IReadOnlyDictionary<string, string?>? env = null) => FromEnvironment(env, ConfigProblems.ThrowFirst);

    /// <summary>
    /// As <see cref="FromEnvironment(IReadOnlyDictionary{string, string?}?)"/>; a bad variable goes to
    /// <paramref name="problems"/> (collected: the webhook it spoils is left out, the others are returned).
    /// </summary>
    /// <exception cref="P2PConfigException">A variable holds a bad value and <paramref name="problems"/> throws the first.</exception>
    public static IReadOnlyList<WebhookConfig> FromEnvironment(IReadOnlyDictionary<string, string?>? env, ConfigProblems problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        env ??= ProcessEnvironment();
        var sources = new (string Variable, Func<WebhookFormat> Format)[]
        {
            (UrlVariable, () => ParseFormat(env.GetValueOrDefault(FormatVariable))),
            (SlackUrlVariable, () => WebhookFormat.Slack),
            (DiscordUrlVariable, () => WebhookFormat.Discord),
        };
        var webhooks = new List<WebhookConfig>();
        foreach (var (variable, format) in sources)
        {
            var url = env.GetValueOrDefault(variable)?.Trim();
            if (string.IsNullOrEmpty(url) || webhooks.Any(w => w.Url == url)) continue;
            var webhook = problems.Read(() =>
            {
                try
                {
                    return new WebhookConfig(url, ParseEvents(env.GetValueOrDefault(EventsVariable)), format());
                }
                catch (ArgumentException ex) when (ex.ParamName == "url")
                {
                    throw new P2PConfigException(variable, url, "expected an absolute http:// or https:// URL");
                }
            });
            if (webhook is not null) webhooks.Add(webhook);
        }
        return webhooks;
    }

    private static string[] ParseEvents(string? value)
    {
        var events = (value ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        foreach (var name in events)
        {
            if (!ClusterEventNames.All.Contains(name, StringComparer.OrdinalIgnoreCase))
                throw new P2PConfigException(EventsVariable, value!, $"unknown event '{name}'; expected a comma-separated list of {string.Join(", ", ClusterEventNames.All)}");
        }
        return events;
    }

    private static WebhookFormat ParseFormat(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
            return WebhookFormat.Auto;
        return value.Trim().ToLowerInvariant() switch
        {
            "auto" => WebhookFormat.Auto,
            "slack" => WebhookFormat.Slack,
            "discord" => WebhookFormat.Discord,
            "generic" => WebhookFormat.Generic,
            _ => throw new P2PConfigException(FormatVariable, value, "expected one of auto, slack, discord, generic"),
        };
    }

    private static Dictionary<string, string?> ProcessEnvironment()
    {
        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
            result[(string)entry.Key] = entry.Value as string;
        return result;
    }
}
