using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using RingRift.P2P.Json;

namespace RingRift.P2P.Notifications;

/// <summary>Human-readable and JSON renderings of payload values shared by the body builders.</summary>
internal static class PayloadText
{
    /// <summary>"event: key=value, key=value" (just the event name for an empty payload).</summary>
    public static string Line(string eventName, IReadOnlyDictionary<string, object?> payload, string separator = ": ")
    {
        if (payload.Count == 0)
            return eventName;
        var text = new StringBuilder(eventName).Append(separator);
        var first = true;
        foreach (var (key, value) in payload)
        {
            if (!first)
                text.Append(", ");
            text.Append(key).Append('=').Append(Value(value));
            first = false;
        }
        return text.ToString();
    }

    /// <summary>Invariant-culture text of one value: strings as-is, numbers invariant, other objects as JSON.</summary>
    public static string Value(object? value) => value switch
    {
        null => "null",
        string s => s,
        bool b => b ? "true" : "false",
        DateTimeOffset d => Timestamp(d),
        DateTime d => d.ToString("o", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => ToJsonOrString(value),
    };

    /// <summary>ISO-8601 UTC with milliseconds, e.g. <c>2025-01-31T12:00:00.000Z</c>.</summary>
    public static string Timestamp(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>
    /// Writes the value as JSON: strings, numbers, booleans, JSON nodes and elements, dictionaries with string keys and
    /// sequences as themselves; other types through their contract in <see cref="P2PJson.Options"/>. What has no JSON
    /// (NaN, infinities, a type no contract names, nesting deeper than <see cref="MaxDepth"/>) is written as its text.
    /// </summary>
    public static void WriteValue(Utf8JsonWriter json, object? value) => Write(json, value, 0);

    /// <summary>Nesting kept as JSON; anything deeper is written as its text (a cycle ends there too).</summary>
    public const int MaxDepth = 32;

    private static void Write(Utf8JsonWriter json, object? value, int depth)
    {
        switch (value)
        {
            case null: json.WriteNullValue(); break;
            case string s: json.WriteStringValue(s); break;
            case bool b: json.WriteBooleanValue(b); break;
            case JsonNode node: node.WriteTo(json); break;
            case JsonElement element: element.WriteTo(json); break;
            case DateTimeOffset time: json.WriteStringValue(time); break;
            case double d when double.IsFinite(d): json.WriteNumberValue(d); break;
            case float f when float.IsFinite(f): json.WriteNumberValue(f); break;
            case decimal m: json.WriteNumberValue(m); break;
            case ulong u: json.WriteNumberValue(u); break;
            case sbyte or byte or short or ushort or int or uint or long: json.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture)); break;
            case double or float: json.WriteStringValue(((IFormattable)value).ToString(null, CultureInfo.InvariantCulture)); break;
            case IEnumerable<KeyValuePair<string, object?>> pairs when depth < MaxDepth:
                json.WriteStartObject();
                foreach (var (key, item) in pairs)
                {
                    json.WritePropertyName(key);
                    Write(json, item, depth + 1);
                }
                json.WriteEndObject();
                break;
            case System.Collections.IEnumerable items when depth < MaxDepth && value is not System.Collections.IDictionary:
                json.WriteStartArray();
                foreach (var item in items)
                    Write(json, item, depth + 1);
                json.WriteEndArray();
                break;
            default: WriteByContract(json, value); break;
        }
    }

    private static void WriteByContract(Utf8JsonWriter json, object value)
    {
        JsonElement element;
        try
        {
            element = JsonSerializer.SerializeToElement(value, P2PJson.Options.GetTypeInfo(value.GetType()));
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or ArgumentException or InvalidOperationException)
        {
            json.WriteStringValue(value.ToString() ?? "");
            return;
        }
        element.WriteTo(json);
    }

    /// <summary>Cuts <paramref name="text"/> to at most <paramref name="max"/> characters, ending in "…" when cut.</summary>
    public static string Truncate(string text, int max)
    {
        if (text.Length <= max)
            return text;
        var keep = max - 1;
        if (keep > 0 && char.IsHighSurrogate(text[keep - 1]))
            keep--;
        return string.Concat(text.AsSpan(0, keep), "…");
    }

    /// <summary>The value's JSON (<see cref="WriteValue"/>); a JSON string as its text.</summary>
    private static string ToJsonOrString(object value)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
            WriteValue(json, value);
        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        var root = document.RootElement;
        return root.ValueKind == JsonValueKind.String ? root.GetString() ?? "" : root.GetRawText();
    }
}
