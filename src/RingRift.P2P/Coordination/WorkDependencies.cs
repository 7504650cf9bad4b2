using System.Collections;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace RingRift.P2P.Coordination;

/// <summary>
/// The work ids an item depends on (<c>depends_on</c>): it is claimable only once every one of them has
/// completed. Compared by content, so items that carry equal lists are equal; written as a JSON array.
/// </summary>
[JsonConverter(typeof(WorkDependenciesJsonConverter))]
public sealed class WorkDependencies : IReadOnlyList<string>, IEquatable<WorkDependencies>
{
    /// <summary>Most dependencies one item may have: 100.</summary>
    public const int MaxCount = 100;

    private readonly string[] _ids;

    private WorkDependencies(string[] ids) => _ids = ids;

    /// <summary>No dependencies.</summary>
    public static WorkDependencies None { get; } = new([]);

    /// <summary>The ids in the order given, without repeats.</summary>
    public static WorkDependencies Of(IEnumerable<string> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var distinct = ids.Distinct(StringComparer.Ordinal).ToArray();
        return distinct.Length == 0 ? None : new WorkDependencies(distinct);
    }

    public int Count => _ids.Length;

    public string this[int index] => _ids[index];

    public IEnumerator<string> GetEnumerator() => ((IEnumerable<string>)_ids).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _ids.GetEnumerator();

    public bool Equals(WorkDependencies? other) => other is not null && _ids.AsSpan().SequenceEqual(other._ids);

    public override bool Equals(object? obj) => Equals(obj as WorkDependencies);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var id in _ids) hash.Add(id, StringComparer.Ordinal);
        return hash.ToHashCode();
    }

    public override string ToString() => "[" + string.Join(", ", _ids) + "]";
}

/// <summary>A <see cref="WorkDependencies"/> as a JSON array of work ids (null reads as none).</summary>
public sealed class WorkDependenciesJsonConverter : JsonConverter<WorkDependencies>
{
    public override bool HandleNull => true;

    public override WorkDependencies Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null) return WorkDependencies.None;
        if (reader.TokenType != JsonTokenType.StartArray) throw new JsonException("depends_on must be an array of work ids");
        var ids = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.String) throw new JsonException("depends_on must hold work ids (strings)");
            ids.Add(reader.GetString()!);
        }
        return WorkDependencies.Of(ids);
    }

    public override void Write(Utf8JsonWriter writer, WorkDependencies value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        foreach (var id in value) writer.WriteStringValue(id);
        writer.WriteEndArray();
    }
}
