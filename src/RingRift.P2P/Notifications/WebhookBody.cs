using System.Text.Json;

namespace RingRift.P2P.Notifications;

/// <summary>Builds the UTF-8 JSON body for one notification in the configured shape.</summary>
internal static class WebhookBody
{
    public static byte[] Build(WebhookFormat format, string eventName, IReadOnlyDictionary<string, object?> payload, DateTimeOffset now)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            switch (format)
            {
                case WebhookFormat.Slack:
                    SlackBody.Write(json, eventName, payload, now);
                    break;
                case WebhookFormat.Discord:
                    DiscordBody.Write(json, eventName, payload, now);
                    break;
                default:
                    GenericBody.Write(json, eventName, payload, now);
                    break;
            }
        }
        return buffer.ToArray();
    }
}
