using System.Text.Json;
using System.Text.Json.Nodes;

namespace RingRift.P2P.Training;

/// <summary>Tolerant reads of a work item's config / result fields: a missing or mistyped value reads as absent.</summary>
internal static class WorkItemFields
{
    public static string? String(JsonObject? source, string key) =>
        source?[key] is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>() is { Length: > 0 } s ? s : null;

    public static double? Number(JsonObject? source, string key)
    {
        if (source?[key] is not JsonValue v || v.GetValueKind() != JsonValueKind.Number)
            return null;
        var d = v.TryGetValue(out double dv) ? dv : v.TryGetValue(out long lv) ? lv : v.TryGetValue(out int iv) ? iv : double.NaN;
        return double.IsFinite(d) ? d : null;
    }

    /// <summary>A non-negative whole count, cut to <see cref="int.MaxValue"/>; 0 when absent or negative.</summary>
    public static int Count(JsonObject? source, string key) =>
        Number(source, key) is { } d && d > 0 ? (int)Math.Min(Math.Floor(d), int.MaxValue) : 0;
}
