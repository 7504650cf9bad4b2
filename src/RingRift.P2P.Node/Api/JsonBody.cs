using System.Text.Json;
using System.Text.Json.Nodes;
using RingRift.P2P.Models;
using RingRift.P2P.Node.Wire;

namespace RingRift.P2P.Node.Api;

/// <summary>
/// Reads request bodies with errors a client can act on: empty body, malformed JSON (with position),
/// wrong top-level type, missing or mistyped fields — each naming the field.
/// </summary>
public static class JsonBody
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 64 };

    public static async Task<JsonObject> ReadObjectAsync(HttpRequest request, CancellationToken ct)
    {
        var node = await ReadNodeAsync(request, ct);
        return node as JsonObject
            ?? throw ApiException.BadRequest("INVALID_JSON", $"request body must be a JSON object, got {Kind(node)}");
    }

    /// <summary>Deserializes a node-to-node message; a shape mismatch is a 400 naming the problem.</summary>
    public static async Task<T> ReadAsync<T>(HttpRequest request, CancellationToken ct)
    {
        var node = await ReadNodeAsync(request, ct);
        try
        {
            return node.Deserialize(NodeJson.Contract<T>())
                ?? throw ApiException.BadRequest("INVALID_JSON", $"request body must be a JSON object, got null");
        }
        catch (JsonException ex)
        {
            throw ApiException.BadRequest("INVALID_BODY", $"request body is not a valid {typeof(T).Name}: {ex.Message}");
        }
    }

    private static async Task<JsonNode?> ReadNodeAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentLength == 0) throw ApiException.BadRequest("EMPTY_BODY", "request body is empty; expected a JSON object");
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, ct);
        if (buffer.Length == 0) throw ApiException.BadRequest("EMPTY_BODY", "request body is empty; expected a JSON object");
        buffer.Position = 0;
        try
        {
            return JsonNode.Parse(buffer, documentOptions: DocumentOptions);
        }
        catch (JsonException ex)
        {
            throw ApiException.BadRequest("INVALID_JSON", $"malformed JSON: {ex.Message}");
        }
    }

    public static string RequiredString(JsonObject body, string field)
    {
        var value = OptionalString(body, field);
        return string.IsNullOrWhiteSpace(value) ? throw ApiException.Missing(field) : value;
    }

    public static string? OptionalString(JsonObject body, string field)
    {
        if (!body.TryGetPropertyValue(field, out var node) || node is null) return null;
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.String) return v.GetValue<string>();
        throw ApiException.BadRequest("INVALID_FIELD", $"{field} must be a string, got {Kind(node)}");
    }

    public static int OptionalInt(JsonObject body, string field, int defaultValue, int min, int max)
    {
        if (!body.TryGetPropertyValue(field, out var node) || node is null) return defaultValue;
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<decimal>(out var d)
            && d == decimal.Truncate(d) && d >= min && d <= max)
        {
            return (int)d;
        }

        throw ApiException.BadRequest("INVALID_FIELD", $"{field} must be an integer from {min} to {max}, got {Render(node)}");
    }

    public static double OptionalDouble(JsonObject body, string field, double defaultValue, double minExclusive, double max)
    {
        if (!body.TryGetPropertyValue(field, out var node) || node is null) return defaultValue;
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<double>(out var d)
            && double.IsFinite(d) && d > minExclusive && d <= max)
        {
            return d;
        }

        throw ApiException.BadRequest("INVALID_FIELD", $"{field} must be a number greater than {minExclusive} and at most {max}, got {Render(node)}");
    }

    /// <summary>A list of strings (absent or null: empty).</summary>
    public static IReadOnlyList<string> OptionalStringList(JsonObject body, string field)
    {
        if (!body.TryGetPropertyValue(field, out var node) || node is null) return [];
        if (node is not JsonArray array)
            throw ApiException.BadRequest("INVALID_FIELD", $"{field} must be a list of strings, got {Kind(node)}");
        var values = new List<string>(array.Count);
        foreach (var entry in array)
        {
            if (entry is JsonValue v && v.GetValueKind() == JsonValueKind.String) values.Add(v.GetValue<string>());
            else throw ApiException.BadRequest("INVALID_FIELD", $"{field} must be a list of strings, got an entry {(entry is null ? "null" : Render(entry))}");
        }
        return values;
    }

    public static JsonObject? OptionalObject(JsonObject body, string field)
    {
        if (!body.TryGetPropertyValue(field, out var node) || node is null) return null;
        return node as JsonObject
            ?? throw ApiException.BadRequest("INVALID_FIELD", $"{field} must be a JSON object, got {Kind(node)}");
    }

    public static JobType WorkType(string? value, string field = "work_type")
    {
        if (string.IsNullOrWhiteSpace(value)) throw ApiException.Missing(field);
        return JobTypes.TryParse(value, out var type) ? type
            : throw new ApiException(StatusCodes.Status400BadRequest, "INVALID_WORK_TYPE",
                $"{field} '{value}' is not {JobTypes.Allowed}");
    }


    private static string Render(JsonNode node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? $"'{v.GetValue<string>()}'" : node.ToJsonString();

    private static string Kind(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "an object",
        JsonArray => "an array",
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => "a string",
            JsonValueKind.Number => "a number",
            JsonValueKind.True or JsonValueKind.False => "a boolean",
            _ => "a value",
        },
        _ => "a value",
    };
}
