namespace RingRift.P2P.Notifications;

/// <summary>
/// Where to send webhook notifications and which events to send (the seed's
/// <c>WebhookConfig</c>). An empty <see cref="Events"/> means every event.
/// </summary>
/// <remarks>
/// Equality compares <see cref="Events"/> by reference, as records do for collections; compare
/// configurations by <see cref="Url"/>, <see cref="Format"/> and <see cref="Subscribes"/>.
/// </remarks>
public sealed partial record WebhookConfig
{
    private readonly HashSet<string> _events;

    /// <param name="url">Absolute http:// or https:// URL of the webhook.</param>
    /// <param name="events">Event names to send (matched ignoring case); empty means every event.</param>
    /// <param name="format">Body shape; <see cref="WebhookFormat.Auto"/> decides from the URL.</param>
    /// <exception cref="ArgumentException">The URL is not an absolute http/https URL, an event name is blank, or the format is not defined.</exception>
    public WebhookConfig(string url, IReadOnlyCollection<string> events, WebhookFormat format = WebhookFormat.Auto)
    {
        ArgumentNullException.ThrowIfNull(events);
        Url = CheckUrl(url, nameof(url));
        _events = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in events)
        {
            if (string.IsNullOrWhiteSpace(name))
                throw new ArgumentException($"events must hold non-blank event names, got '{name}'", nameof(events));
            _events.Add(name.Trim());
        }
        Events = _events.ToArray();
        Format = Enum.IsDefined(format)
            ? format
            : throw new ArgumentException($"format must be one of auto, slack, discord, generic, got '{format}'", nameof(format));
    }

    /// <summary>Absolute http:// or https:// URL the notifications are POSTed to.</summary>
    public string Url { get; }

    /// <summary>Subscribed event names, trimmed and without duplicates; empty means every event.</summary>
    public IReadOnlyCollection<string> Events { get; }

    /// <summary>Body shape as configured (possibly <see cref="WebhookFormat.Auto"/>).</summary>
    public WebhookFormat Format { get; }

    /// <summary>
    /// The body shape actually sent: <see cref="Format"/>, or for <see cref="WebhookFormat.Auto"/>
    /// Slack for host <c>hooks.slack.com</c>, Discord for hosts <c>discord.com</c> /
    /// <c>discordapp.com</c> (and their subdomains) with a path under <c>/api/webhooks/</c>, else Generic.
    /// </summary>
    public WebhookFormat EffectiveFormat => Format == WebhookFormat.Auto ? Detect(new Uri(Url)) : Format;

    /// <summary>True when <paramref name="eventName"/> should be sent: <see cref="Events"/> is empty or holds it (ignoring case).</summary>
    public bool Subscribes(string eventName) =>
        _events.Count == 0 || (!string.IsNullOrWhiteSpace(eventName) && _events.Contains(eventName.Trim()));

    internal static WebhookFormat Detect(Uri uri)
    {
        var host = uri.IdnHost.ToLowerInvariant();
        if (host == "hooks.slack.com")
            return WebhookFormat.Slack;
        var discordHost = host is "discord.com" or "discordapp.com"
            || host.EndsWith(".discord.com", StringComparison.Ordinal)
            || host.EndsWith(".discordapp.com", StringComparison.Ordinal);
        if (discordHost && uri.AbsolutePath.StartsWith("/api/webhooks/", StringComparison.OrdinalIgnoreCase))
            return WebhookFormat.Discord;
        return WebhookFormat.Generic;
    }

    private static string CheckUrl(string? url, string name)
    {
        if (string.IsNullOrWhiteSpace(url))
            throw new ArgumentException($"{name} must be an absolute http:// or https:// URL, got '{url}'", name);
        if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri))
            throw new ArgumentException($"{name} must be an absolute http:// or https:// URL, got '{url}'", name);
        if (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            throw new ArgumentException($"{name} must use http or https, got scheme '{uri.Scheme}' in '{url}'", name);
        if (string.IsNullOrEmpty(uri.Host))
            throw new ArgumentException($"{name} must name a host, got '{url}'", name);
        return uri.OriginalString;
    }
}
