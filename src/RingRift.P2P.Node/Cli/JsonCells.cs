using System.Globalization;
using System.Text.Json.Nodes;
using Spectre.Console;

namespace RingRift.P2P.Node.Cli;

/// <summary>Reading API JSON into table cells: strings, formatted numbers and markup-escaped text.</summary>
public static class JsonCells
{
    /// <summary>A string value as is, any other value as its JSON text, null when missing.</summary>
    public static string? Str(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : node?.ToJsonString();

    /// <summary><see cref="Str"/> escaped for markup, <paramref name="missing"/> when null.</summary>
    public static string Cell(JsonNode? node, string missing = "-") => Markup.Escape(Str(node) ?? missing);

    /// <summary>A number in <paramref name="format"/> (invariant culture), "-" when missing or not a number.</summary>
    public static string Num(JsonNode? node, string format) =>
        Double(node) is { } d ? d.ToString(format, CultureInfo.InvariantCulture) : "-";

    /// <summary>A number as a double (also one set from an int or long in code), null when missing or not a number.</summary>
    public static double? Double(JsonNode? node) => node switch
    {
        JsonValue v when v.TryGetValue<double>(out var d) => d,
        JsonValue v when v.TryGetValue<long>(out var l) => l,
        JsonValue v when v.TryGetValue<int>(out var i) => i,
        _ => null,
    };

    public static bool? Bool(JsonNode? node) => node is JsonValue v && v.TryGetValue<bool>(out var b) ? b : null;

    /// <summary>The last part of a slash-separated path (a model file's name).</summary>
    public static string FileName(string path) => path[(path.LastIndexOf('/') + 1)..];
}
