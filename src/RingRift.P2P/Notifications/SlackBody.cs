using System.Text.Json;

namespace RingRift.P2P.Notifications;

/// <summary>
/// Slack incoming-webhook body: a <c>text</c> line ("event: key=value, …", also the
/// notification fallback) plus Block Kit <c>blocks</c>: a header with the event name, sections
/// of up to 10 "*key*\nvalue" fields, and a context line with the UTC time.
/// </summary>
internal static class SlackBody
{
    /// <summary>Slack caps header text at 150 characters, field text at 2000, fields per section at 10.</summary>
    private const int HeaderMax = 150, FieldMax = 2000, FieldsPerSection = 10, TextMax = 3000;

    public static void Write(Utf8JsonWriter json, string eventName, IReadOnlyDictionary<string, object?> payload, DateTimeOffset now)
    {
        json.WriteStartObject();
        json.WriteString("text", PayloadText.Truncate(Escape(PayloadText.Line(eventName, payload)), TextMax));
        json.WriteStartArray("blocks");

        json.WriteStartObject();
        json.WriteString("type", "header");
        WriteText(json, "plain_text", PayloadText.Truncate(eventName, HeaderMax));
        json.WriteEndObject();

        foreach (var chunk in payload.Chunk(FieldsPerSection))
        {
            json.WriteStartObject();
            json.WriteString("type", "section");
            json.WriteStartArray("fields");
            foreach (var (key, value) in chunk)
            {
                json.WriteStartObject();
                json.WriteString("type", "mrkdwn");
                json.WriteString("text", PayloadText.Truncate($"*{Escape(key)}*\n{Escape(PayloadText.Value(value))}", FieldMax));
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteStartObject();
        json.WriteString("type", "context");
        json.WriteStartArray("elements");
        json.WriteStartObject();
        json.WriteString("type", "mrkdwn");
        json.WriteString("text", $"RingRift P2P · {PayloadText.Timestamp(now)}");
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteText(Utf8JsonWriter json, string type, string text)
    {
        json.WriteStartObject("text");
        json.WriteString("type", type);
        json.WriteString("text", text);
        json.WriteEndObject();
    }

    /// <summary>Slack treats &amp;, &lt; and &gt; as control characters in message text.</summary>
    private static string Escape(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal)
            .Replace("<", "&lt;", StringComparison.Ordinal)
            .Replace(">", "&gt;", StringComparison.Ordinal);
}
