using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace RingRift.P2P.Node.Cli;

/// <summary>How <c>--json</c> prints the API's JSON: indented (or one line per refresh with --watch), quotes and non-ASCII left readable.</summary>
public static class JsonOut
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Text(JsonNode? json, bool indented) => json?.ToJsonString(indented ? Indented : Compact) ?? "null";
}
