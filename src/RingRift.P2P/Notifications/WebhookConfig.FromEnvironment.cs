using System.Collections;

namespace RingRift.P2P.Notifications;

public sealed partial record WebhookConfig
{
    /// <summary>Webhook URL; absent or blank means no webhook.</summary>
    public const string UrlVariable = "RINGRIFT_WEBHOOK_URL";

    /// <summary>Comma-separated event names; absent or blank means every event.</summary>
    public const string EventsVariable = "RINGRIFT_WEBHOOK_EVENTS";

    /// <summary>One of <c>auto</c> (default), <c>slack</c>, <c>discord</c>, <c>generic</c>, ignoring case.</summary>
    public const string FormatVariable = "RINGRIFT_WEBHOOK_FORMAT";

    /// <summary>
    /// Reads <see cref="UrlVariable"/>, <see cref="EventsVariable"/> and <see cref="FormatVariable"/>
    /// from <paramref name="env"/> (the process environment when null).
    /// </summary>
    /// <returns>The configuration, or null when no URL is set.</returns>
    /// <exception cref="ArgumentException">
    /// A variable holds a bad value; the message names the variable, the value and what is allowed,
    /// and <see cref="ArgumentException.ParamName"/> is the variable name.
    /// </exception>
    public static WebhookConfig? FromEnvironment(IReadOnlyDictionary<string, string?>? env = null)
    {
        env ??= ProcessEnvironment();
        var url = env.GetValueOrDefault(UrlVariable);
        if (string.IsNullOrWhiteSpace(url))
            return null;

        var format = ParseFormat(env.GetValueOrDefault(FormatVariable));
        var events = (env.GetValueOrDefault(EventsVariable) ?? "")
            .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        try
        {
            return new WebhookConfig(url, events, format);
        }
        catch (ArgumentException ex) when (ex.ParamName == "url")
        {
            throw new ArgumentException(
                $"{UrlVariable} must be an absolute http:// or https:// URL, got '{url}'", UrlVariable, ex);
        }
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
            _ => throw new ArgumentException(
                $"{FormatVariable} must be one of auto, slack, discord, generic, got '{value}'", FormatVariable),
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
