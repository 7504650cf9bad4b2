using System.Text.Json;

namespace RingRift.P2P.Notifications;

/// <summary><c>{"event": name, "timestamp": ISO-8601 UTC, "payload": {key: value, …}}</c>.</summary>
internal static class GenericBody
{
    public static void Write(Utf8JsonWriter json, string eventName, IReadOnlyDictionary<string, object?> payload, DateTimeOffset now)
    {
        json.WriteStartObject();
        json.WriteString("event", eventName);
        json.WriteString("timestamp", PayloadText.Timestamp(now));
        json.WriteStartObject("payload");
        foreach (var (key, value) in payload)
        {
            json.WritePropertyName(key);
            PayloadText.WriteValue(json, value);
        }
        json.WriteEndObject();
        json.WriteEndObject();
    }
}
