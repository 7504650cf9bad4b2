using System.Globalization;

namespace RingRift.P2P.Node.Api;

/// <summary>Query-string values read strictly: a value that is malformed or out of range is a 400 naming it.</summary>
public static class QueryValues
{
    /// <summary>The integer <paramref name="name"/> in <paramref name="min"/>–<paramref name="max"/>, or <paramref name="fallback"/> when absent.</summary>
    public static int Int(HttpRequest request, string name, int fallback, int min, int max)
    {
        var text = request.Query[name].ToString();
        if (text.Length == 0) return fallback;
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw ApiException.BadRequest("INVALID_FIELD", $"{name} must be an integer from {min} to {max}, got '{text}'");
    }

    /// <summary>The value of <paramref name="name"/>, one of <paramref name="allowed"/>, or <paramref name="fallback"/> when absent.</summary>
    public static string OneOf(HttpRequest request, string name, string fallback, params string[] allowed)
    {
        var text = request.Query[name].ToString();
        if (text.Length == 0) return fallback;
        return allowed.Contains(text, StringComparer.Ordinal)
            ? text
            : throw ApiException.BadRequest("INVALID_FIELD", $"{name} must be one of {string.Join(", ", allowed)}, got '{text}'");
    }

    /// <summary>The value of <paramref name="name"/>, or null when absent or empty.</summary>
    public static string? Optional(HttpRequest request, string name) =>
        request.Query[name].ToString() is { Length: > 0 } text ? text : null;
}
