using System.Text.Json.Serialization;

namespace RingRift.P2P.Models;

/// <summary>The kinds of work the cluster runs; also the <c>work_type</c> of a work item.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<JobType>))]
public enum JobType
{
    [JsonStringEnumMemberName("selfplay")] Selfplay = 0,
    [JsonStringEnumMemberName("training")] Training = 1,
    [JsonStringEnumMemberName("evaluation")] Evaluation = 2,
    [JsonStringEnumMemberName("sync")] Sync = 3,
}

/// <summary>
/// The one mapping between <see cref="JobType"/> and its wire name: <c>work_type</c> and
/// <c>capabilities</c> in the API, the keys of a jobs file, the names in error messages.
/// </summary>
public static class JobTypes
{
    /// <summary>Every type, in declaration order.</summary>
    public static IReadOnlyList<JobType> All { get; } = [.. Json.WireNames.Of<JobType>().Values];

    /// <summary>"selfplay, training, evaluation, sync": the allowed names, for error messages.</summary>
    public static string Allowed { get; } = string.Join(", ", Json.WireNames.Of<JobType>().Keys);

    /// <summary>The wire name (<c>selfplay</c>, ...); the number for a value outside the enum.</summary>
    public static string WireName(this JobType type) =>
        Json.WireNames.Of<JobType>().FirstOrDefault(kv => kv.Value == type).Key ?? ((int)type).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Parses a wire name (surrounding blanks and letter case ignored).</summary>
    public static bool TryParse(string? text, out JobType type)
    {
        type = default;
        return text is not null && Json.WireNames.Of<JobType>().TryGetValue(text.Trim(), out type);
    }
}
