namespace RingRift.P2P.Notifications;

/// <summary>
/// The JSON body shape a webhook receives. <see cref="Auto"/> picks <see cref="Slack"/> for
/// <c>hooks.slack.com</c> URLs, <see cref="Discord"/> for <c>discord.com</c> /
/// <c>discordapp.com</c> URLs under <c>/api/webhooks/</c>, and <see cref="Generic"/> otherwise.
/// </summary>
public enum WebhookFormat
{
    /// <summary>Decide from the URL (the default).</summary>
    Auto = 0,

    /// <summary>Slack incoming webhook: <c>{"text": …, "blocks": […]}</c>.</summary>
    Slack = 1,

    /// <summary>Discord webhook: <c>{"content": …, "embeds": […]}</c>, content at most 2000 characters.</summary>
    Discord = 2,

    /// <summary>Plain JSON: <c>{"event": …, "timestamp": ISO-8601 UTC, "payload": {…}}</c>.</summary>
    Generic = 3,
}
