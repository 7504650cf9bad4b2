using System.Globalization;
using System.Text;
using System.Text.Json;
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

    /// <summary>The value as a JSON element; values the serializer rejects (NaN, cycles) become their text.</summary>
    public static JsonElement Element(object? value)
    {
        if (value is null)
            return JsonSerializer.SerializeToElement<string?>(null, P2PJson.Options);
        try
        {
            return JsonSerializer.SerializeToElement(value, value.GetType(), P2PJson.Options);
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or ArgumentException or InvalidOperationException)
        {
            return JsonSerializer.SerializeToElement(value.ToString() ?? "", P2PJson.Options);
        }
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

    private static string ToJsonOrString(object value)
    {
        var element = Element(value);
        return element.ValueKind == JsonValueKind.String ? element.GetString() ?? "" : element.GetRawText();
    }
}
