using System.Text.Json;

namespace RingRift.P2P.Notifications;

/// <summary>
/// Discord webhook body: <c>content</c> "**event** key=value, …" cut to 2000 characters, and one
/// embed titled with the event, stamped with the UTC time, holding up to 25 inline fields; Discord's
/// limits (title 256, field name 256, field value 1024, 6000 characters per embed) are respected by
/// cutting or dropping fields.
/// </summary>
internal static class DiscordBody
{
    /// <summary>Discord's documented limits.</summary>
    public const int ContentMax = 2000, TitleMax = 256, FieldNameMax = 256, FieldValueMax = 1024, FieldsMax = 25, EmbedMax = 6000;

    public static void Write(Utf8JsonWriter json, string eventName, IReadOnlyDictionary<string, object?> payload, DateTimeOffset now)
    {
        json.WriteStartObject();
        json.WriteString("content", PayloadText.Truncate(PayloadText.Line($"**{eventName}**", payload, " "), ContentMax));
        json.WriteStartArray("embeds");
        json.WriteStartObject();

        var title = PayloadText.Truncate(eventName, TitleMax);
        json.WriteString("title", title);
        json.WriteString("timestamp", PayloadText.Timestamp(now));

        json.WriteStartArray("fields");
        var budget = EmbedMax - title.Length;
        var count = 0;
        foreach (var (key, value) in payload)
        {
            var name = PayloadText.Truncate(key.Length == 0 ? "-" : key, FieldNameMax);
            var text = PayloadText.Value(value);
            text = PayloadText.Truncate(text.Length == 0 ? "-" : text, FieldValueMax);
            if (count == FieldsMax || name.Length + text.Length > budget)
                break;
            budget -= name.Length + text.Length;
            count++;
            json.WriteStartObject();
            json.WriteString("name", name);
            json.WriteString("value", text);
            json.WriteBoolean("inline", true);
            json.WriteEndObject();
        }
        json.WriteEndArray();

        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();
    }
}
