using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace RingRift.P2P.Models;

/// <summary>
/// The kind of a work item (its <c>work_type</c>): an open set of names matching
/// <c>[a-z][a-z0-9_]{0,63}</c>. Four are built in and keep their meaning (the training loop makes
/// <see cref="Training"/> and <see cref="Evaluation"/> work, <see cref="Sync"/> takes a CPU slot);
/// any other type (<c>gauntlet</c>, <c>gpu_cmaes</c>, …) is run by a jobs-file entry of the same name.
/// The default value is <see cref="Selfplay"/>.
/// </summary>
[JsonConverter(typeof(JobTypeJsonConverter))]
public readonly partial struct JobType : IEquatable<JobType>, IComparable<JobType>
{
    public static readonly JobType Selfplay = new("selfplay");
    public static readonly JobType Training = new("training");
    public static readonly JobType Evaluation = new("evaluation");
    public static readonly JobType Sync = new("sync");

    /// <summary>Longest type name: 64 characters.</summary>
    public const int MaxNameLength = 64;

    private readonly string? _name;

    private JobType(string name) => _name = name;

    /// <summary>The wire name: <c>selfplay</c>, <c>training</c>, <c>gauntlet</c>, …</summary>
    public string Name => _name ?? "selfplay";

    /// <summary>One of the four built-in types.</summary>
    public bool IsBuiltIn => BuiltInIndex >= 0;

    /// <summary>0–3 for the built-in types in declaration order (their number in older formats), else −1.</summary>
    public int BuiltInIndex => Name switch
    {
        "selfplay" => 0,
        "training" => 1,
        "evaluation" => 2,
        "sync" => 3,
        _ => -1,
    };

    /// <summary>The built-in type numbered <paramref name="index"/> in older formats (0–3).</summary>
    public static bool TryFromBuiltInIndex(int index, out JobType type)
    {
        type = index switch { 0 => Selfplay, 1 => Training, 2 => Evaluation, 3 => Sync, _ => default };
        return index is >= 0 and <= 3;
    }

    /// <summary>Parses a type name; surrounding blanks and letter case are ignored (names are kept in lower case).</summary>
    public static bool TryParse(string? text, out JobType type)
    {
        type = default;
        var name = text?.Trim().ToLowerInvariant();
        if (name is null || !NamePattern().IsMatch(name)) return false;
        type = new JobType(string.Intern(name));
        return true;
    }

    /// <summary>Parses a type name or throws <see cref="FormatException"/> saying what is allowed.</summary>
    public static JobType Parse(string text) =>
        TryParse(text, out var type) ? type : throw new FormatException($"work type '{text}' is not {JobTypes.Allowed}");

    public bool Equals(JobType other) => string.Equals(Name, other.Name, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is JobType other && Equals(other);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Name);

    /// <summary>Built-in types first, in declaration order, then the others by name.</summary>
    public int CompareTo(JobType other)
    {
        var byRank = Rank.CompareTo(other.Rank);
        return byRank != 0 ? byRank : string.CompareOrdinal(Name, other.Name);
    }

    /// <summary>Built-in types by their number, every other type after them.</summary>
    private int Rank => IsBuiltIn ? BuiltInIndex : int.MaxValue;

    public static bool operator ==(JobType left, JobType right) => left.Equals(right);

    public static bool operator !=(JobType left, JobType right) => !left.Equals(right);

    public override string ToString() => Name;

    [GeneratedRegex("^[a-z][a-z0-9_]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}

/// <summary>The built-in types, and how type names are described in errors.</summary>
public static class JobTypes
{
    /// <summary>The built-in types, in declaration order.</summary>
    public static IReadOnlyList<JobType> All { get; } = [JobType.Selfplay, JobType.Training, JobType.Evaluation, JobType.Sync];

    /// <summary>What a type name may be, for error messages.</summary>
    public const string Allowed = "a name of 1-64 lower-case letters, digits and '_' starting with a letter (built in: selfplay, training, evaluation, sync)";

    /// <summary>The wire name (<c>selfplay</c>, …).</summary>
    public static string WireName(this JobType type) => type.Name;

    /// <summary>Parses a type name (surrounding blanks ignored).</summary>
    public static bool TryParse(string? text, out JobType type) => JobType.TryParse(text, out type);
}

/// <summary>A <see cref="JobType"/> as its name, in JSON values and as a dictionary key.</summary>
public sealed class JobTypeJsonConverter : JsonConverter<JobType>
{
    public override JobType Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String && JobType.TryParse(reader.GetString(), out var type)
            ? type
            : throw new JsonException($"work_type must be {JobTypes.Allowed}");

    public override void Write(Utf8JsonWriter writer, JobType value, JsonSerializerOptions options) => writer.WriteStringValue(value.Name);

    public override JobType ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        JobType.TryParse(reader.GetString(), out var type) ? type : throw new JsonException($"work_type must be {JobTypes.Allowed}");

    public override void WriteAsPropertyName(Utf8JsonWriter writer, JobType value, JsonSerializerOptions options) => writer.WritePropertyName(value.Name);
}
